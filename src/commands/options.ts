import { type Command, Option } from "commander";
import { jwtSecretValue } from "../chain/execution-jwt.ts";
import { DEFAULT_DATA_DIR } from "../config/default-data-dir.ts";
import { NETWORK_NAMES, networkNameValue } from "../config/network-names.ts";
import { mnemonicValue } from "../crypto/mnemonic.ts";
import { addressValue } from "../lib/address.ts";
import { UserInputError } from "../lib/errors.ts";
import {
  httpUrl,
  InvalidValueError,
  invalidValueMessage,
  parseValue,
  positiveNumber,
  type ValueParser,
  wholeNumber,
} from "../lib/values.ts";

/**
 * An option whose value is parsed by `parse` (see lib/values.ts) as commander reads it, from the
 * flag or from its env var: the action gets the parsed value, and a bad value fails before the
 * action with one line naming the flag, or the env var when the value came from it
 * (`METRICS_PORT="99999" (for --metrics-port) is not a port: …`). A `secret` value is never shown.
 * Defaults are given parsed (`.default(9100)`): commander does not parse them.
 */
export function valueOption<T>(
  flags: string,
  description: string,
  parse: ValueParser<T>,
  options: { secret?: boolean } = {},
): Option {
  const option = new Option(flags, description);
  return option.argParser((text: string) => {
    // Commander reads the env var only when the flag was not given; the same text in both is
    // the same value either way.
    const envVar = option.envVar;
    const fromEnv = envVar !== undefined && process.env[envVar] === text;
    return parseValue(parse, text, {
      flag: option.long ?? option.name(),
      ...(fromEnv ? { envVar } : {}),
      ...(options.secret ? { secret: true } : {}),
    });
  });
}

/** Options several commands share; each also reads the env var the Python operator uses. */
export const dataDirOption = (description = "Path where the vault data is stored.") =>
  new Option("--data-dir <path>", `${description}`).env("DATA_DIR").default(DEFAULT_DATA_DIR, "~/.stakewise");

export const vaultOption = (description = "The vault address.") =>
  valueOption("--vault <address>", description, addressValue).env("VAULT");

/** The network option of commands that read it from the vault's config.json when absent. */
export const vaultNetworkOption = () =>
  networkOption(
    `The network of your vault (${NETWORK_NAMES.join(", ")}; default: from the vault's config.json).`,
  );

/** --wallet-file and --wallet-password-file (the Python operator v4's names), with `whose` wallet it is. */
export const walletFileOptions = (whose: string): Option[] => [
  new Option("--wallet-file <path>", `${whose} (default: the vault dir's wallet/wallet.json).`).env(
    "WALLET_FILE",
  ),
  new Option("--wallet-password-file <path>", "Its password file (default: wallet/password.txt).").env(
    "WALLET_PASSWORD_FILE",
  ),
];

/** --keystores-dir and --keystores-password-file, as start and the SSV commands read them. */
export const keystoresOptions = (): Option[] => [
  new Option("--keystores-dir <path>", "Validator keystores (default: the vault dir's).").env(
    "KEYSTORES_DIR",
  ),
  new Option("--keystores-password-file <path>", "Shared keystore password file.").env(
    "KEYSTORES_PASSWORD_FILE",
  ),
];

/** --max-fee-per-gas-gwei: the cap above which no transaction is sent. */
export const maxFeePerGasOption = () =>
  valueOption(
    "--max-fee-per-gas-gwei <gwei>",
    "Do not send transactions above this max fee per gas.",
    positiveNumber("a max fee per gas", "a positive number of gwei, e.g. 30"),
  ).env("MAX_FEE_PER_GAS_GWEI");

/** --deposit-data-file (default: the vault dir's deposit_data.json). */
export const depositDataFileOption = () =>
  new Option("--deposit-data-file <path>", "Deposit data (default: the vault dir's).").env(
    "DEPOSIT_DATA_FILE",
  );

/** --network: one of the network names (checked here; a devnet's file is read by the command). */
export const networkOption = (description: string) =>
  valueOption("--network <name>", description, networkNameValue).env("NETWORK");

export const mnemonicOption = (description: string) =>
  valueOption(
    "--mnemonic <words>",
    `${description} Prefer the prompt or MNEMONIC: flags are visible to other local users.`,
    mnemonicValue,
    { secret: true },
  ).env("MNEMONIC");

/** The remote signer's base URL, an http(s) URL (and its prompt, in remote-signer-setup). */
export const remoteSignerUrlValue = httpUrl("http://signer:9000");

