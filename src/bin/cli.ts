import { CommanderError } from "commander";
import type { CommandContext } from "../commands/context.ts";
import { loadDotEnv } from "../commands/start/handler.ts";
import { ExitCode, exitCodeFor, InterruptedError, OperatorError } from "../lib/errors.ts";
import { defaultPrompter, processOutput } from "../lib/terminal.ts";
import { createProgram } from "./program.ts";
import { SERVICE_COMMANDS } from "./service-heap.ts";

/**
 * Process entry point of the `operator` CLI: argv → command, errors → one line and an exit code.
 * The composition root of each command is its handler.
 */
export async function main(argv: string[], earlySignals: readonly NodeJS.Signals[] = []): Promise<number> {
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
  // A signal that came while the modules were loading: the command does not start at all.
  // For a service, a stop signal is its normal end (exit 0), as it is once it runs.
  if (earlySignals.length > 0) {
    process.stderr.write(`Received ${earlySignals[0]} before starting: nothing was done.\n`);
    return SERVICE_COMMANDS.has(argv[2] ?? "") ? ExitCode.ok : ExitCode.interrupted;
  }

  const context = (): CommandContext => ({
    output: processOutput(),
    prompter: defaultPrompter(),
    signal: shutdown.signal,
  });

  const program = createProgram(context);

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
      process.stderr.write(`${interruptedMessage(error)}\n`);
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

/**
 * The line for an interrupted command: what it had already done when the command says so (an
 * {@link InterruptedError} with an outcome, e.g. exits already submitted), else that nothing changed.
 */
export function interruptedMessage(error: unknown): string {
  const outcome = error instanceof InterruptedError ? error.outcome : "nothing was changed";
  return `Interrupted: ${outcome}.`;
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
