import { errorChain, errorLine, InterruptedError, OperatorError } from "../lib/errors.ts";
import { sanitizeText } from "../lib/sanitize.ts";

/**
 * The lines the CLI prints on stderr for an error that ended a command, each through the log
 * sanitizer (a URL credential in a cause never prints):
 *
 * - an interruption: `Interrupted: <what was done>.`;
 * - an OperatorError: `Error: <message>` (its short message and secret-free details), with
 *   `verbose` followed by one `  caused by: <Name>: <line>` per cause;
 * - anything else is a bug: `Unexpected error: <line>` and a request to report it, with
 *   `verbose` followed by its stack and causes.
 */
export function errorReport(error: unknown, verbose: boolean): string[] {
  if (error instanceof InterruptedError) return [interruptedMessage(error)];
  const lines =
    error instanceof OperatorError
      ? [`Error: ${oneLine(error.message)}`]
      : [
          `Unexpected error: ${errorLine(error)}`,
          "This is a bug in vault-operator; please report it with the command you ran (without secrets).",
          ...(verbose && error instanceof Error && error.stack ? stackLines(error.stack) : []),
        ];
  if (verbose) {
    for (const cause of errorChain(error).slice(1))
      lines.push(`  caused by: ${nameOf(cause)}: ${errorLine(cause)}`);
  }
  return lines.map((line) => sanitizeText(line));
}

/**
 * The line for an interrupted command: what it had already done when the command says so (an
 * {@link InterruptedError} with an outcome, e.g. exits already submitted), else that nothing changed.
 */
export function interruptedMessage(error: unknown): string {
  const outcome = error instanceof InterruptedError ? error.outcome : "nothing was changed";
  return `Interrupted: ${outcome}.`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** The `at …` frames of a stack (the first line repeats the message). */
function stackLines(stack: string): string[] {
  return stack
    .split("\n")
    .slice(1)
    .map((line) => `  ${line.trim()}`);
}

function nameOf(error: unknown): string {
  if (error instanceof Error) return error.name || "Error";
  return typeof error;
}
