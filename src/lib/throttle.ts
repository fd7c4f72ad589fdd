/**
 * Rate-limits repetitive events per key: a warning that would fire every slot (an endpoint down,
 * an oracle lagging) is let through at most once per interval, with the count of what was dropped.
 * State lives in the returned object, never in the module.
 */
export interface Throttle {
  /**
   * Call before emitting the event for `key`. Returns the number of events suppressed since the
   * last one let through (0 the first time) when it may be emitted, or `null` when it must be dropped.
   */
  take(key: string, intervalMs: number): number | null;
}

interface Window {
  openedAt: number;
  intervalMs: number;
  suppressed: number;
}

/** Anything with `now()` in ms: a `Clock`, a `ManualClock`, or `{ now: Date.now }`. */
export interface TimeSource {
  now(): number;
}

const DEFAULT_MAX_KEYS = 1000;

export function createThrottle(clock: TimeSource = { now: Date.now }, maxKeys = DEFAULT_MAX_KEYS): Throttle {
  const windows = new Map<string, Window>();

  function evict(now: number): void {
    for (const [key, window] of windows) {
      if (now - window.openedAt >= window.intervalMs) windows.delete(key);
    }
    // Still too many live keys: drop the oldest (Map keeps insertion order).
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(key);
    }
  }

  return {
    take(key, intervalMs) {
      const now = clock.now();
      const window = windows.get(key);
      // A clock that went backwards reopens the window rather than muting the key for long.
      if (window && now >= window.openedAt && now - window.openedAt < intervalMs) {
        window.suppressed++;
        return null;
      }
      const suppressed = window?.suppressed ?? 0;
      windows.delete(key);
      if (windows.size >= maxKeys) evict(now);
      windows.set(key, { openedAt: now, intervalMs, suppressed: 0 });
      return suppressed;
    },
  };
}
