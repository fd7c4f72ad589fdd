import { AbortedError } from "./aborted.ts";

/**
 * Waits `ms` milliseconds. When `signal` aborts (before or during the wait) the promise REJECTS
 * with an `AbortedError` at once, and the timer and listener are removed, so a loop written as
 * `while (!signal.aborted) { …; await sleep(ms, signal) }` stops promptly and leaks nothing.
 * Callers that stop on shutdown catch it (`isAbortError`).
 *
 * The timer is deliberately not `unref`ed: a daemon whose only pending work is this sleep must
 * stay alive. Waits longer than Node's 2^31-1 ms timer limit are split into chunks.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError({ cause: signal.reason }));
      return;
    }
    let remaining = Number.isFinite(ms) && ms > 0 ? ms : 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError({ cause: signal?.reason }));
    };
    const arm = (): void => {
      const chunk = Math.min(remaining, MAX_TIMER_MS);
      remaining -= chunk;
      timer = setTimeout(() => {
        if (remaining > 0) return arm();
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, chunk);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    arm();
  });
}

/** setTimeout fires at once (with a warning) for delays above 2^31-1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
