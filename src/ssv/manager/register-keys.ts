import type { Hex } from "viem";
import { clusterKey } from "../cluster.ts";
import type { SsvEnvironment } from "../environment.ts";
import { ssvRegistrationDeps } from "../registration/chain-deps.ts";
import { planLines } from "../registration/plan.ts";
import { prepareSsvRegistration } from "../registration/prepare.ts";
import { sendSsvRegistration } from "../registration/send.ts";
import type { OperatorCandidate, SelectionOptions } from "../selection.ts";
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
 * bad) and funding for the runway with the new validators, as `ssv register` prepares them, then
 * the registration module's plan and
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
  await memory.sync(await env.execution.getBlockNumber({ cacheTime: 0 }));
  const registered = await reader.validatorsRegistered(env.owner, keys);
  const todo = keys.filter((_, i) => !registered[i]);
  if (todo.length === 0) return "skipped";

  const params = await reader.networkParams();
  const state = memory.state;
  // The chain's balance of every live cluster the selection may reuse.
  const balances = new Map<string, bigint>();
  for (const cluster of state.clusters()) {
    if (cluster.liquidated || cluster.validators.size === 0) continue;
    const status = await reader.clusterStatus(env.owner, cluster.operatorIds, cluster.snapshot);
    balances.set(clusterKey(cluster.operatorIds), status.balance);
  }
  const token = reader.era === "ssv-token" ? await reader.ssvToken(env.owner) : undefined;
  const { selection, plan } = prepareSsvRegistration({
    owner: env.owner,
    era: reader.era,
    keys: todo,
    candidates: deps.candidates(),
    state,
    params,
    selection: {
      ...settings.selection,
      excluded: [...(settings.selection.excluded ?? []), ...excludeOperatorIds],
    },
    balances,
    runwayDays: settings.runwayDays,
    blocksPerDay: settings.blocksPerDay,
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
