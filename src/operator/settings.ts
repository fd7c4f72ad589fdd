import { join } from "node:path";
import { z } from "zod";
import { parseIpfsGatewaysEnv } from "../chain/ipfs-gateways.ts";
import { expandHome, vaultPaths } from "../config/data-dir.ts";
import type { HashiVaultOptions } from "../keys/hashi-vault/options.ts";
import { UserInputError } from "../lib/errors.ts";
import type { KeySourceSettings } from "./key-source.ts";

/** The start service's settings: parsed once from flags and env vars, validated, frozen. */
export interface StartSettings {
  vault: `0x${string}`;
  network: string | undefined;
  dataDir: string;
  executionEndpoints: string[];
  consensusEndpoints: string[];
  /** IPFS_FETCH_ENDPOINTS when set; else the network's gateways are used (see ipfsGatewaysFor). */
  ipfsEndpoints: string[] | undefined;
  harvestVault: boolean;
  maxFeePerGasGwei: number | undefined;
  depositDataFile: string;
  keystoresDir: string;
  keystoresPasswordFile: string;
  /** Where the validator keys are: local keystores, a remote signer or HashiCorp Vault. */
  keySource: KeySourceSettings;
  hotWalletFile: string;
  hotWalletPasswordFile: string;
  databaseFile: string;
  enableMetrics: boolean;
  metricsHost: string;
  metricsPort: number;
  logLevel: "debug" | "info" | "warn" | "error";
  logFormat: "text" | "json";
  oracleTimeoutMs: number;
}

/** Raw option values as commander gives them (strings; booleans for flags). */
export interface StartOptionValues {
  vault?: string;
  network?: string;
  dataDir: string;
  executionEndpoints?: string;
  consensusEndpoints?: string;
  harvestVault?: boolean;
  maxFeePerGasGwei?: string;
  depositDataFile?: string;
  keystoresDir?: string;
  keystoresPasswordFile?: string;
  hotWalletFile?: string;
  hotWalletPasswordFile?: string;
  databaseDir?: string;
  enableMetrics?: boolean;
  metricsHost: string;
  metricsPort: string;
  logLevel: string;
  logFormat: string;
  verbose?: boolean;
  remoteSignerUrl?: string;
}

const urlList = (flag: string) =>
  z
    .string({ message: `missing ${flag}` })
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().url(`${flag} must be a comma-separated list of http(s) URLs`))
        .min(1, `missing ${flag}: give at least one endpoint`),
    );

/**
 * Where the local keystores and their passwords are, as `start` and `validators-exit` take them:
 * --keystores-dir (default: the vault dir's), --keystores-password-file (default: password.txt
 * in the keystores dir) and KEYSTORES_PASSWORD_DIR, each with `~` expanded.
 */
export function localKeystoresSettings(
  options: { keystoresDir?: string | undefined; keystoresPasswordFile?: string | undefined },
  defaultKeystoresDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Pick<KeySourceSettings, "keystoresDir" | "keystoresPasswordFile" | "keystoresPasswordDir"> {
  const keystoresDir = options.keystoresDir ? expandHome(options.keystoresDir) : defaultKeystoresDir;
  return {
    keystoresDir,
    keystoresPasswordFile: options.keystoresPasswordFile
      ? expandHome(options.keystoresPasswordFile)
      : join(keystoresDir, "password.txt"),
    ...(env.KEYSTORES_PASSWORD_DIR ? { keystoresPasswordDir: expandHome(env.KEYSTORES_PASSWORD_DIR) } : {}),
  };
}

export function parseStartSettings(
  options: StartOptionValues,
  vault: `0x${string}`,
  env: NodeJS.ProcessEnv = process.env,
  hashiVault?: HashiVaultOptions,
): StartSettings {
  const paths = vaultPaths(options.dataDir, vault);
  const schema = z.object({
    executionEndpoints: urlList("--execution-endpoints"),
    consensusEndpoints: urlList("--consensus-endpoints"),
    maxFeePerGasGwei: z.coerce
      .number()
      .positive("--max-fee-per-gas-gwei must be a positive number")
      .optional(),
    metricsPort: z.coerce.number().int().min(1).max(65535),
    logLevel: z.enum(["debug", "info", "warn", "error"], {
      message: "--log-level must be debug, info, warn or error",
    }),
    logFormat: z.enum(["text", "json", "plain"], { message: "--log-format must be text or json" }),
    oracleTimeoutMs: z.coerce.number().int().positive(),
    remoteSignerUrl: z.string().url("--remote-signer-url must be an http(s) URL").optional(),
  });
  const parsed = schema.safeParse({
    executionEndpoints: options.executionEndpoints,
    consensusEndpoints: options.consensusEndpoints,
    maxFeePerGasGwei: options.maxFeePerGasGwei,
    metricsPort: options.metricsPort,
    logLevel: options.verbose ? "debug" : options.logLevel.toLowerCase(),
    logFormat: options.logFormat.toLowerCase(),
    oracleTimeoutMs: env.ORACLES_VALIDATORS_TIMEOUT ? Number(env.ORACLES_VALIDATORS_TIMEOUT) * 1000 : 10_000,
    remoteSignerUrl: options.remoteSignerUrl || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserInputError(issue?.message ?? "invalid start settings");
  }
  const s = parsed.data;
  const keystores = localKeystoresSettings(options, paths.keystoresDir, env);
  const { keystoresDir, keystoresPasswordFile } = keystores;
  return Object.freeze({
    vault,
    network: options.network,
    dataDir: expandHome(options.dataDir),
    executionEndpoints: s.executionEndpoints,
    consensusEndpoints: s.consensusEndpoints,
    ipfsEndpoints: parseIpfsGatewaysEnv(env),
    harvestVault: options.harvestVault === true,
    maxFeePerGasGwei: s.maxFeePerGasGwei,
    depositDataFile: options.depositDataFile ? expandHome(options.depositDataFile) : paths.depositDataFile,
    keystoresDir,
    keystoresPasswordFile,
    keySource: {
      ...keystores,
      ...(s.remoteSignerUrl ? { remoteSignerUrl: s.remoteSignerUrl } : {}),
      remoteSignerConfigFile: join(paths.vaultDir, "remote_signer_config.json"),
      ...(hashiVault ? { hashiVault } : {}),
    },
    hotWalletFile: options.hotWalletFile ? expandHome(options.hotWalletFile) : paths.walletFile,
    hotWalletPasswordFile: options.hotWalletPasswordFile
      ? expandHome(options.hotWalletPasswordFile)
      : paths.walletPasswordFile,
    databaseFile: options.databaseDir
      ? join(expandHome(options.databaseDir), "operator.db")
      : paths.databaseFile,
    enableMetrics: options.enableMetrics === true,
    metricsHost: options.metricsHost,
    metricsPort: s.metricsPort,
    logLevel: s.logLevel,
    logFormat: s.logFormat === "json" ? "json" : "text",
    oracleTimeoutMs: s.oracleTimeoutMs,
  });
}
