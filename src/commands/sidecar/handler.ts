import { devnetNetworkFile, expandHome } from "../../config/data-dir.ts";
import { resolveNetwork } from "../../config/networks.ts";
import { runSidecar, type SidecarCluster, type SidecarSettings } from "../../dvt/sidecar/service.ts";
import { MissingInputError, UserInputError } from "../../lib/errors.ts";
import { createLogger } from "../../lib/logger.ts";
import type { CommandContext } from "../context.ts";
import type { ServiceOutputOptionValues } from "../service-options.ts";
import type { SidecarOptionValues } from "./options.ts";

export type SidecarCommandOptionValues = SidecarOptionValues & ServiceOutputOptionValues;

function required<T>(value: T | undefined, flag: string, envVar: string): T {
  if (value === undefined) throw new MissingInputError(flag, envVar);
  return value;
}

/** The flags checked once into the sidecar's settings; a missing or misplaced one is one line. */
export function sidecarSettings(options: SidecarCommandOptionValues): SidecarSettings {
  const relayerEndpoint = required(options.relayerEndpoint, "--relayer-endpoint", "RELAYER_ENDPOINT");
  const networkName = required(options.network, "--network", "NETWORK");
  const type = required(options.clusterType, "--cluster-type", "CLUSTER_TYPE");
  const network = resolveNetwork(networkName, { devnetFile: devnetNetworkFile(options.dataDir) });
  let cluster: SidecarCluster;
  if (type === "obol") {
    if (options.ssvOperatorId !== undefined || options.ssvOperatorKeyFile !== undefined) {
      throw new UserInputError(
        "--ssv-operator-id and --ssv-operator-key-file are for --cluster-type ssv, not obol",
      );
    }
    cluster = {
      type,
      keystoresDir: expandHome(
        required(options.obolKeystoresDir, "--obol-keystores-dir", "OBOL_KEYSTORES_DIR"),
      ),
      clusterLockFile: expandHome(
        required(options.obolClusterLock, "--obol-cluster-lock", "OBOL_CLUSTER_LOCK_FILE"),
      ),
      nodeIndex: required(options.obolNodeIndex, "--obol-node-index", "OBOL_NODE_INDEX"),
    };
  } else {
    if (options.obolNodeIndex !== undefined || options.obolClusterLock !== undefined) {
      throw new UserInputError(
        "--obol-node-index and --obol-cluster-lock are for --cluster-type obol, not ssv",
      );
    }
    cluster = {
      type,
      operatorId: BigInt(required(options.ssvOperatorId, "--ssv-operator-id", "SSV_OPERATOR_ID")),
      operatorKeyFile: expandHome(
        required(options.ssvOperatorKeyFile, "--ssv-operator-key-file", "SSV_OPERATOR_KEY_FILE"),
      ),
      ...(options.ssvOperatorPasswordFile
        ? { operatorPasswordFile: expandHome(options.ssvOperatorPasswordFile) }
        : {}),
      executionEndpoints: required(
        options.executionEndpoints,
        "--execution-endpoints",
        "EXECUTION_ENDPOINTS",
      ),
      consensusEndpoints: required(
        options.consensusEndpoints,
        "--consensus-endpoints",
        "CONSENSUS_ENDPOINTS",
      ),
      ...(options.ssvNetworkAddress ? { ssvNetwork: options.ssvNetworkAddress } : {}),
    };
  }
  return {
    network,
    relayerEndpoint,
    protocol: options.protocol,
    pollIntervalMs: Math.round(options.pollInterval * 1000),
    relayerTimeoutMs: Math.round(options.relayerTimeout * 1000),
    cluster,
    dataDir: expandHome(options.dataDir),
    ...(options.enableMetrics ? { metrics: { host: options.metricsHost, port: options.metricsPort } } : {}),
  };
}

/** `operator sidecar`: settings parsed once, then the service until SIGINT/SIGTERM. */
export async function runSidecarCommand(
  options: SidecarCommandOptionValues,
  ctx: CommandContext,
): Promise<void> {
  const settings = sidecarSettings(options);
  const log = createLogger({
    level: options.verbose ? "debug" : options.logLevel,
    format: options.logFormat === "json" ? "json" : "text",
    ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
  });
  await runSidecar(settings, { log, signal: ctx.signal });
}
