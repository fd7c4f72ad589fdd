import { join, resolve } from "node:path";
import { parseIpfsGatewaysEnv } from "../chain/ipfs-gateways.ts";
import { expandHome, vaultPaths } from "../config/data-dir.ts";
import type { NetworkName } from "../config/networks.ts";
import type { HashiVaultOptions } from "../keys/hashi-vault/options.ts";
import { UserInputError } from "../lib/errors.ts";
import { parseEnvValue, positiveNumber } from "../lib/values.ts";
import { chooseKeySource, type KeySourceKind, type KeySourceSettings } from "./key-source.ts";
import type { LOG_FORMATS, LOG_LEVELS } from "./log-options.ts";
import { parseV5Settings, type V5OptionValues, type V5Settings } from "./v5-settings.ts";

/** The start service's settings: parsed once from flags and env vars, validated, frozen. */
export interface StartSettings {
  vault: `0x${string}`;
  network: NetworkName | undefined;
  dataDir: string;
  executionEndpoints: string[];
  /** --execution-jwt-secret: the execution endpoints take a fresh HS256 token with each request. */
  executionJwtSecret: Uint8Array | undefined;
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
  /**
   * --db-url / DB_URL: the state in PostgreSQL instead of `databaseFile`, shared by replicas that
   * elect one leader (see operator/leader/leader-lock.ts). Secret: log it only through redactUrl.
   */
  dbUrl: string | undefined;
  enableMetrics: boolean;
  /** --metrics-prefix: the metric names' namespace (default sw_operator: sw_operator_block_number). */
  metricsPrefix: string;
  metricsHost: string;
  metricsPort: number;
  logLevel: "debug" | "info" | "warn" | "error";
  logFormat: "text" | "json";
  oracleTimeoutMs: number;
  /**
   * What vault versions 2–5 add (validator type, top-ups, withdrawals): see v5-settings.ts.
   * Parsed and checked here; the flows of issue 12 read them.
   */
  v5: V5Settings;
  /**
   * --relayer-endpoint: the validators come from this DVT relayer (spec A.1) and no key source is
   * opened; undefined for every other flow.
   */
  relayerEndpoint: string | undefined;
  /** RELAYER_TIMEOUT (seconds, default 10, as the Python operator v4): each relayer request. */
  relayerTimeoutMs: number;
  /**
   * --relayer-protocol: the relayer's generation (spec A.0). v4: the relayer makes the validators
   * (POST /register). legacy: the operator registers its own deposit data and the relayer gives the
   * exit signatures' oracle shards (POST /validators). Only read with a relayerEndpoint.
   */
  relayerProtocol: RelayerProtocol;
}

/** The DVT relayer generations `start --relayer-endpoint` speaks (spec A.0). */
export type RelayerProtocol = "v4" | "legacy";

/** Option values as commander parsed them (commands/start/command.ts); booleans for flags. */
export interface StartOptionValues extends V5OptionValues {
  vault?: `0x${string}`;
  network?: NetworkName;
  dataDir: string;
  executionEndpoints?: string[];
  executionJwtSecret?: Uint8Array;
  consensusEndpoints?: string[];
  harvestVault?: boolean;
  maxFeePerGasGwei?: number;
  depositDataFile?: string;
  keystoresDir?: string;
  keystoresPasswordFile?: string;
  hotWalletFile?: string;
  hotWalletPasswordFile?: string;
  /** --wallet-file / WALLET_FILE: the Python operator v4's name for --hot-wallet-file. */
  walletFile?: string;
  /** --wallet-password-file / WALLET_PASSWORD_FILE: v4's name for --hot-wallet-password-file. */
  walletPasswordFile?: string;
  databaseDir?: string;
  /** --db-url / DB_URL (checked by dbUrlValue), or what --db-url-file holds (commands/start/db-url-setting.ts). */
  dbUrl?: string;
  /** --db-url-file / DB_URL_FILE: a file holding the URL (a mounted secret). */
  dbUrlFile?: string;
  enableMetrics?: boolean;
  metricsPrefix: string;
  metricsHost: string;
  metricsPort: number;
  logLevel: (typeof LOG_LEVELS)[number];
  logFormat: (typeof LOG_FORMATS)[number];
  verbose?: boolean;
  remoteSignerUrl?: string;
  /** Set by start-local, start-remote-signer and start-hashi-vault: the only key source to open. */
  keySourceKind?: KeySourceKind;
  /** --relayer-endpoint / RELAYER_ENDPOINT (start and start-relayer). */
  relayerEndpoint?: string;
  /** --relayer-protocol / RELAYER_PROTOCOL (start only; start-relayer is v4). */
  relayerProtocol?: RelayerProtocol;
}

/** A required list of endpoints; start never prompts for it. */
function required(value: string[] | undefined, flag: string, envVar: string): string[] {
  if (value === undefined) throw new UserInputError(`missing ${flag}: pass ${flag} or set ${envVar}`);
  return value;
}

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

/**
 * One of two names for the same file: ours (`--hot-wallet-file`) and the Python operator v4's
 * (`--wallet-file`). Either works; both naming different files is refused rather than guessed.
 */
