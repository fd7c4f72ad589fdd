/**
 * One base error for the whole code base (the viem `BaseError` idea): a short message that is
 * safe to show a user, optional details, the cause, and whether retrying could help.
 *
 * Messages must never contain secrets (mnemonics, keys, passwords, tokens).
 */
export interface OperatorErrorOptions {
  /** Extra context for logs; must be secret-free. */
  details?: string;
  cause?: unknown;
  /** True when the same operation may succeed later (network, timeouts, 5xx). */
  retryable?: boolean;
}

export class OperatorError extends Error {
  override name = "OperatorError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly retryable: boolean;

  constructor(shortMessage: string, options: OperatorErrorOptions = {}) {
    super(options.details ? `${shortMessage} (${options.details})` : shortMessage, {
      cause: options.cause,
    });
    this.shortMessage = shortMessage;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
  }
}

/**
 * Bad input from the user: a flag, an env var, a file. The message names the input and says
 * how to fix it; the CLI prints it as one line without a stack trace.
 */
export class UserInputError extends OperatorError {
  override name = "UserInputError";
}

/** An input that is required but was neither given as a flag/env var nor can be prompted for. */
export class MissingInputError extends UserInputError {
  override name = "MissingInputError";
  constructor(flag: string, envVar: string | undefined) {
    super(
      envVar
        ? `missing ${flag}: pass ${flag} or set ${envVar} (no terminal is attached to prompt for it)`
        : `missing ${flag}: pass ${flag} (no terminal is attached to prompt for it)`,
    );
  }
}

/**
 * The user interrupted the command (Ctrl-C / SIGTERM). `outcome` says what had already been done
 * when it stopped (e.g. "the exits of validators 1, 2 were submitted; the others were not"); the
 * default is that nothing was changed.
 */
export class InterruptedError extends OperatorError {
  override name = "InterruptedError";
  readonly outcome: string;
  constructor(outcome = "nothing was changed", options: { cause?: unknown } = {}) {
    super(`interrupted; ${outcome}`, options);
    this.outcome = outcome;
  }
}

export const ExitCode = {
  ok: 0,
  /** A fatal error: bad input, bad state. Retrying the same command will fail the same way. */
  fatal: 1,
  /** Command-line usage error (unknown flag, bad syntax). */
  usage: 2,
  /** A temporary failure: retrying later may succeed (EX_TEMPFAIL). */
  retryable: 75,
  /** Interrupted by SIGINT (128 + 2). */
  interrupted: 130,
  /** Stdout or stderr was a closed pipe: what a shell reports for a tool ended by SIGPIPE (128 + 13). */
  brokenPipe: 141,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof InterruptedError) return ExitCode.interrupted;
  if (error instanceof OperatorError) return error.retryable ? ExitCode.retryable : ExitCode.fatal;
  return ExitCode.fatal;
}

/** Causes deeper than this are not followed (a cycle or a runaway chain). */
const MAX_CHAIN = 10;

/**
 * The error followed by its causes, outermost first. A cycle or a chain deeper than 10 is cut.
 * The one walker over `cause` chains: messages, retry decisions and logs all read it.
 */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < MAX_CHAIN && !chain.includes(current)) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/** Longest text errorLine() returns. */
const MAX_LINE = 300;

/**
 * One line describing `error` alone (not its causes), for a user or a log line. An OperatorError
 * gives its message (short message and details, both secret-free); an error of viem's kind (with a
 * `shortMessage`) gives that and the first line of its `details` (a quoted response body unquoted),
 * never its request body or metaMessages; any other error the first line of its message. Long lines are cut.
 */
export function errorLine(error: unknown): string {
  let line: string;
  if (error instanceof OperatorError) line = error.message;
  else if (error instanceof Error) {
    const { shortMessage, details } = error as { shortMessage?: unknown; details?: unknown };
    if (typeof shortMessage === "string" && shortMessage !== "") {
      const detail = typeof details === "string" ? firstLine(unquoted(details)) : "";
      const short = shortMessage.replace(/\.$/, "");
      // viem's wrappers (a contract call's error) repeat their cause's message as their details.
      if (!detail || short.includes(detail)) line = short;
      else line = detail.startsWith(short) ? detail : `${short}: ${detail}`;
    } else line = firstLine(error.message) || error.name;
  } else line = typeof error === "string" ? firstLine(error) : String(error);
  line = line.replace(/\s+/g, " ").trim();
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}

/** viem puts a text response body in `details` as a JSON string literal ("\"<html>\\n…\""): its text. */
function unquoted(text: string): string {
  if (!text.startsWith('"')) return text;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "string" ? value : text;
  } catch {
    return text;
  }
}

function firstLine(text: string): string {
  return (text.trim().split("\n")[0] ?? "").trim();
}
