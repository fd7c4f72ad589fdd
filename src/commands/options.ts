import { type Command, Option } from "commander";
import { DEFAULT_DATA_DIR } from "../config/data-dir.ts";
import { UserInputError } from "../lib/errors.ts";

/** Options several commands share; each also reads the env var the Python operator uses. */
export const dataDirOption = (description = "Path where the vault data is stored.") =>
  new Option("--data-dir <path>", `${description}`).env("DATA_DIR").default(DEFAULT_DATA_DIR, "~/.stakewise");

/** --execution-endpoints / --consensus-endpoints with their env vars (the seeds' wording). */
export const endpointsOption = (kind: "execution" | "consensus") =>
  new Option(`--${kind}-endpoints <urls>`, `Comma separated list of API endpoints for ${kind} nodes.`).env(
    `${kind.toUpperCase()}_ENDPOINTS`,
  );

export const vaultOption = (description = "The vault address.") =>
  new Option("--vault <address>", description).env("VAULT");

export const mnemonicOption = (description: string) =>
  new Option(
    "--mnemonic <words>",
    `${description} Prefer the prompt or MNEMONIC: flags are visible to other local users.`,
  ).env("MNEMONIC");

const TRUE = new Set(["1", "true", "yes", "y", "on"]);
const FALSE = new Set(["0", "false", "no", "n", "off", ""]);

/** Reads a boolean env var the way the Python operator does: only truthy strings turn it on. */
export function parseBooleanEnv(name: string, value: string): boolean {
  const normalised = value.trim().toLowerCase();
  if (TRUE.has(normalised)) return true;
  if (FALSE.has(normalised)) return false;
  throw new UserInputError(`${name}="${value}" is not a boolean: use true or false`);
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
    const enabled = parseBooleanEnv(envVar, raw);
    actionCommand.setOptionValueWithSource(key, negated ? !enabled : enabled, "env");
  });
}
