import { Command, Option } from "commander";
import { NETWORK_NAMES } from "../../config/networks.ts";
import type { CommandContext } from "../context.ts";
import { addHashiVaultOptions } from "../hashi-vault-options.ts";
import { addBooleanFlag, dataDirOption, endpointsOption, vaultOption } from "../options.ts";
import { runValidatorsExit, type ValidatorsExitOptions } from "./handler.ts";

export function validatorsExitCommand(context: () => CommandContext): Command {
  const command = new Command("validators-exit");
  addBooleanFlag(command, "-v, --verbose", "Enable debug mode.", "VERBOSE");
  addBooleanFlag(
    command,
    "-y, --yes",
    "Exit without asking for confirmation (for scripts; exits cannot be undone).",
    "VALIDATORS_EXIT_YES",
  );
  command.addOption(
    new Option(
      "--remote-signer-url <url>",
      "Web3Signer holding the validator key shares (remote-signer-setup).",
    ).env("REMOTE_SIGNER_URL"),
  );
  addHashiVaultOptions(command);
  return command
    .description("Performs a voluntary exit for active vault validators.")
    .addOption(
      new Option(
        "--network <name>",
        `The network of your vault (${NETWORK_NAMES.join(", ")}; default: from the vault's config.json).`,
      ).env("NETWORK"),
    )
    .addOption(vaultOption())
    .addOption(endpointsOption("consensus"))
    .addOption(
      new Option(
        "--count <n>",
        "The number of validators to exit (lowest indexes first). By default, all active vault validators exit.",
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
    .action((options: ValidatorsExitOptions) => runValidatorsExit(options, context()));
}
