import { join } from "node:path";
import { createConsensusClient } from "../../chain/consensus-client.ts";
import { createExecutionClient } from "../../chain/execution-client.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { isAbortError } from "../../lib/aborted.ts";
import type { Logger } from "../../lib/logger.ts";
import { startMetricsServer } from "../../lib/metrics-server.ts";
import { sleep } from "../../lib/sleep.ts";
import { readOperatorPrivateKey } from "../../ssv/keyshares/operator-private-key.ts";
import { RelayerNetworkError } from "./errors.ts";
import { runIntervalLoop } from "./interval-loop.ts";
import { createSidecarMetrics, type SidecarMetrics } from "./metrics.ts";
import { loadObolKeys } from "./obol-keys.ts";
import { pollRound } from "./poll-round.ts";
import { createRelayerClient, type RelayerClient, type RelayerProtocol } from "./relayer-client.ts";
import { ShareKeys } from "./share-keys.ts";
import { createShareSigner } from "./share-signer.ts";
import { SidecarDb } from "./sidecar-db.ts";
import { ssvShareKey } from "./ssv-keys.ts";
import { checkSsvOperator, type SsvChain, syncSsvValidators } from "./ssv-sync.ts";

export type SidecarCluster =
  | { type: "obol"; keystoresDir: string; clusterLockFile: string; nodeIndex: number }
  | {
      type: "ssv";
      operatorId: bigint;
      operatorKeyFile: string;
      operatorPasswordFile?: string;
      executionEndpoints: readonly string[];
      consensusEndpoints: readonly string[];
      /** SSVNetwork and its deployment block (default the network's). */
      ssvNetwork?: `0x${string}`;
      deployBlock?: number;
    };

/** `operator sidecar`, parsed and checked. */
export interface SidecarSettings {
  network: NetworkConfig;
  relayerEndpoint: string;
  protocol: RelayerProtocol;
  pollIntervalMs: number;
  relayerTimeoutMs?: number;
  cluster: SidecarCluster;
  /** Where the SSV database lives (<dataDir>/dvt-sidecar/). */
  dataDir: string;
  metrics?: { host: string; port: number };
}

export interface SidecarDeps {
  log: Logger;
  signal: AbortSignal;
}

/** The database of one SSV operator on one network. */
export function sidecarDbFile(dataDir: string, network: string, operatorId: bigint): string {
  return join(dataDir, "dvt-sidecar", `${network}-ssv-operator-${operatorId}.db`);
}

/** Asks GET /info until the relayer answers; a relayer of another network is a user error. */
export async function waitForRelayer(
  relayer: RelayerClient,
  expected: string,
  options: { intervalMs: number; signal: AbortSignal; log: Logger },
): Promise<void> {
  for (;;) {
    let network: string;
    try {
      network = await relayer.network(options.signal);
    } catch (error) {
      if (options.signal.aborted) throw error;
      options.log.throttled("relayer not ready", 60_000).warn(
        "relayer not reachable yet; retrying",
        {
          endpoint: relayer.endpoint,
        },
        error,
      );
      await sleep(options.intervalMs, options.signal);
      continue;
    }
    if (network !== expected) {
      throw new RelayerNetworkError(
        `the relayer at --relayer-endpoint serves network ${network}, this sidecar ${expected}: point it at the ${expected} relayer or fix --network`,
      );
    }
    return;
  }
}

interface LoadedKeys {
  keys: ShareKeys;
  /** SSV: the sync task run every slot. */
  sync?: (signal: AbortSignal) => Promise<void>;
  close(): void;
}

