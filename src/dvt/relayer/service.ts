import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { createConsensusClient } from "../../chain/consensus-client.ts";
import { createExecutionClient } from "../../chain/execution-client.ts";
import { createProtocolConfigSource } from "../../chain/protocol-config-source.ts";
import { DEFAULT_IPFS_GATEWAYS, type NetworkConfig } from "../../config/networks.ts";
import { loadHotWallet, WALLET_PRIVATE_KEY, walletOfPrivateKey } from "../../keys/hot-wallet-file.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { Logger } from "../../lib/logger.ts";
import { startMetricsServer } from "../../lib/metrics-server.ts";
import { sleep } from "../../lib/sleep.ts";
import { createOracleSetReader } from "../../oracles/oracle-set.ts";
import { type EndpointHealth, relayerHealth, type UpkeepLiveness } from "./health.ts";
import { managerChain } from "./manager-signature.ts";
import { createRelayerMetrics, type RelayerMetrics } from "./metrics.ts";
import { readObolShareSource } from "./obol-cluster-lock.ts";
import { openPostgresRelayerStore } from "./postgres-store.ts";
import type { PublicKeyShareSource } from "./public-key-shares.ts";
import { readPublicKeysFile } from "./public-keys-file.ts";
import { createKeyRegistry, type FollowedKeyRegistry } from "./registered-keys.ts";
import { registrationChain } from "./registration-chain.ts";
import { createRelayerCore, signaturesReady } from "./relayer-core.ts";
import { createRelayerApp, type RelayerProtocol } from "./server.ts";
import { openSqliteRelayerStore } from "./sqlite-store.ts";
import { ownerValidatorAddedScan, ssvShareSource } from "./ssv-public-key-shares.ts";
import type { RelayerStore } from "./store.ts";

export interface RelayerSettings {
  network: NetworkConfig;
  protocol: RelayerProtocol;
  executionEndpoints: readonly string[];
  /** --execution-jwt-secret. */
  executionJwtSecret?: Uint8Array;
  consensusEndpoints: readonly string[];
  threshold: number;
  host: string;
  port: number;
  dataDir: string;
  dbUrl?: string;
  publicKeysFile?: string;
  obolClusterLock?: string;
  ssvClusterOwner?: `0x${string}`;
  walletFile?: string;
  walletPasswordFile?: string;
  validatorLifetimeSeconds: number;
  metrics?: { host: string; port: number };
}

/** Where the endpoint watch reports each endpoint's state (a no-op without --enable-metrics). */
export interface EndpointGauge {
  endpointUp: { set(labels: { kind: string; endpoint: string }, value: number): void };
}

export interface RelayerDeps {
  log: Logger;
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /**
   * Legacy generation: the beacon index the next new validator gets (spec A.4 legacy), composed by
   * the command from the operator's deposit scan. Without it the legacy API answers 503.
   */
  nextValidatorIndex?: () => Promise<number>;
  /** The endpoints /health watches, checked once per slot (the command builds start's watch). */
  watchEndpoints?: (metrics: EndpointGauge) => EndpointHealth;
  /** Called once the API listens, with its URL (e.g. for --port 0: the port the system chose). */
  onListening?: (url: string) => void;
}

/**
 * `operator relayer`: the composition root. Opens the store, the public key share source, the
 * oracle set and the validators-manager wallet, serves the API until the signal aborts, and runs
 * the upkeep loop (recover what stored shares allow, re-share pending exits, drop old records).
 */
