import { Command, Option } from "commander";
import { wholeNumber } from "../../lib/values.ts";
import { publicKeysValue } from "../consolidate/public-keys.ts";
import type { CommandContext } from "../context.ts";
import { loadHandler } from "../load-handler.ts";
import { addBooleanFlag, addVerboseFlag, valueOption } from "../options.ts";
import type { ClustersOptions } from "./clusters.ts";
import { addSsvEnvironmentOptions } from "./environment-options.ts";
import type { ExportKeysharesOptions } from "./export-keyshares.ts";
import type { OperatorsOptions } from "./operators.ts";
import type { RegisterOptions } from "./register.ts";
import { addSsvRegisterOptions } from "./register-options.ts";

const jsonOption = () => new Option("--json", "Print JSON instead of text.").default(false);

/** `operator ssv …`: the vault's validators on SSV clusters (issue 13). */
export function ssvCommand(context: () => CommandContext): Command {
  const group = new Command("ssv").description(
    "Run the vault's validators on SSV clusters: operators, registration, keyshares, cluster balances.",
  );

  const operators = addSsvRegisterOptions(addSsvEnvironmentOptions(new Command("operators")))
    .description(
      "Lists the SSV operators a cluster may use (fee, performance, status, validators, provider) and which the selection takes and why the others are not taken.",
    )
    .addOption(jsonOption())
    .addHelpText(
      "after",
      "\nExample:\n  operator ssv operators --vault 0x3320… --cluster-size 4 --min-performance 99",
    )
    .action(async (options: OperatorsOptions) => {
      const ctx = context();
      const { runSsvOperators } = await loadHandler(import("./operators.ts"), ctx);
      await runSsvOperators(options, ctx);
    });

  const register = addSsvRegisterOptions(addSsvEnvironmentOptions(new Command("register")))
    .description(
      "Registers the vault's keys that are not on SSV yet (those registered on the vault, then the next --prepare-keys unused ones): selects a cluster, builds the keyshares, funds the cluster for --runway-days and sends (bulk where possible).",
    )
    .addOption(
      valueOption(
        "--public-keys <keys>",
        "Comma-separated keys to register (default: the vault's due keys and the next --prepare-keys).",
        publicKeysValue,
      ),
    )
    .addOption(
      valueOption(
        "--count <n>",
        "Register the first N keys not on SSV yet, in the order start uses them.",
        wholeNumber("a number of keys", 1, 10_000),
      ),
    )
    .addOption(new Option("--dry-run", "Print the plan and its cost; send nothing.").default(false));
  addBooleanFlag(
    register,
    "--no-confirm",
    "Send without asking for confirmation (for scripts).",
    "NO_CONFIRM",
  );
  register
    .addHelpText(
      "after",
      "\nExamples:\n  operator ssv register --vault 0x3320… --count 3 --runway-days 90 --dry-run\n  operator ssv register --vault 0x3320… --operator-ids 1,2,3,4 --no-confirm",
    )
    .action(async (options: RegisterOptions) => {
      const ctx = context();
      const { runSsvRegister } = await loadHandler(import("./register.ts"), ctx);
      await runSsvRegister(options, ctx);
    });

  const exportKeyshares = addSsvRegisterOptions(addSsvEnvironmentOptions(new Command("export-keyshares")))
    .description(
      "Writes the standard keyshares.json (read by the SSV web app and ssv-keys): validators on SSV from their ValidatorAdded events, others built fresh for the next owner nonces.",
    )
    .requiredOption("--output <file>", "Where to write keyshares.json (mode 0600).")
    .addOption(
      valueOption(
        "--public-keys <keys>",
        "Comma-separated keys (default: the vault's validators on SSV).",
        publicKeysValue,
      ),
    )
    .addHelpText(
      "after",
      "\nExample:\n  operator ssv export-keyshares --vault 0x3320… --output keyshares.json",
    )
    .action(async (options: ExportKeysharesOptions) => {
      const ctx = context();
      const { runExportKeyshares } = await loadHandler(import("./export-keyshares.ts"), ctx);
      await runExportKeyshares(options, ctx);
    });

  const clusters = addSsvEnvironmentOptions(new Command("clusters"))
    .description(
      "Lists the owner's SSV clusters: operators, validators, balance, burn rate, runway and liquidation risk.",
    )
    .addOption(
      valueOption(
        "--min-runway-days <days>",
        "Runway under which a cluster is reported at risk.",
        wholeNumber("a runway", 0, 100_000),
      ).default(30, "30"),
    )
    .addOption(jsonOption())
    .addHelpText("after", "\nExample:\n  operator ssv clusters --vault 0x3320… --json")
    .action(async (options: ClustersOptions) => {
      const ctx = context();
      const { runSsvClusters } = await loadHandler(import("./clusters.ts"), ctx);
      await runSsvClusters(options, ctx);
    });

  for (const sub of [operators, register, exportKeyshares, clusters]) group.addCommand(addVerboseFlag(sub));
  return group;
}
