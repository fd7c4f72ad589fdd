import { Command, Option } from "commander";
import type { CommandContext } from "../context.ts";
import { loadHandler } from "../load-handler.ts";
import { vaultOption } from "../options.ts";
import type { MergeDepositDataOptions } from "./handler.ts";

const collect = (value: string, previous: string[] | undefined) => [
  ...(previous ?? []),
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v.length > 0),
];

export function mergeDepositDataCommand(context: () => CommandContext): Command {
  return new Command("merge-deposit-data")
    .description(
      "Merge the deposit data files of several operators of one vault into one file (round-robin).",
    )
    .addOption(
      new Option("-d, --deposit-data-files <path>", "A deposit data file to merge; repeat it (at least two).")
        .env("DEPOSIT_DATA_FILES")
        .argParser(collect),
    )
    .addOption(
      new Option("-m, --output-file <path>", "The merged file to create (must not exist).").env(
        "OUTPUT_FILE",
      ),
    )
    .addOption(vaultOption("Check that every entry withdraws to this vault."))
    .addHelpText(
      "after",
      "\nExample:\n  operator merge-deposit-data -d op1/deposit_data.json -d op2/deposit_data.json -m merged.json",
    )
    .action(async (options: Partial<MergeDepositDataOptions>) => {
      const ctx = context();
      const { runMergeDepositData } = await loadHandler(import("./handler.ts"), ctx);
      await runMergeDepositData({ ...options, depositDataFiles: options.depositDataFiles ?? [] }, ctx);
    });
}
