import { OperatorError } from "./errors.ts";

/**
 * The operation stopped because its AbortSignal fired (shutdown). Not a failure: loops catch it
 * and return; it is never retryable.
 */
export class AbortedError extends OperatorError {
  override name = "AbortedError";
  constructor(options: { cause?: unknown } = {}) {
    super("aborted", { retryable: false, cause: options.cause });
  }
}

/** Throws an AbortedError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
}

/**
 * True for our AbortedError and for the platform's abort errors (`fetch`, `timers/promises`
 * reject with a DOMException / Error named "AbortError").
 */
export function isAbortError(error: unknown): boolean {
  return error instanceof AbortedError || (error instanceof Error && error.name === "AbortError");
}
