import { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { loadHandler } from "../load-handler.ts";
import {
  addBooleanFlag,
  dataDirOption,
  keystoresOptions,
  remoteSignerUrlOption,
  vaultOption,
} from "../options.ts";
import type { SetupRemoteSignerOptions } from "./handler.ts";

/**
 * `operator setup-remote-signer` (the Python operator v4's command): the validator keystores
 * themselves into Web3Signer, for `start --remote-signer-url` with whole keys.
 * `remote-signer-setup` (v1.0's) imports key shares instead.
 */
export function setupRemoteSignerCommand(context: () => CommandContext): Command {
  const command = new Command("setup-remote-signer");
  addBooleanFlag(
    command,
    "--remove-keystores",
    "Remove the local keystores once the remote signer lists every key, without asking (default: ask on a terminal, keep them otherwise).",
    "REMOVE_KEYSTORES",
  );
  command
    .description(
      "Uploads the validator keystores (whole keys) to a remote signer (Web3Signer) through its Keymanager API.",
    )
    .addOption(vaultOption())
    .addOption(remoteSignerUrlOption("The base URL of the remote signer, e.g. https://signer:9000"))
    .addOption(dataDirOption());
  for (const option of keystoresOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      "\nExample:\n  operator setup-remote-signer --vault 0x3320ad928c20187602a2b2c04eeaa813fa899468 --remote-signer-url http://signer:9000",
    )
    .action(async (options: SetupRemoteSignerOptions) => {
      const ctx = context();
      const { runSetupRemoteSignerCommand } = await loadHandler(import("./handler.ts"), ctx);
      await runSetupRemoteSignerCommand(options, ctx);
    });
}
