import { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { loadHandler } from "../load-handler.ts";
import {
  addBooleanFlag,
  dataDirOption,
  executionJwtSecretOption,
  keystoresOptions,
  networkOption,
  remoteSignerUrlOption,
  vaultOption,
} from "../options.ts";
import type { RemoteSignerSetupOptions } from "./handler.ts";

export function remoteSignerSetupCommand(context: () => CommandContext): Command {
  const command = new Command("remote-signer-setup");
  addBooleanFlag(
    command,
    "--remove-existing-keys",
    "Remove any keys present in the signer that are not needed by the operator (outdated key shares after the oracle set changed).",
    "REMOVE_EXISTING_KEYS",
  );
  command
    .description(
      "Split the validator keys into key shares for the oracles, import them into the remote signer (Web3Signer) and remove the local keystores.",
    )
    .addOption(vaultOption())
    .addOption(remoteSignerUrlOption("The base URL of the remote signer, e.g. http://signer:9000"))
    .addOption(dataDirOption());
  for (const option of keystoresOptions()) command.addOption(option);
  return command
    .addOption(endpointsOption("execution"))
    .addOption(executionJwtSecretOption())
    .addOption(networkOption("The network (default: from the vault's config.json)."))
    .addHelpText(
      "after",
      "\nExample:\n  operator remote-signer-setup --vault 0x3320ad928c20187602a2b2c04eeaa813fa899468 --remote-signer-url http://signer:9000 --execution-endpoints http://localhost:8545",
    )
    .action(async (options: RemoteSignerSetupOptions) => {
      const ctx = context();
      const { runRemoteSignerSetupCommand } = await loadHandler(import("./handler.ts"), ctx);
      await runRemoteSignerSetupCommand(options, ctx);
    });
}
