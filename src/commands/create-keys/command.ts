import { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { loadHandler } from "../load-handler.ts";
import {
  addBooleanFlag,
  concurrencyOption,
  dataDirOption,
  mnemonicOption,
  valueOption,
  vaultOption,
} from "../options.ts";
import type { CreateKeysOptions } from "./handler.ts";
import { keyCountValue } from "./options.ts";

export function createKeysCommand(context: () => CommandContext): Command {
  const command = new Command("create-keys");
  addBooleanFlag(
    command,
    "--per-keystore-password",
    "Creates separate password file for each keystore.",
    "PER_KEYSTORE_PASSWORD",
  );
  return command
    .description(
      "Create validator keystores and deposit data for the vault, continuing from the last key made.",
    )
    .addOption(mnemonicOption("The mnemonic for generating the validator keys."))
    .addOption(
      valueOption("--count <n>", "The number of the validator keys to generate.", keyCountValue).env("COUNT"),
    )
    .addOption(vaultOption("The vault to generate the keystores and deposit data for."))
    .addOption(dataDirOption())
    .addOption(concurrencyOption("Worker threads for key generation (default: all cores)."))
    .addHelpText(
      "after",
      "\nExample:\n  operator create-keys --vault 0x3320ad928c20187602a2b2c04eeaa813fa899468 --count 10",
    )
    .action(async (options: CreateKeysOptions) => {
      const ctx = context();
      const { runCreateKeys } = await loadHandler(import("./handler.ts"), ctx);
      await runCreateKeys(options, ctx);
    });
}
