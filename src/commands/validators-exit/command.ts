import { Command, Option } from "commander";
import { NETWORK_NAMES } from "../../config/network-names.ts";
import { wholeNumber } from "../../lib/values.ts";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { addHashiVaultOptions } from "../hashi-vault-options.ts";
import { loadHandler } from "../load-handler.ts";
import {
  addBooleanFlag,
  dataDirOption,
  networkOption,
  remoteSignerUrlOption,
  valueOption,
  vaultOption,
} from "../options.ts";
import type { ValidatorsExitOptions } from "./handler.ts";

export function validatorsExitCommand(context: () => CommandContext): Command {
  const command = new Command("validators-exit");
  addBooleanFlag(
    command,
    "-y, --yes",
    "Exit without asking for confirmation (for scripts; exits cannot be undone).",
    "VALIDATORS_EXIT_YES",
  );
  command.addOption(
    remoteSignerUrlOption("Web3Signer holding the validator key shares (remote-signer-setup)."),
  );
  addHashiVaultOptions(command);
  return command
    .description("Performs a voluntary exit for active vault validators.")
    .addOption(
      networkOption(
        `The network of your vault (${NETWORK_NAMES.join(", ")}; default: from the vault's config.json).`,
      ),
    )
    .addOption(vaultOption())
    .addOption(endpointsOption("consensus"))
    .addOption(
      valueOption(
        "--count <n>",
        "The number of validators to exit (lowest indexes first). By default, all active vault validators exit.",
        wholeNumber("a number of validators", 1),
      ).env("COUNT"),
    )
    .addOption(dataDirOption())
    .addOption(
      new Option("--keystores-dir <path>", "Validator keystores (default: the vault dir's).").env(
        "KEYSTORES_DIR",
      ),
    )
    .addOption(
      new Option(
        "--keystores-password-file <path>",
        "Shared keystore password file (default: keystores/password.txt).",
      ).env("KEYSTORES_PASSWORD_FILE"),
    )
    .addHelpText(
      "after",
      "\nExample:\n  operator validators-exit --vault 0x3320ad928c20187602a2b2c04eeaa813fa899468 --consensus-endpoints http://localhost:5052 --count 1",
    )
    .action(async (options: ValidatorsExitOptions) => {
      const ctx = context();
      const { runValidatorsExit } = await loadHandler(import("./handler.ts"), ctx);
      await runValidatorsExit(options, ctx);
    });
}
