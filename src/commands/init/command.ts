import { Command } from "commander";
import { NETWORK_NAMES } from "../../config/network-names.ts";
import { MNEMONIC_LANGUAGES } from "../../crypto/mnemonic.ts";
import type { CommandContext } from "../context.ts";
import { loadHandler } from "../load-handler.ts";
import { addBooleanFlag, dataDirOption, networkOption, valueOption, vaultOption } from "../options.ts";
import type { InitOptions } from "./handler.ts";
import { mnemonicLanguageValue } from "./options.ts";

export function initCommand(context: () => CommandContext): Command {
  const command = new Command("init");
  addBooleanFlag(command, "--no-verify", "Skips mnemonic verification when provided.", "NO_VERIFY");
  return command
    .description("Create the vault config and the mnemonic used to derive validator keys.")
    .addOption(networkOption(`The network of your vault (${NETWORK_NAMES.join(", ")}).`))
    .addOption(vaultOption())
    .addOption(
      valueOption(
        "--language <language>",
        `The mnemonic language (${MNEMONIC_LANGUAGES.join(", ")}).`,
        mnemonicLanguageValue,
      ).env("LANGUAGE"),
    )
    .addOption(dataDirOption("Path where the vault data will be placed."))
    .addHelpText(
      "after",
      "\nExample:\n  operator init --network hoodi --vault 0x3320ad928c20187602a2b2c04eeaa813fa899468",
    )
    .action(async (options: InitOptions) => {
      const ctx = context();
      const { runInit } = await loadHandler(import("./handler.ts"), ctx);
      await runInit(options, ctx);
    });
}
