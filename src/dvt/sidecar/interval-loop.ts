import { isAbortError } from "../../lib/aborted.ts";
import { sleep } from "../../lib/sleep.ts";

export interface IntervalLoopOptions {
  intervalMs: number;
  /** Aborting ends the loop: the pending wait ends at once, a running task gets the signal. */
  signal: AbortSignal;
  /** Every error a run throws; the loop carries on. */
  onError: (error: unknown) => void;
  /** Default Date.now. */
  now?: () => number;
}

/**
 * Runs `task` now, then every `intervalMs` measured from the start of the previous run. Never
 * overlaps (a run that overruns is followed at once by the next, missed runs are dropped), never
 * dies (each run's error goes to `onError`). Resolves once stopped.
 */
export async function runIntervalLoop(
  task: (signal: AbortSignal) => Promise<unknown>,
  options: IntervalLoopOptions,
): Promise<void> {
  const { signal, intervalMs } = options;
  const now = options.now ?? Date.now;
  while (!signal.aborted) {
    const started = now();
    try {
      await task(signal);
    } catch (error) {
      if (signal.aborted) break;
      try {
        options.onError(error);
      } catch {
        // An error handler that throws must not end the loop either.
      }
    }
    try {
      await sleep(Math.max(0, started + intervalMs - now()), signal);
    } catch (error) {
      if (isAbortError(error)) break;
      throw error;
    }
  }
}
