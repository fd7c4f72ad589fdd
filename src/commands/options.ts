import { Option } from "commander";
import { DEFAULT_DATA_DIR } from "../config/data-dir.ts";

/** Options several commands share; each also reads the env var the Python operator uses. */
export const dataDirOption = (description = "Path where the vault data is stored.") =>
  new Option("--data-dir <path>", `${description}`).env("DATA_DIR").default(DEFAULT_DATA_DIR, "~/.stakewise");

export const vaultOption = (description = "The vault address.") =>
  new Option("--vault <address>", description).env("VAULT");

export const mnemonicOption = (description: string) =>
  new Option(
    "--mnemonic <words>",
    `${description} Prefer the prompt or MNEMONIC: flags are visible to other local users.`,
  ).env("MNEMONIC");
