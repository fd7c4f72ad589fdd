import { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { loadHandler } from "../load-handler.ts";
import { dataDirOption, mnemonicOption, vaultOption } from "../options.ts";
import type { CreateWalletOptions } from "./handler.ts";

export function createWalletCommand(context: () => CommandContext): Command {
  return new Command("create-wallet")
    .description(
      "Create the encrypted hot wallet (m/44'/60'/0'/0/0 of the mnemonic) that sends registration transactions.",
    )
    .addOption(vaultOption("The vault to generate the wallet for."))
    .addOption(mnemonicOption("The mnemonic for generating the wallet."))
    .addOption(dataDirOption())
    .addHelpText(
      "after",
      "\nExample:\n  operator create-wallet --vault 0x3320ad928c20187602a2b2c04eeaa813fa899468",
    )
    .action(async (options: CreateWalletOptions) => {
      const ctx = context();
      const { runCreateWallet } = await loadHandler(import("./handler.ts"), ctx);
      await runCreateWallet(options, ctx);
    });
}
