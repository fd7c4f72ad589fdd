import { Command } from "commander";
import { NETWORK_NAMES } from "../../config/network-names.ts";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { loadHandler } from "../load-handler.ts";
import {
  addBooleanFlag,
  dataDirOption,
  executionJwtSecretOption,
  mnemonicOption,
  networkOption,
  vaultFirstBlockOption,
  vaultOption,
} from "../options.ts";
import type { RecoverOptions } from "./handler.ts";

export function recoverCommand(context: () => CommandContext): Command {
  const command = new Command("recover");
  addBooleanFlag(
    command,
    "--per-keystore-password",
    "Creates separate password file for each keystore.",
    "PER_KEYSTORE_PASSWORD",
  );
  addBooleanFlag(command, "--no-confirm", "Skips confirmation messages when provided.", "NO_CONFIRM");
  addBooleanFlag(
    command,
    "--force",
    "Replace the keystores and config.json of an existing vault dir (the old ones are moved to a backup dir).",
    "FORCE",
  );
  return command
    .description("Recover the vault data dir and the keystores of the vault's registered validators.")
    .addOption(dataDirOption("Path where the vault data will be placed."))
    .addOption(mnemonicOption("The mnemonic for generating the validator keys."))
    .addOption(vaultOption())
    .addOption(endpointsOption("execution"))
    .addOption(executionJwtSecretOption())
    .addOption(endpointsOption("consensus"))
    .addOption(networkOption(`The network of your vault (${NETWORK_NAMES.join(", ")}).`))
    .addOption(vaultFirstBlockOption())
    .addHelpText(
      "after",
      "\nExample:\n  operator recover --vault 0x3320ad928c20187602a2b2c04eeaa813fa899468 --network hoodi --execution-endpoints http://localhost:8545 --consensus-endpoints http://localhost:5052",
    )
    .action(async (options: RecoverOptions) => {
      const ctx = context();
      const { runRecover } = await loadHandler(import("./handler.ts"), ctx);
      await runRecover(options, ctx);
    });
}
