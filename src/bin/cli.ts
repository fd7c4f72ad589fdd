import { type Command, CommanderError } from "commander";
import type { CommandContext } from "../commands/context.ts";
import { parseBooleanEnv } from "../commands/options.ts";
import { watchBrokenPipe } from "../lib/broken-pipe.ts";
import { ExitCode, exitCodeFor, InterruptedError } from "../lib/errors.ts";
import { sanitizeText } from "../lib/sanitize.ts";
import { defaultPrompter, processOutput } from "../lib/terminal.ts";
import { loadDotEnv } from "./dot-env.ts";
import { errorReport } from "./error-report.ts";
import { createProgram } from "./program.ts";
import { SERVICE_COMMANDS } from "./service-heap.ts";
import { usageError } from "./usage-error.ts";

/**
 * Process entry point of the `operator` CLI: argv → command, errors → one line and an exit code.
 * The composition root of each command is its handler.
 */
export async function main(argv: string[], earlySignals: readonly NodeJS.Signals[] = []): Promise<number> {
  const shutdown = new AbortController();
  // A closed stdout/stderr pipe stops the command like Ctrl-C, and the process ends without a word.
  const pipe = watchBrokenPipe([process.stdout, process.stderr], () => {
    process.exitCode = ExitCode.brokenPipe;
    shutdown.abort();
  });
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
    prompter: defaultPrompter(shutdown.signal),
    signal: shutdown.signal,
    onOutputError: (error) => pipe.report(error),
  });

  const program = createProgram(context);
  // The command that runs, to read its -v/--verbose when it fails.
  let running: Command | undefined;
  program.hook("preAction", (_, actionCommand) => {
    running = actionCommand;
  });

  loadDotEnv();
  const name = argv[2];
  // Flags may carry secrets (--mnemonic): keep them out of `ps` output.
  process.title = name && !name.startsWith("-") ? `operator ${name}` : "operator";

  const code = await run(program, argv, { verbose: () => verbose(running), shutdown: shutdown.signal, pipe });
  return pipe.broken ? ExitCode.brokenPipe : code;
}

async function run(
  program: Command,
  argv: string[],
  how: { verbose: () => boolean; shutdown: AbortSignal; pipe: { readonly broken: boolean } },
): Promise<number> {
  const { shutdown, pipe } = how;
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    // Nobody reads the output any more: end quietly.
    if (pipe.broken) return ExitCode.brokenPipe;
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return ExitCode.ok;
      process.stderr.write(`Error: ${sanitizeText(usageError(error))}\n`);
      return ExitCode.usage;
    }
    // Whatever stopped a command that was told to stop (Ctrl-C, SIGTERM) is the interruption.
    const stopped = shutdown.aborted && !(error instanceof InterruptedError) ? new InterruptedError() : error;
    for (const line of errorReport(stopped, how.verbose())) process.stderr.write(`${line}\n`);
    return exitCodeFor(stopped);
  }
}

/** -v/--verbose of the command that ran (every command has it), else VERBOSE. */
function verbose(command: Command | undefined): boolean {
  const flag = command?.optsWithGlobals<{ verbose?: boolean }>().verbose;
  if (flag !== undefined) return flag;
  try {
    return parseBooleanEnv("VERBOSE", process.env.VERBOSE ?? "");
  } catch {
    return false;
  }
}
