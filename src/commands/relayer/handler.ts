import { expandHome } from "../../config/data-dir.ts";
import type { NetworkName } from "../../config/networks.ts";
import { runRelayer } from "../../dvt/relayer/service.ts";
import { UserInputError } from "../../lib/errors.ts";
import { createLogger } from "../../lib/logger.ts";
import type { CommandContext } from "../context.ts";
import { askEndpoints } from "../endpoints-input.ts";
import { askNetwork } from "../inputs.ts";
import type { ServiceOutputOptionValues } from "../service-options.ts";
import { operatorParts } from "./operator-parts.ts";

export interface RelayerOptionValues extends ServiceOutputOptionValues {
  network?: NetworkName;
  dataDir: string;
  executionEndpoints?: string[];
  executionJwtSecret?: Uint8Array;
  consensusEndpoints?: string[];
  signatureThreshold: number;
  protocol: "v4" | "legacy";
  publicKeysFile?: string;
  obolClusterLock?: string;
  ssvClusterOwner?: `0x${string}`;
  host: string;
  port: number;
  dbUrl?: string;
  validatorLifetime: number;
  walletFile?: string;
  walletPasswordFile?: string;
}

/** `operator relayer`: flags checked once, then the service until the signal aborts. */
export async function runRelayerCommand(options: RelayerOptionValues, ctx: CommandContext): Promise<void> {
  if (options.obolClusterLock && options.ssvClusterOwner) {
    throw new UserInputError("pass --obol-cluster-lock or --ssv-cluster-owner, not both");
  }
  if (options.protocol === "v4" && !options.publicKeysFile) {
    throw new UserInputError("--protocol v4 needs --public-keys-file (the CSV of the DV public keys)");
  }
  const network = await askNetwork(ctx, options.network, options.dataDir);
  const log = createLogger({
    level: options.verbose ? "debug" : options.logLevel,
    format: options.logFormat === "json" ? "json" : "text",
    ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
  });
  const opt = <K extends keyof RelayerOptionValues>(key: K, value = options[key]) =>
    value === undefined ? {} : ({ [key]: value } as Pick<RelayerOptionValues, K>);
  const executionEndpoints = await askEndpoints(ctx, options.executionEndpoints, "execution");
  const consensusEndpoints = await askEndpoints(ctx, options.consensusEndpoints, "consensus");
  const dataDir = expandHome(options.dataDir);
  const parts = await operatorParts({
    network,
    protocol: options.protocol,
    executionEndpoints,
    executionJwtSecret: options.executionJwtSecret,
    consensusEndpoints,
    dataDir,
    log,
  });
  try {
    await runRelayer(
      {
        network,
        protocol: options.protocol,
        executionEndpoints,
        ...opt("executionJwtSecret"),
        consensusEndpoints,
        threshold: options.signatureThreshold,
        host: options.host,
        port: options.port,
        dataDir,
        validatorLifetimeSeconds: options.validatorLifetime,
        ...opt("dbUrl"),
        ...(options.publicKeysFile ? { publicKeysFile: expandHome(options.publicKeysFile) } : {}),
        ...(options.obolClusterLock ? { obolClusterLock: expandHome(options.obolClusterLock) } : {}),
        ...opt("ssvClusterOwner"),
        ...(options.walletFile ? { walletFile: expandHome(options.walletFile) } : {}),
        ...(options.walletPasswordFile ? { walletPasswordFile: expandHome(options.walletPasswordFile) } : {}),
        ...(options.enableMetrics
          ? { metrics: { host: options.metricsHost, port: options.metricsPort } }
          : {}),
      },
      { log, signal: ctx.signal, ...parts.deps },
    );
  } finally {
    parts.close();
  }
}
