import { Command, CommanderError } from "commander";
import type { CommandContext } from "../commands/context.ts";
import { createKeysCommand } from "../commands/create-keys/command.ts";
import { createWalletCommand } from "../commands/create-wallet/command.ts";
import { devnetCommand } from "../commands/devnet/command.ts";
import { getValidatorsRootCommand } from "../commands/get-validators-root/command.ts";
import { initCommand } from "../commands/init/command.ts";
import { mergeDepositDataCommand } from "../commands/merge-deposit-data/command.ts";
import { recoverCommand } from "../commands/recover/command.ts";
import { remoteDbCommand } from "../commands/remote-db/command.ts";
import { remoteSignerSetupCommand } from "../commands/remote-signer-setup/command.ts";
import { startCommand } from "../commands/start/command.ts";
import { loadDotEnv } from "../commands/start/handler.ts";
import { validatorsExitCommand } from "../commands/validators-exit/command.ts";
import { ExitCode, exitCodeFor, InterruptedError, OperatorError } from "../lib/errors.ts";
import { defaultPrompter, processOutput } from "../lib/terminal.ts";
import { VERSION } from "../version.ts";

/**
 * Process entry point of the `operator` CLI: argv → command, errors → one line and an exit code.
 * The composition root of each command is its handler.
 */
async function main(argv: string[]): Promise<number> {
  const shutdown = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(ExitCode.interrupted);
    process.stderr.write(`\nReceived ${signal}, stopping (press Ctrl-C again to force)…\n`);
    shutdown.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const context = (): CommandContext => ({
    output: processOutput(),
    prompter: defaultPrompter(),
    signal: shutdown.signal,
  });

  const program = new Command("operator")
    .description("vault-operator: keys, deposit data and validator registration for StakeWise V3 vaults.")
    .version(`vault-operator ${VERSION}`, "--version")
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
    mergeDepositDataCommand(context),
    devnetCommand(context),
    startCommand(context),
    validatorsExitCommand(context),
    recoverCommand(context),
    remoteSignerSetupCommand(context),
    remoteDbCommand(context),
  ]) {
    program.addCommand(command.exitOverride().configureOutput(silent));
  }

  loadDotEnv();
  const name = argv[2];
  // Flags may carry secrets (--mnemonic): keep them out of `ps` output.
  process.title = name && !name.startsWith("-") ? `operator ${name}` : "operator";

  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return ExitCode.ok;
      process.stderr.write(`Error: ${usageError(error)}\n`);
      return ExitCode.usage;
    }
    if (error instanceof InterruptedError || shutdown.signal.aborted) {
      process.stderr.write("Interrupted: nothing was changed.\n");
      return ExitCode.interrupted;
    }
    if (error instanceof OperatorError) {
      process.stderr.write(`Error: ${error.shortMessage}\n`);
      if (process.env.VERBOSE === "true" && error.cause) process.stderr.write(`${String(error.cause)}\n`);
      return exitCodeFor(error);
    }
    process.stderr.write(
      `Unexpected error: ${(error as Error).message ?? String(error)}\nThis is a bug in vault-operator; please report it with the command you ran (without secrets).\n`,
    );
    if (process.env.VERBOSE === "true") process.stderr.write(`${(error as Error).stack ?? ""}\n`);
    return ExitCode.fatal;
  }
}

/** A one-line usage error that never repeats stray arguments (they may be mnemonic words). */
function usageError(error: CommanderError): string {
  switch (error.code) {
    case "commander.excessArguments":
      return 'unexpected extra arguments: quote values that contain spaces, e.g. --mnemonic "word1 word2 …" (run with --help for usage)';
    case "commander.unknownCommand":
      return "unknown command: run operator --help for the list of commands";
    default:
      return `${error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ")} (run with --help for usage)`;
  }
}

process.exitCode = await main(process.argv);
