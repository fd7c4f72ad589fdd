import { writeSync } from "node:fs";
import type { Address } from "viem";
import { createLogger, type Logger } from "../../lib/logger.ts";
import type { SsvApiOperator } from "../../ssv/api/operator-record.ts";
import { clusterKey } from "../../ssv/cluster.ts";
import { OwnerSsvState } from "../../ssv/cluster-state.ts";
import { apiOperators, openSsvEnvironment, type SsvEnvironment } from "../../ssv/environment.ts";
import { readOperatorCandidates } from "../../ssv/operator-candidates.ts";
import { syncOwnerState } from "../../ssv/owner-sync.ts";
import type { OperatorCandidate } from "../../ssv/selection.ts";
import {
  createSsvChainReader,
  detectSsvFeeEra,
  type SsvChainReader,
  type SsvNetworkParams,
} from "../../ssv/ssv-chain.ts";
import type { CommandContext } from "../context.ts";
import type { SsvEnvironmentOptionValues } from "./environment-options.ts";
import { ssvEnvironmentSettings } from "./environment-settings.ts";

/** What every `operator ssv …` command reads first: the owner's SSV state and the operators. */
export interface SsvOwnerReading {
  head: bigint;
  reader: SsvChainReader;
  params: SsvNetworkParams;
  /** The owner's state from its events, up to `head`. */
  state: OwnerSsvState;
  /** The SSV API's records; undefined when there is no API or it failed (a warning was logged). */
  api: SsvApiOperator[] | undefined;
  /** Chain data, with the API's performance, status and provider where it answered. */
  candidates: OperatorCandidate[];
  /** The chain's balance of each live cluster of the owner, by cluster key. */
  balances: Map<string, bigint>;
}

/** A command's environment, its reading and the deposit data file `start` uses. */
export interface SsvSession {
  env: SsvEnvironment;
  reading: SsvOwnerReading;
  depositDataFile: string;
  log: Logger;
}

/**
 * Opens the SSV environment (logs and warnings go to stderr: stdout carries the command's output,
 * --json included) and reads the owner: fee era, parameters, events, operators, balances. The
 * caller closes `session.env`.
 */
export async function openSsvSession(
  ctx: CommandContext,
  options: SsvEnvironmentOptionValues & { verbose?: boolean },
  p: { mode: "read" | "send"; pinned?: readonly bigint[] },
): Promise<SsvSession> {
  const settings = await ssvEnvironmentSettings(ctx, options, p.mode);
  const log = createLogger({
    level: options.verbose ? "debug" : "info",
    format: "text",
    destination: { write: (chunk: string) => void writeSync(2, chunk) },
  });
  const env = await openSsvEnvironment(settings, { log });
  try {
    const reading = await readSsvOwner(env, { pinned: p.pinned ?? [], signal: ctx.signal });
    return { env, reading, depositDataFile: settings.depositDataFile, log };
  } catch (error) {
    await env.close();
    throw error;
  }
}

/** The owner's SSV state and the operators a selection may use, read at one head. */
export async function readSsvOwner(
  env: SsvEnvironment,
  p: { pinned: readonly bigint[]; signal?: AbortSignal },
): Promise<SsvOwnerReading> {
  const { execution, network, ssv } = env;
  const head = await execution.getBlockNumber({ cacheTime: 0 });
  const era = await detectSsvFeeEra({ client: execution, network, ssvNetworkViews: ssv.views });
  const reader = createSsvChainReader({
    client: execution,
    network,
    era,
    contracts: {
      ssvNetwork: ssv.network,
      ssvNetworkViews: ssv.views,
      ...(ssv.token ? { ssvToken: ssv.token } : {}),
      deployBlock: BigInt(ssv.deployBlock),
    },
  });
  const state = new OwnerSsvState(env.owner);
  await syncOwnerState(state, {
    client: execution,
    ssvNetwork: ssv.network,
    deployBlock: BigInt(ssv.deployBlock),
    toBlock: head,
  });
  const [params, api] = await Promise.all([
    reader.networkParams(),
    apiOperators(env, p.signal ? { signal: p.signal } : {}),
  ]);
  const clusterIds = state.clusters().flatMap((c) => c.operatorIds);
  const candidates = await readOperatorCandidates({
    reader,
    api,
    knownIds: [...clusterIds, ...p.pinned],
    head,
  });
  const balances = new Map<string, bigint>();
  for (const cluster of state.clusters()) {
    if (cluster.liquidated) continue;
    const status = await reader.clusterStatus(env.owner, cluster.operatorIds, cluster.snapshot);
    balances.set(clusterKey(cluster.operatorIds), status.balance);
  }
  return { head, reader, params, state, api, candidates, balances };
}

/** The owner's SSV (token era) and ETH. */
export async function ownerFunds(
  env: SsvEnvironment,
  reader: SsvChainReader,
  owner: Address,
): Promise<{ ssv?: bigint; allowance?: bigint; eth: bigint }> {
  const eth = await env.execution.getBalance({ address: owner });
  if (reader.era === "eth") return { eth };
  const token = await reader.ssvToken(owner);
  return { ssv: token.balance, allowance: token.allowance, eth };
}
