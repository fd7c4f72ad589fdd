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

/**
 * `promise`, or — as soon as `signal` aborts, before or during the wait — a rejection with the
 * signal's reason (an AbortedError when the reason is not an Error). The promise itself runs on
 * and its outcome is ignored: for waits that cannot be cancelled themselves.
 */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  const reason = () =>
    signal.reason instanceof Error ? signal.reason : new AbortedError({ cause: signal.reason });
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(reason());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(reason());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
