import { isAbortError, throwIfAborted } from "./aborted.ts";
import type { Logger } from "./logger.ts";
import { sleep } from "./sleep.ts";

/** The chain constants that define time: from the network config or the beacon node's genesis. */
export interface ChainTime {
  /** Unix seconds. */
  genesisTime: number;
  secondsPerSlot: number;
  slotsPerEpoch: number;
}

/**
 * Chain time, injected everywhere instead of `Date.now()` so tests can drive it (`ManualClock`).
 * All times are Unix milliseconds. Before genesis the current slot and epoch are 0 and the "next
 * slot" is slot 0, starting at genesis.
 */
export interface Clock extends Readonly<ChainTime> {
  now(): number;
  currentSlot(): number;
  currentEpoch(): number;
  epochAtSlot(slot: number): number;
  slotStartMs(slot: number): number;
  epochStartMs(epoch: number): number;
  msUntilNextSlot(): number;
  msUntilNextEpoch(): number;
  /** Resolves once `now() >= timeMs`; rejects with `AbortedError` as soon as `signal` aborts. */
  sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void>;
}

export interface ClockOptions extends ChainTime {
  /** Default `Date.now`. */
  now?: () => number;
  /** The scheduler; default real timers. `ManualClock` replaces it so tests never wait. */
  sleepUntil?: (timeMs: number, signal?: AbortSignal) => Promise<void>;
}

export function createClock(options: ClockOptions): Clock {
  const { genesisTime, secondsPerSlot, slotsPerEpoch } = options;
  if (!Number.isFinite(genesisTime) || genesisTime < 0)
    throw new RangeError(`bad genesisTime ${genesisTime}`);
  if (!(secondsPerSlot > 0) || !Number.isFinite(secondsPerSlot)) {
    throw new RangeError(`bad secondsPerSlot ${secondsPerSlot}`);
  }
  if (!Number.isInteger(slotsPerEpoch) || slotsPerEpoch <= 0)
    throw new RangeError(`bad slotsPerEpoch ${slotsPerEpoch}`);
  const now = options.now ?? Date.now;
  const genesisMs = genesisTime * 1000;
  const slotMs = secondsPerSlot * 1000;

  const currentSlot = () => Math.max(0, Math.floor((now() - genesisMs) / slotMs));
  const epochAtSlot = (slot: number) => Math.floor(slot / slotsPerEpoch);
  const slotStartMs = (slot: number) => genesisMs + slot * slotMs;
  const epochStartMs = (epoch: number) => slotStartMs(epoch * slotsPerEpoch);
  const beforeGenesis = () => now() < genesisMs;

  const realSleepUntil = async (timeMs: number, signal?: AbortSignal) => {
    throwIfAborted(signal);
    // Re-check after waking: timers may fire early, and the wall clock may have moved.
    for (let remaining = timeMs - now(); remaining > 0; remaining = timeMs - now()) {
      await sleep(remaining, signal);
    }
  };

  return {
    genesisTime,
    secondsPerSlot,
    slotsPerEpoch,
    now,
    currentSlot,
    currentEpoch: () => epochAtSlot(currentSlot()),
    epochAtSlot,
    slotStartMs,
    epochStartMs,
    msUntilNextSlot: () => (beforeGenesis() ? genesisMs : slotStartMs(currentSlot() + 1)) - now(),
    msUntilNextEpoch: () =>
      (beforeGenesis() ? genesisMs : epochStartMs(epochAtSlot(currentSlot()) + 1)) - now(),
    sleepUntil: options.sleepUntil ?? realSleepUntil,
  };
}

export interface RunEveryOptions {
  clock: Clock;
  /** Aborting stops the loop: the pending wait ends at once; an in-flight task gets the signal. */
  signal: AbortSignal;
  /** Called with every error the task throws; the loop carries on with the next tick. */
  onError: (error: unknown, tick: number) => void;
  /** Logs skipped ticks (a task that overran; debug) and errors thrown by `onError` itself. */
  logger?: Logger;
  /** Names the task in logs. */
  name?: string;
  /** Called with the number of ticks skipped because the task overran (for a metric). */
  onSkipped?: (skipped: number, tick: number) => void;
}

export type TickTask = (tick: number, signal: AbortSignal) => Promise<void>;

/**
 * Runs `task(slot)` now, then at the start of each new slot, until `signal` aborts.
 * Never overlaps: a task that overruns skips the slots it missed (logged, `onSkipped`) instead of
 * building a backlog. Never dies: each iteration's error goes to `onError`. Before genesis it
 * waits for slot 0. Resolves (never rejects on abort) once stopped and the in-flight task settled.
 */
export function runEverySlot(task: TickTask, options: RunEveryOptions): Promise<void> {
  const { clock } = options;
  return runEvery("slot", () => clock.currentSlot(), clock.slotStartMs, task, options);
}

/** `runEverySlot`, per epoch: runs now for the current epoch, then at each epoch's first slot. */
export function runEveryEpoch(task: TickTask, options: RunEveryOptions): Promise<void> {
  const { clock } = options;
  return runEvery("epoch", () => clock.currentEpoch(), clock.epochStartMs, task, options);
}

async function runEvery(
  unit: "slot" | "epoch",
  current: () => number,
  startMs: (tick: number) => number,
  task: TickTask,
  options: RunEveryOptions,
): Promise<void> {
  const { clock, signal, logger, name } = options;
  const report = (error: unknown, tick: number) => {
    try {
      options.onError(error, tick);
    } catch (onErrorFailure) {
      logger?.error("runEvery onError handler threw", { task: name, [unit]: tick }, onErrorFailure);
    }
  };
  try {
    await clock.sleepUntil(startMs(0), signal);
    let last: number | undefined;
    while (!signal.aborted) {
      const tick = current();
      if (last !== undefined && tick <= last) {
        // Woke before the boundary, or the wall clock went back: never run a tick twice.
        await clock.sleepUntil(startMs(last + 1), signal);
        continue;
      }
      if (last !== undefined && tick > last + 1) {
        const skipped = tick - last - 1;
        // A detail, not a fault: a round that sends a transaction and waits for it outlasts a
        // short slot. `onSkipped` counts it; a loop that stalls is what health checks see.
        logger?.debug(`task overran; skipped ${unit}s`, { task: name, skipped, [unit]: tick });
        options.onSkipped?.(skipped, tick);
      }
      last = tick;
      try {
        await task(tick, signal);
      } catch (error) {
        if (signal.aborted && isAbortError(error)) return;
        report(error, tick);
      }
      await clock.sleepUntil(startMs(tick + 1), signal);
    }
  } catch (error) {
    if (signal.aborted && isAbortError(error)) return;
    throw error;
  }
}
