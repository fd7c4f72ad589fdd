import { Command, Option } from "commander";
import type { CommandContext } from "../context.ts";
import { loadHandler } from "../load-handler.ts";
import { dataDirOption, vaultOption } from "../options.ts";
import type { GetValidatorsRootOptions } from "./handler.ts";

export function getValidatorsRootCommand(context: () => CommandContext): Command {
  return new Command("get-validators-root")
    .description("Print the validators Merkle tree root of the deposit data, to set with setValidatorsRoot.")
    .addOption(dataDirOption())
    .addOption(
      new Option(
        "--deposit-data-file <path>",
        "Path to the file with deposit data. Default is deposit data file located in the vault directory.",
      ).env("DEPOSIT_DATA_FILE"),
    )
    .addOption(vaultOption())
    .addHelpText(
      "after",
      "\nExample:\n  operator get-validators-root --vault 0x3320ad928c20187602a2b2c04eeaa813fa899468",
    )
    .action(async (options: GetValidatorsRootOptions) => {
      const ctx = context();
      const { runGetValidatorsRoot } = await loadHandler(import("./handler.ts"), ctx);
      await runGetValidatorsRoot(options, ctx);
    });
}