export function eitherName(
  ours: { value: string | undefined; flag: string; envVar: string },
  theirs: { value: string | undefined; flag: string; envVar: string },
): string | undefined {
  const a = ours.value ? expandHome(ours.value) : undefined;
  const b = theirs.value ? expandHome(theirs.value) : undefined;
  if (a !== undefined && b !== undefined && resolve(a) !== resolve(b)) {
    throw new UserInputError(
      `${ours.flag} (${ours.envVar}) is ${a} but ${theirs.flag} (${theirs.envVar}) is ${b}: they name the same file, give one of them`,
    );
  }
  return a ?? b;
}

export function parseStartSettings(
  options: StartOptionValues,
  vault: `0x${string}`,
  env: NodeJS.ProcessEnv = process.env,
  hashiVault?: HashiVaultOptions,
): StartSettings {
  const paths = vaultPaths(options.dataDir, vault);
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
  const oracleTimeoutSeconds = parseEnvValue(
    env,
    "ORACLES_VALIDATORS_TIMEOUT",
    positiveNumber("a timeout", "a positive number of seconds, e.g. 10"),
    10,
  );
  const relayerTimeoutSeconds = parseEnvValue(
    env,
    "RELAYER_TIMEOUT",
    positiveNumber("a timeout", "a positive number of seconds, e.g. 10"),
    10,
  );
  const keystores = localKeystoresSettings(options, paths.keystoresDir, env);
  const { keystoresDir, keystoresPasswordFile } = keystores;
  const walletFile = eitherName(
    { value: options.hotWalletFile, flag: "--hot-wallet-file", envVar: "HOT_WALLET_FILE" },
    { value: options.walletFile, flag: "--wallet-file", envVar: "WALLET_FILE" },
  );
  const walletPasswordFile = eitherName(
    {
      value: options.hotWalletPasswordFile,
      flag: "--hot-wallet-password-file",
      envVar: "HOT_WALLET_PASSWORD_FILE",
    },
    { value: options.walletPasswordFile, flag: "--wallet-password-file", envVar: "WALLET_PASSWORD_FILE" },
  );
  const v5 = parseV5Settings(options, env);
  const keySource: KeySourceSettings = {
    ...keystores,
    ...(options.remoteSignerUrl ? { remoteSignerUrl: options.remoteSignerUrl } : {}),
    remoteSignerConfigFile: join(paths.vaultDir, "remote_signer_config.json"),
    ...(hashiVault ? { hashiVault } : {}),
    ...(options.keySourceKind ? { only: options.keySourceKind } : {}),
  };
  const relayerEndpoint = options.relayerEndpoint?.trim() || undefined;
  if (relayerEndpoint && !/^https?:\/\/[^\s/]+/.test(relayerEndpoint)) {
    throw new UserInputError(
      `--relayer-endpoint ${relayerEndpoint} is not an http(s) URL: pass the relayer's address, e.g. http://relayer:8000`,
    );
  }
  if (relayerEndpoint && (options.remoteSignerUrl || hashiVault)) {
    throw new UserInputError(
      `--relayer-endpoint takes the validators from the relayer, which holds their keys: drop ${options.remoteSignerUrl ? "--remote-signer-url" : "--hashi-vault-url"}`,
    );
  }
  const relayerProtocol = options.relayerProtocol ?? "v4";
  if (relayerProtocol === "legacy" && !relayerEndpoint) {
    throw new UserInputError(
      "--relayer-protocol legacy takes the exit signatures from a legacy DVT relayer: pass its --relayer-endpoint, or drop --relayer-protocol",
    );
  }
  // A preselected key source without its URL fails here, before any endpoint is called.
  if (!relayerEndpoint) chooseKeySource(keySource);
  return Object.freeze({
    vault,
    network: options.network,
    dataDir: expandHome(options.dataDir),
    executionEndpoints,
    executionJwtSecret: options.executionJwtSecret,
    consensusEndpoints,
    ipfsEndpoints: parseIpfsGatewaysEnv(env),
    harvestVault: options.harvestVault === true,
    maxFeePerGasGwei: options.maxFeePerGasGwei,
    depositDataFile: options.depositDataFile ? expandHome(options.depositDataFile) : paths.depositDataFile,
    keystoresDir,
    keystoresPasswordFile,
    keySource,
    hotWalletFile: walletFile ?? paths.walletFile,
    hotWalletPasswordFile: walletPasswordFile ?? paths.walletPasswordFile,
    databaseFile: options.databaseDir
      ? join(expandHome(options.databaseDir), "operator.db")
      : paths.databaseFile,
    dbUrl: options.dbUrl,
    enableMetrics: options.enableMetrics === true,
    metricsPrefix: options.metricsPrefix,
    metricsHost: options.metricsHost,
    metricsPort: options.metricsPort,
    logLevel: options.verbose ? "debug" : options.logLevel,
    logFormat: options.logFormat === "json" ? "json" : "text",
    oracleTimeoutMs: Math.round(oracleTimeoutSeconds * 1000),
    v5,
    relayerEndpoint,
    relayerTimeoutMs: Math.round(relayerTimeoutSeconds * 1000),
    relayerProtocol,
  });
}