export async function runRelayer(settings: RelayerSettings, deps: RelayerDeps) {
  const { network, log, signal } = { ...settings, ...deps };
  const env = deps.env ?? process.env;
  const execution = createExecutionClient({
    endpoints: [...settings.executionEndpoints],
    network,
    jwtSecret: settings.executionJwtSecret,
  });
  const consensus = createConsensusClient({ endpoints: settings.consensusEndpoints });
  const store: RelayerStore = settings.dbUrl
    ? await openPostgresRelayerStore({ url: settings.dbUrl, network: network.name })
    : openSqliteRelayerStore({
        file: join(settings.dataDir, "relayer", `${network.name}.db`),
        network: network.name,
      });
  try {
    let source: PublicKeyShareSource | undefined;
    if (settings.obolClusterLock)
      source = await readObolShareSource(settings.obolClusterLock, settings.threshold);
    else if (settings.ssvClusterOwner && network.ssv) {
      source = ssvShareSource({
        scan: ownerValidatorAddedScan(execution, network.ssv.network, settings.ssvClusterOwner),
        head: () => execution.getBlockNumber({ cacheTime: 0 }),
        fromBlock: BigInt(network.ssv.deployBlock),
      });
    }
    const readOracleSet = createOracleSetReader(
      createProtocolConfigSource({
        client: execution,
        network,
        ipfs: { gateways: network.ipfsGateways ?? DEFAULT_IPFS_GATEWAYS },
      }),
    );
    const metrics = settings.metrics ? createRelayerMetrics({ network: network.name }) : null;
    const core = createRelayerCore(
      { network, threshold: settings.threshold },
      {
        store,
        publicKeyShares: source,
        oracles: async () => {
          const { set } = await readOracleSet(signal);
          return { recipients: set.recipients, threshold: set.recoverThreshold };
        },
        log: log.child({ module: "relayer" }),
        metrics,
      },
    );
    const wallet =
      env[WALLET_PRIVATE_KEY] !== undefined
        ? walletOfPrivateKey(env[WALLET_PRIVATE_KEY] ?? "")
        : settings.walletFile && settings.walletPasswordFile
          ? await loadHotWallet({
              walletFile: settings.walletFile,
              passwordFile: settings.walletPasswordFile,
              env,
            })
          : undefined;
    const keys = settings.publicKeysFile
      ? createKeyRegistry(
          { keys: await readPublicKeysFile(settings.publicKeysFile) },
          {
            store,
            chain: registrationChain(execution, consensus, network),
            log: log.child({ module: "keys" }),
          },
        )
      : undefined;
    await keys?.start();
    const endpoints = deps.watchEndpoints?.(metrics ?? { endpointUp: { set: () => {} } });
    const liveness: UpkeepLiveness = {
      startedAt: Date.now(),
      lastSuccessAt: undefined,
      lastError: undefined,
    };
    const app = createRelayerApp(
      { protocol: settings.protocol, network: network.name },
      {
        core,
        log,
        ...(keys ? { keys } : {}),
        ...(deps.nextValidatorIndex ? { nextValidatorIndex: deps.nextValidatorIndex } : {}),
        ...(wallet
          ? {
              manager: {
                chain: managerChain(execution, network.chainId, network.depositContract.address),
                account: privateKeyToAccount(toPrefixedHex(wallet.privateKey)),
              },
            }
          : {}),
      },
    );
    await app.listen({ host: settings.host, port: settings.port });
    const bound = app.server.address();
    const port = bound !== null && typeof bound === "object" ? bound.port : settings.port;
    log.info("relayer listening", { host: settings.host, port, protocol: settings.protocol });
    deps.onListening?.(
      `http://${settings.host.includes(":") ? `[${settings.host}]` : settings.host}:${port}`,
    );
    const metricsServer =
      metrics && settings.metrics
        ? await startMetricsServer({
            ...settings.metrics,
            registry: metrics.registry,
            signal,
            logger: log,
            health: () =>
              relayerHealth({ liveness, secondsPerSlot: network.secondsPerSlot, store, endpoints }),
          })
        : undefined;
    try {
      while (!signal.aborted) {
        await endpoints?.check();
        await upkeep({
          core,
          keys,
          metrics,
          liveness,
          log,
          lifetimeSeconds: settings.validatorLifetimeSeconds,
        });
        await sleep(network.secondsPerSlot * 1000, signal).catch(() => {});
      }
    } finally {
      await app.close();
      await metricsServer?.close();
    }
  } finally {
    await store.close();
  }
}

/**
 * One pass of the loop: the deposit scan (today's generation), recovery of what stored shares
 * allow, re-sharing of pending exits, cleanup. Never throws: the error is logged and kept for /health.
 */
async function upkeep(params: {
  core: ReturnType<typeof createRelayerCore>;
  keys: FollowedKeyRegistry | undefined;
  metrics: RelayerMetrics | null;
  liveness: UpkeepLiveness;
  log: Logger;
  lifetimeSeconds: number;
}): Promise<void> {
  const { core, metrics, liveness } = params;
  try {
    await params.keys?.refresh();
    await core.retryPending();
    await core.deleteExpired(params.lifetimeSeconds);
    if (metrics) {
      const records = await core.validators();
      const ready = records.filter(signaturesReady).length;
      metrics.validators.set({ state: "ready" }, ready);
      metrics.validators.set({ state: "waiting" }, records.length - ready);
    }
    liveness.lastSuccessAt = Date.now();
    liveness.lastError = undefined;
    metrics?.upkeepSeconds.set(Math.floor(liveness.lastSuccessAt / 1000));
  } catch (error) {
    liveness.lastError = String((error as Error)?.message ?? error).split("\n")[0];
    params.log.warn("relayer upkeep failed", {}, error);
  }
}
