import { AbortedError } from "../../src/lib/aborted.ts";
import { type ChainTime, type Clock, createClock } from "../../src/lib/clock.ts";

/**
 * A `Clock` for tests: time only moves when the test says so, and `sleepUntil` waits for that
 * instead of a timer, so slot loops run instantly and deterministically.
 *
 *   const clock = createManualClock(chain);           // at genesis
 *   const loop = runEverySlot(task, { clock, signal, onError });
 *   clock.advanceToSlot(3); await settle();           // task ran for slot 3
 */
export interface ManualClock extends Clock {
  /** Sets the time (may go backwards) and wakes every sleeper whose time has come. */
  setTime(timeMs: number): void;
  advance(ms: number): void;
  advanceToSlot(slot: number, offsetMs?: number): void;
  /** How many `sleepUntil` calls are waiting. */
  readonly sleepers: number;
}

interface Sleeper {
  timeMs: number;
  resolve(): void;
}

export function createManualClock(chain: ChainTime, startMs = chain.genesisTime * 1000): ManualClock {
  let time = startMs;
  const sleepers = new Set<Sleeper>();

  const sleepUntil = (timeMs: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new AbortedError({ cause: signal.reason }));
      if (time >= timeMs) return resolve();
      const onAbort = () => {
        sleepers.delete(sleeper);
        reject(new AbortedError({ cause: signal?.reason }));
      };
      const sleeper: Sleeper = {
        timeMs,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      sleepers.add(sleeper);
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  const clock = createClock({ ...chain, now: () => time, sleepUntil });

  const setTime = (timeMs: number) => {
    time = timeMs;
    const due = [...sleepers].filter((s) => s.timeMs <= time).sort((a, b) => a.timeMs - b.timeMs);
    for (const sleeper of due) {
      sleepers.delete(sleeper);
      sleeper.resolve();
    }
  };

  return {
    ...clock,
    setTime,
    advance: (ms) => setTime(time + ms),
    advanceToSlot: (slot, offsetMs = 0) => setTime(clock.slotStartMs(slot) + offsetMs),
    get sleepers() {
      return sleepers.size;
    },
  };
}

/** Resolves once every promise callback already queued has run (no timers involved). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