/** --remote-signer-url: the Web3Signer holding the validator key shares. */
export const remoteSignerUrlOption = (description: string) =>
  valueOption("--remote-signer-url <url>", description, remoteSignerUrlValue).env("REMOTE_SIGNER_URL");

/** Worker threads of a command (create-keys, remote-db upload-keypairs). */
export const concurrencyOption = (description: string) =>
  valueOption("--concurrency <n>", description, wholeNumber("a number of threads", 1, 1024)).env(
    "CONCURRENCY",
  );

const TRUE = new Set(["1", "true", "yes", "y", "on"]);
const FALSE = new Set(["0", "false", "no", "n", "off", ""]);

/** A boolean env var read the way the Python operator does: only truthy strings turn it on. */
export function booleanValue(text: string): boolean {
  const normalised = text.trim().toLowerCase();
  if (TRUE.has(normalised)) return true;
  if (FALSE.has(normalised)) return false;
  throw new InvalidValueError("is not a boolean: use true or false");
}

/** {@link booleanValue} of env var `name` (for `flag`, when given); a bad value names both. */
export function parseBooleanEnv(name: string, value: string, flag?: string): boolean {
  return parseValue(booleanValue, value, { envVar: name, ...(flag ? { flag } : {}) });
}

/**
 * A boolean flag that also reads an env var. Commander's own `.env()` turns a boolean on for any
 * value, even "false", so the env var is applied in a preAction hook instead, and only when the
 * flag itself was not given. `--no-x` flags store the negation.
 */
export function addBooleanFlag(
  command: Command,
  flags: string,
  description: string,
  envVar: string,
): Command {
  const option = new Option(flags, `${description} (env: ${envVar})`);
  const negated = option.negate;
  const key = option.attributeName();
  command.addOption(negated ? option : option.default(false));
  return command.hook("preAction", (_, actionCommand) => {
    const raw = process.env[envVar];
    if (raw === undefined || actionCommand.getOptionValueSource(key) === "cli") return;
    const enabled = parseBooleanEnv(envVar, raw, option.long);
    actionCommand.setOptionValueWithSource(key, negated ? !enabled : enabled, "env");
  });
}

/**
 * -v/--verbose, the same on every command: an error is followed by its causes, one line each
 * (an unexpected one by its stack), and commands with debug output print it.
 */
export function addVerboseFlag(command: Command): Command {
  return addBooleanFlag(
    command,
    "-v, --verbose",
    "Print the causes of an error (and debug output, where the command has it).",
    "VERBOSE",
  );
}

/**
 * The error for a value that is wrong together with another option (`--threshold 5` with
 * `--oracles 3`): names the option, or its env var when the value came from it, as valueOption does.
 */
export function optionValueError(command: Command, key: string, reason: string): UserInputError {
  const option = command.options.find((o) => o.attributeName() === key);
  const flag = option?.long ?? `--${key}`;
  const value = String(command.getOptionValue(key));
  const envVar = command.getOptionValueSource(key) === "env" ? option?.envVar : undefined;
  return new UserInputError(invalidValueMessage({ flag, ...(envVar ? { envVar } : {}) }, value, reason));
}

/** --relayer-endpoint of a one-shot manager call (consolidate, exit-validators): the relayer signs, the wallet sends. */
export function managerRelayerOption(call: string): Option {
  return valueOption(
    "--relayer-endpoint <url>",
    `A DVT relayer that holds the vault's validators-manager key: it signs the call (${call}) and the wallet only sends it.`,
    httpUrl("http://relayer:8000"),
  ).env("RELAYER_ENDPOINT");
}

/** --vault-first-block (VAULT_FIRST_BLOCK): where a scan of the vault's events starts. */
export const vaultFirstBlockOption = (
  description = "The vault's creation block: its events are read from there (default: the Keeper's genesis block).",
) =>
  valueOption("--vault-first-block <block>", description, wholeNumber("a block number", 0)).env(
    "VAULT_FIRST_BLOCK",
  );

/** --execution-jwt-secret (EXECUTION_JWT_SECRET): execution endpoints behind JWT authentication. */
export const executionJwtSecretOption = () =>
  valueOption(
    "--execution-jwt-secret <hex>",
    "The hex secret of execution endpoints behind JWT authentication (the node's jwt.hex): each request carries an HS256 token. Prefer EXECUTION_JWT_SECRET: flags are visible to other local users.",
    jwtSecretValue,
    { secret: true },
  ).env("EXECUTION_JWT_SECRET");
