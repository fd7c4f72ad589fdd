import { Command } from "commander";
import { consolidateCommand } from "../commands/consolidate/command.ts";
import type { CommandContext } from "../commands/context.ts";
import { createKeysCommand } from "../commands/create-keys/command.ts";
import { createWalletCommand } from "../commands/create-wallet/command.ts";
import { devnetCommand } from "../commands/devnet/command.ts";
import { exitValidatorsCommand } from "../commands/exit-validators/command.ts";
import { getValidatorsRootCommand } from "../commands/get-validators-root/command.ts";
import { initCommand } from "../commands/init/command.ts";
import { mergeDepositDataCommand } from "../commands/merge-deposit-data/command.ts";
import { addVerboseFlag } from "../commands/options.ts";
import { recoverCommand } from "../commands/recover/command.ts";
import { relayerCommand } from "../commands/relayer/command.ts";
import { remoteDbCommand } from "../commands/remote-db/command.ts";
import { remoteSignerSetupCommand } from "../commands/remote-signer-setup/command.ts";
import { setDepositDataRootCommand } from "../commands/set-deposit-data-root/command.ts";
import { setupRemoteSignerCommand } from "../commands/setup-remote-signer/command.ts";
import { sidecarCommand } from "../commands/sidecar/command.ts";
import { ssvCommand } from "../commands/ssv/command.ts";
import { ssvManagerCommand } from "../commands/ssv-manager/command.ts";
import { START_COMMANDS, startCommand } from "../commands/start/command.ts";
import { statusCommand } from "../commands/status/command.ts";
import { submitRatedNetworkCommand } from "../commands/submit-rated-network/command.ts";
import { validatorsExitCommand } from "../commands/validators-exit/command.ts";
import { VERSION } from "../version.ts";

/** The `operator` command tree. Commander's own error output is silenced: cli.ts reports errors. */
export function createProgram(context: () => CommandContext): Command {
  const program = new Command("operator")
    .description("vault-operator: keys, deposit data and validator registration for StakeWise V3 vaults.")
    .version(`vault-operator ${VERSION}`, "--version")
    // Options belong to the command they follow: `devnet fund --data-dir …` is fund's --data-dir.
    .enablePositionalOptions()
    .exitOverride();
  // Commander's own error text can echo arguments (a mnemonic passed without quotes): it is
  // silenced here and reported by usageError() instead.
  const silent = { outputError: () => {} };
  program.configureOutput(silent);
  for (const command of [
    initCommand(context),
    createKeysCommand(context),
    createWalletCommand(context),
    getValidatorsRootCommand(context),
    setDepositDataRootCommand(context),
    mergeDepositDataCommand(context),
    devnetCommand(context),
    ...START_COMMANDS.map((name) => startCommand(context, name)),
    statusCommand(context),
    validatorsExitCommand(context),
    exitValidatorsCommand(context),
    consolidateCommand(context),
    recoverCommand(context),
    remoteSignerSetupCommand(context),
    setupRemoteSignerCommand(context),
    submitRatedNetworkCommand(context),
    remoteDbCommand(context),
    ssvCommand(context),
    ssvManagerCommand(context),
    relayerCommand(context),
    sidecarCommand(context),
  ]) {
    program.addCommand(addVerboseFlag(command));
  }
  // Every command, sub-commands included, throws instead of exiting and prints no error itself.
  const quiet = (command: Command) => {
    command.exitOverride().configureOutput(silent);
    command.commands.forEach(quiet);
  };
  program.commands.forEach(quiet);

  return program;
}
