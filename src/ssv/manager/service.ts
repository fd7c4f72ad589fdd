import { join } from "node:path";
import { createClock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/logger.ts";
import { type MetricsServer, startMetricsServer } from "../../lib/metrics-server.ts";
import { runServiceLoops } from "../../operator/service-loops.ts";
import { createEndpointWatch, watchedNodeEndpoints } from "../../operator/status/endpoint-watch.ts";
import { type Liveness, serviceHealth } from "../../operator/status/service-health.ts";
import { createServiceStatus } from "../../operator/status/service-status.ts";
import { openSsvEnvironment, type SsvEnvironmentSettings, signingOf } from "../environment.ts";
import { createSsvMetrics } from "../metrics.ts";
import type { SelectionOptions } from "../selection.ts";
import { createSsvChainReader, detectSsvFeeEra } from "../ssv-chain.ts";
import { createActionRunner } from "./act.ts";
import type { DecideSettings } from "./decide-round.ts";
import { MANAGER_STATE_FILE_NAME } from "./manager-state-file.ts";
import { openOwnerMemory } from "./owner-memory.ts";
import { createRoundReader, type ManagerReading } from "./read-round.ts";
import { registerKeys } from "./register-keys.ts";
import { createManagerRound } from "./round.ts";

/** Consecutive failed rounds after which /health answers 503. */
const UNHEALTHY_AFTER_ROUNDS = 5;

export interface SsvManagerSettings {
  /** Where and as whom ("read" for --dry-run: nothing can be sent). */
  environment: SsvEnvironmentSettings & { depositDataFile: string };
  intervalSeconds: number;
  dryRun: boolean;
  decide: Omit<DecideSettings, "marketMedianFee">;
  runwayDays: number;
  prepareKeys: number;
  selection: SelectionOptions;
  /** Serve /metrics and /health; undefined: off. */
  metrics?: { host: string; port: number };
}

/**
 * The composition root of `operator ssv-manager`: the SSV environment (endpoints checked, the
 * owner's wallet, ssv.db and its TransactionSender), the fee era, the chain reader, the manager's
 * memory, metrics and /health, then one round every --interval-seconds (settle → read → decide →
 * act; never overlapping, never dying) beside an endpoint watch, until `signal` aborts.
 */
export async function runSsvManager(
  settings: SsvManagerSettings,
  deps: { log: Logger; signal: AbortSignal; print?: (line: string) => void },
): Promise<void> {
  const { signal } = deps;
  const log = deps.log.child({ module: "ssv-manager" });
  const env = await openSsvEnvironment(settings.environment, { log: deps.log });
  let server: MetricsServer | undefined;
  try {
    const { network, ssv, execution } = env;
    const era = await detectSsvFeeEra({ client: execution, network, ssvNetworkViews: ssv.views });
    const deployBlock = BigInt(ssv.deployBlock);
    const reader = createSsvChainReader({
      client: execution,
      network,
      contracts: {
        ssvNetwork: ssv.network,
        ssvNetworkViews: ssv.views,
        ...(ssv.token ? { ssvToken: ssv.token } : {}),
        deployBlock,
      },
      era,
    });
    const memory = await openOwnerMemory({
      file: join(env.paths.vaultDir, MANAGER_STATE_FILE_NAME),
      owner: env.owner,
      client: execution,
      ssvNetwork: ssv.network,
      deployBlock,
    });
    const blocksPerDay = Math.round(86_400 / network.secondsPerSlot);
    const read = createRoundReader(
      {
        runwayDays: settings.runwayDays,
        minRunwayDays: settings.decide.minRunwayDays,
        prepareKeys: settings.prepareKeys,
        depositDataFile: settings.environment.depositDataFile,
        selection: settings.selection,
      },
      { env, reader, memory },
    );
    let last: ManagerReading | undefined;
    const signing = settings.dryRun ? undefined : signingOf(env);
    const act = signing
      ? createActionRunner({
          owner: env.owner,
          ssv: { network: ssv.network, ...(ssv.token ? { token: ssv.token } : {}) },
          execution,
          reader,
          memory,
          sender: signing.sender,
          register: (keys, exclude) =>
            registerKeys(keys, exclude, {
              env,
              reader,
              memory,
              candidates: () => last?.candidates ?? [],
              settings: { runwayDays: settings.runwayDays, blocksPerDay, selection: settings.selection },
            }),
          log,
        })
      : undefined;

    const intervalMs = settings.intervalSeconds * 1000;
    const metrics = createSsvMetrics({ network: network.name });
    const status = createServiceStatus({
      log,
      metrics,
      repeatMs: intervalMs,
      unhealthyAfterRounds: UNHEALTHY_AFTER_ROUNDS,
    });
    const watched = watchedNodeEndpoints(
      settings.environment.executionEndpoints,
      settings.environment.consensusEndpoints,
      network,
      { jwtSecret: settings.environment.executionJwtSecret },
    );
    const endpoints = createEndpointWatch({ endpoints: watched, log, metrics, repeatMs: intervalMs });
    const liveness: Liveness = {
      vault: env.vault,
      startedAt: Date.now(),
      lastSlot: undefined,
      lastSlotAt: undefined,
    };
    const round = createManagerRound({
      settle: signing ? () => signing.sender.settle() : async () => true,
      read: async (roundSignal) => {
        last = await read(roundSignal);
        return last;
      },
      act: (action) => {
        if (!act) throw new Error("a dry run sends nothing");
        return act(action);
      },
      settings: settings.decide,
      dryRun: settings.dryRun,
      ...(deps.print ? { print: deps.print } : {}),
      status,
      metrics,
      log,
      onRoundStart: (tick) => {
        liveness.lastSlot = tick;
        liveness.lastSlotAt = Date.now();
      },
    });

    let metricsUrl: string | undefined;
    if (settings.metrics) {
      server = await startMetricsServer({
        host: settings.metrics.host,
        port: settings.metrics.port,
        registry: metrics.registry,
        signal,
        logger: log,
        health: async () =>
          serviceHealth({ liveness, secondsPerSlot: settings.intervalSeconds, endpoints, status }),
      });
      metricsUrl = server.url;
    }
    // Rounds on their own clock: one tick per --interval-seconds from the chain's genesis.
    const clock = createClock({
      genesisTime: Number((await execution.getBlock({ blockNumber: 0n })).timestamp),
      secondsPerSlot: settings.intervalSeconds,
      slotsPerEpoch: 1,
    });
    metrics.serviceStarted.set(1);
    log.info("service started", {
      vault: env.vault,
      network: network.name,
      owner: env.owner,
      era,
      dryRun: settings.dryRun,
      intervalSeconds: settings.intervalSeconds,
      ...(metricsUrl ? { metrics: metricsUrl } : {}),
    });
    await runServiceLoops({ clock, signal, round, endpoints, metrics, status, log, epochMs: intervalMs });
  } finally {
    await server?.close();
    await env.close();
  }
  log.info("service stopped");
}