async function loadKeys(
  settings: SidecarSettings,
  deps: SidecarDeps,
  metrics: SidecarMetrics | null,
): Promise<LoadedKeys> {
  const { cluster, network } = settings;
  const log = deps.log;
  if (cluster.type === "obol") {
    const { keys, missing, lock } = await loadObolKeys(cluster);
    log.info("obol key shares loaded", {
      shares: keys.size,
      shareIndex: keys.shareIndex,
      lockVersion: lock.version,
    });
    if (missing.length > 0) log.warn("cluster-lock validators without a keystore", { validators: missing });
    return { keys, close: () => {} };
  }
  const ssvNetwork = cluster.ssvNetwork ?? network.ssv?.network;
  if (!ssvNetwork) {
    throw new RelayerNetworkError(`network ${network.name} has no SSV contracts: pass --ssv-network-address`);
  }
  const privateKey = await readOperatorPrivateKey({
    keyFile: cluster.operatorKeyFile,
    ...(cluster.operatorPasswordFile ? { passwordFile: cluster.operatorPasswordFile } : {}),
  });
  const execution = createExecutionClient({ endpoints: [...cluster.executionEndpoints], network });
  const consensus = createConsensusClient({ endpoints: cluster.consensusEndpoints });
  const chain: SsvChain = {
    client: execution,
    ssvNetwork,
    deployBlock: BigInt(cluster.deployBlock ?? (cluster.ssvNetwork ? 0 : (network.ssv?.deployBlock ?? 0))),
    finalizedBlock: async (signal) =>
      (await consensus.getExecutionBlock("finalized", signal ? { signal } : {})).blockNumber,
  };
  const { operatorId } = cluster;
  const operator = await checkSsvOperator(chain, { operatorId, privateKey, signal: deps.signal });
  const db = SidecarDb.open(sidecarDbFile(settings.dataDir, network.name, operatorId), network.name);
  try {
    const keys = new ShareKeys(Number(operatorId));
    const add = (rows: ReturnType<SidecarDb["validators"]>) => {
      for (const row of rows) {
        try {
          keys.add(ssvShareKey(row, operatorId, privateKey));
        } catch (error) {
          log.error("SSV share not usable", { validator: row.publicKey }, error);
        }
      }
      metrics?.keyShares.set(keys.size);
    };
    add(db.validators());
    const windowBlocks = BigInt(Math.max(1, Math.round((12 * 3600) / network.secondsPerSlot)));
    const sync = async (signal: AbortSignal) => {
      const rows = await syncSsvValidators(
        chain,
        db,
        { operatorId, startBlock: operator.addedBlock, windowBlocks, signal },
        log,
      );
      const checkpoint = db.checkpoint();
      if (checkpoint !== undefined) metrics?.ssvCheckpoint.set(Number(checkpoint));
      if (rows.length > 0) {
        add(rows);
        log.info("SSV validators added", { validators: rows.length, shares: keys.size });
      }
    };
    await sync(deps.signal);
    log.info("ssv key shares loaded", { shares: keys.size, operatorId });
    return { keys, sync, close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The composition root of `operator sidecar`: key shares (Obol files, or the SSV operator's
 * shares from chain), then the relayer's network checked, metrics, then the poll loop (and for SSV the
 * event sync every slot) until the signal aborts.
 */
export async function runSidecar(settings: SidecarSettings, deps: SidecarDeps): Promise<void> {
  const { network } = settings;
  const { signal } = deps;
  const log = deps.log.child({ module: "sidecar" });
  const shareIndex =
    settings.cluster.type === "obol" ? settings.cluster.nodeIndex + 1 : Number(settings.cluster.operatorId);
  const metrics = settings.metrics ? createSidecarMetrics({ network: network.name, shareIndex }) : null;
  const relayer = createRelayerClient({
    endpoint: settings.relayerEndpoint,
    protocol: settings.protocol,
    ...(settings.relayerTimeoutMs ? { timeoutMs: settings.relayerTimeoutMs } : {}),
  });
  // The key shares first: a missing keystore, lock or operator key fails at once, in one line,
  // instead of after the relayer answers.
  const loaded = await loadKeys(settings, { log, signal }, metrics);
  try {
    try {
      await waitForRelayer(relayer, network.name, { intervalMs: settings.pollIntervalMs, signal, log });
    } catch (error) {
      if (signal.aborted && isAbortError(error)) return;
      throw error;
    }
    metrics?.keyShares.set(loaded.keys.size);
    let lastPoll = Date.now();
    const server =
      settings.metrics && metrics
        ? await startMetricsServer({
            ...settings.metrics,
            registry: metrics.registry,
            signal,
            logger: log,
            health: async () => {
              const age = Date.now() - lastPoll;
              const ok = age < Math.max(60_000, settings.pollIntervalMs * 10);
              return {
                ok,
                details: { shares: loaded.keys.size, lastPollSecondsAgo: Math.round(age / 1000) },
              };
            },
          })
        : undefined;
    metrics?.serviceStarted.set(1);
    log.info("sidecar started", {
      relayer: relayer.endpoint,
      protocol: settings.protocol,
      shareIndex: loaded.keys.shareIndex,
      shares: loaded.keys.size,
    });
    const signer = createShareSigner(network);
    const pollLog = log.child({ module: "poll" });
    const loops = [
      runIntervalLoop(
        async (s) => {
          await pollRound({ relayer, keys: loaded.keys, signer, log: pollLog, metrics }, s);
          lastPoll = Date.now();
        },
        {
          intervalMs: settings.pollIntervalMs,
          signal,
          onError: (error) => {
            metrics?.errors.inc({ stage: "poll" });
            pollLog
              .throttled("poll failed", 30_000)
              .warn("relayer poll failed; retrying next round", {}, error);
          },
        },
      ),
    ];
    const { sync } = loaded;
    if (sync) {
      loops.push(
        runIntervalLoop(sync, {
          intervalMs: network.secondsPerSlot * 1000,
          signal,
          onError: (error) => {
            metrics?.errors.inc({ stage: "ssv_sync" });
            log.throttled("ssv sync failed", 60_000).warn("SSV event sync failed; retrying", {}, error);
          },
        }),
      );
    }
    await Promise.all(loops);
    await server?.close();
  } catch (error) {
    if (!isAbortError(error)) throw error;
  } finally {
    loaded.close();
  }
}
