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

/** The one value of a setting given under its own name or the Python sidecar's other name. */
function oneOf2<T>(a: T | undefined, b: T | undefined, names: string): T | undefined {
  if (a !== undefined && b !== undefined) {
    throw new UserInputError(`${names} are both set: set one of them`);
  }
  return a ?? b;
}

/**
 * The path for each node: `{placeholder}` replaced by the node's id. With several nodes the path
 * must hold the placeholder (one node's files are not another's); with one, it may not.
 */
function perNode(path: string, placeholder: string, ids: readonly number[], flag: string): string[] {
  const token = `{${placeholder}}`;
  if (ids.length > 1 && !path.includes(token)) {
    throw new UserInputError(
      `${flag} ${path} has no ${token} but ${ids.length} nodes are given (${ids.join(", ")}): put ${token} where each node's files differ, e.g. node${token}`,
    );
  }
  return ids.map((id) => expandHome(path.split(token).join(String(id))));
}

/**
 * The flags checked once into one sidecar's settings per node the process acts for (one, unless a
 * list of node indexes or operator ids is given); a missing or misplaced one is one line.
 */
export function sidecarSettings(options: SidecarCommandOptionValues): SidecarSettings[] {
  const relayerEndpoint = required(options.relayerEndpoint, "--relayer-endpoint", "RELAYER_ENDPOINT");
  const networkName = required(options.network, "--network", "NETWORK");
  const type = required(options.clusterType, "--cluster-type", "CLUSTER_TYPE");
  const network = resolveNetwork(networkName, { devnetFile: devnetNetworkFile(options.dataDir) });
  let clusters: SidecarCluster[];
  if (type === "obol") {
    if (
      options.ssvOperatorId !== undefined ||
      options.ssvOperatorIds !== undefined ||
      options.ssvOperatorKeyFile !== undefined
    ) {
      throw new UserInputError(
        "--ssv-operator-id and --ssv-operator-key-file are for --cluster-type ssv, not obol",
      );
    }
    const nodeIndexes = required(
      oneOf2(options.obolNodeIndex, options.obolNodeIndexes, "--obol-node-index and OBOL_NODE_INDEXES"),
      "--obol-node-index",
      "OBOL_NODE_INDEX",
    );
    const keystoresDirs = perNode(
      required(
        oneOf2(
          options.obolKeystoresDir,
          options.obolKeystoresDirTemplate,
          "--obol-keystores-dir and OBOL_KEYSTORES_DIR_TEMPLATE",
        ),
        "--obol-keystores-dir",
        "OBOL_KEYSTORES_DIR",
      ),
      "node_index",
      nodeIndexes,
      "--obol-keystores-dir",
    );
    const clusterLockFile = expandHome(
      required(options.obolClusterLock, "--obol-cluster-lock", "OBOL_CLUSTER_LOCK_FILE"),
    );
    clusters = nodeIndexes.map((nodeIndex, k) => ({
      type,
      keystoresDir: keystoresDirs[k] as string,
      clusterLockFile,
      nodeIndex,
    }));
  } else {
    if (
      options.obolNodeIndex !== undefined ||
      options.obolNodeIndexes !== undefined ||
      options.obolClusterLock !== undefined
    ) {
      throw new UserInputError(
        "--obol-node-index and --obol-cluster-lock are for --cluster-type obol, not ssv",
      );
    }
    const operatorIds = required(
      oneOf2(options.ssvOperatorId, options.ssvOperatorIds, "--ssv-operator-id and SSV_OPERATOR_IDS"),
      "--ssv-operator-id",
      "SSV_OPERATOR_ID",
    );
    const keyFiles = perNode(
      required(
        oneOf2(
          options.ssvOperatorKeyFile,
          options.ssvOperatorKeyFileTemplate,
          "--ssv-operator-key-file and SSV_OPERATOR_KEY_FILE_TEMPLATE",
        ),
        "--ssv-operator-key-file",
        "SSV_OPERATOR_KEY_FILE",
      ),
      "operator_id",
      operatorIds,
      "--ssv-operator-key-file",
    );
    const passwordFile = oneOf2(
      options.ssvOperatorPasswordFile,
      options.ssvOperatorPasswordFileTemplate,
      "--ssv-operator-password-file and SSV_OPERATOR_PASSWORD_FILE_TEMPLATE",
    );
    const passwordFiles = passwordFile
      ? perNode(passwordFile, "operator_id", operatorIds, "--ssv-operator-password-file")
      : undefined;
    const executionEndpoints = required(
      options.executionEndpoints,
      "--execution-endpoints",
      "EXECUTION_ENDPOINTS",
    );
    const consensusEndpoints = required(
      options.consensusEndpoints,
      "--consensus-endpoints",
      "CONSENSUS_ENDPOINTS",
    );
    clusters = operatorIds.map((operatorId, k) => ({
      type,
      operatorId: BigInt(operatorId),
      operatorKeyFile: keyFiles[k] as string,
      ...(passwordFiles ? { operatorPasswordFile: passwordFiles[k] as string } : {}),
      executionEndpoints,
      consensusEndpoints,
      ...(options.ssvNetworkAddress ? { ssvNetwork: options.ssvNetworkAddress } : {}),
    }));
  }
  // One metrics port per node, from --metrics-port up.
  return clusters.map((cluster, k) => ({
    network,
    relayerEndpoint,
    protocol: options.protocol,
    pollIntervalMs: Math.round(options.pollInterval * 1000),
    relayerTimeoutMs: Math.round(options.relayerTimeout * 1000),
    cluster,
    dataDir: expandHome(options.dataDir),
    ...(options.enableMetrics
      ? { metrics: { host: options.metricsHost, port: options.metricsPort + k } }
      : {}),
  }));
}

/** `operator sidecar`: settings parsed once, then the service until SIGINT/SIGTERM. */
export async function runSidecarCommand(
  options: SidecarCommandOptionValues,
  ctx: CommandContext,
): Promise<void> {
  const nodes = sidecarSettings(options);
  const log = createLogger({
    level: options.verbose ? "debug" : options.logLevel,
    format: options.logFormat === "json" ? "json" : "text",
    ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
  });
  if (nodes.length === 1) {
    await runSidecar(nodes[0] as SidecarSettings, { log, signal: ctx.signal });
    return;
  }
  // Several nodes in one process: when one stops with an error, the others stop too, and that
  // error is the command's.
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const runs = nodes.map((settings) =>
    runSidecar(settings, { log: log.child({ shareIndex: shareIndexOf(settings) }), signal }).catch(
      (error: unknown) => {
        stop.abort();
        throw error;
      },
    ),
  );
  const results = await Promise.allSettled(runs);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

function shareIndexOf(settings: SidecarSettings): string {
  const { cluster } = settings;
  return cluster.type === "obol" ? String(cluster.nodeIndex + 1) : String(cluster.operatorId);
}
