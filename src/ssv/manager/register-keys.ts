import type { Hex } from "viem";
import type { SsvEnvironment } from "../environment.ts";
import { clusterUnits } from "../fees.ts";
import { ssvRegistrationDeps } from "../registration/chain-deps.ts";
import { planLines, planSsvRegistration } from "../registration/plan.ts";
import { sendSsvRegistration } from "../registration/send.ts";
import { fundingForRunway } from "../runway.ts";
import { type OperatorCandidate, type SelectionOptions, selectOperators } from "../selection.ts";
import { bulkRegistrationLimit } from "../ssv-calls.ts";
import type { SsvChainReader } from "../ssv-chain.ts";
import type { OwnerMemory } from "./owner-memory.ts";

export interface RegisterKeysDeps {
  env: SsvEnvironment;
  reader: SsvChainReader;
  memory: OwnerMemory;
  /** The operators the last reading saw. */
  candidates(): readonly OperatorCandidate[];
  settings: { runwayDays: number; blocksPerDay: number; selection: SelectionOptions };
}

/**
 * The manager's registration: the keys still not on SSV (the chain is asked again), a cluster by
 * the selection (a healthy existing one of the owner first; never an operator the round judged
 * bad), funding for the runway with the new validators, then the registration module's plan and
 * send (journaled, snapshot and nonce re-read from events before every chunk, getValidator before
 * and after).
 */
export async function registerKeys(
  keys: readonly Hex[],
  excludeOperatorIds: readonly bigint[],
  deps: RegisterKeysDeps,
): Promise<"sent" | "skipped"> {
  const { env, reader, memory, settings } = deps;
  const log = env.log.child({ module: "ssv-manager" });
  await memory.sync(await env.execution.getBlockNumber());
  const registered = await reader.validatorsRegistered(env.owner, keys);
  const todo = keys.filter((_, i) => !registered[i]);
  if (todo.length === 0) return "skipped";

  const params = await reader.networkParams();
  const state = memory.state;
  const selection = selectOperators(deps.candidates(), {
    ...settings.selection,
    validatorsPerOperatorLimit: params.validatorsPerOperatorLimit,
    excluded: [...(settings.selection.excluded ?? []), ...excludeOperatorIds],
    existingClusters: state.clusters().map((c) => ({ operatorIds: c.operatorIds, liquidated: c.liquidated })),
    newValidators: todo.length,
  });
  const ids = selection.operatorIds;
  const existing = state.cluster(ids);
  const balance =
    existing && !existing.liquidated
      ? (await reader.clusterStatus(env.owner, ids, existing.snapshot)).balance
      : 0n;
  const funding = fundingForRunway({
    era: reader.era,
    operatorFees: selection.operators.map((o) => o.fee),
    network: params,
    units: clusterUnits((existing?.validators.size ?? 0) + todo.length),
    balance,
    days: settings.runwayDays,
    blocksPerDay: settings.blocksPerDay,
  });
  const token = reader.era === "ssv-token" ? await reader.ssvToken(env.owner) : undefined;
  const plan = planSsvRegistration({
    owner: env.owner,
    era: reader.era,
    keys: todo,
    operatorIds: ids,
    existingCluster: existing !== undefined,
    nonce: state.nonce,
    bulkLimit: bulkRegistrationLimit(ids.length),
    amount: funding.deposit,
    runwayDays: settings.runwayDays,
    funds: {
      eth: await env.execution.getBalance({ address: env.owner }),
      ...(token ? { ssv: token.balance, allowance: token.allowance } : {}),
    },
  });
  log.info("ssv registration planned", { plan: planLines(plan, selection.explanation) });
  const operators = selection.operators.map((o) => ({ id: o.id, publicKey: o.publicKey ?? "" }));
  await sendSsvRegistration(plan, ssvRegistrationDeps(env, { era: reader.era, operators, state }));
  await memory.save();
  return "sent";
}
