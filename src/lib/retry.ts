import { AbortedError, isAbortError, throwIfAborted } from "./aborted.ts";
import { sleep as realSleep } from "./sleep.ts";

/** Exponential backoff: `initialMs * factor^(n-1)`, capped at `maxMs`, minus up to `jitter` of it. */
export interface Backoff {
  initialMs: number;
  /** Default 2. */
  factor?: number;
  maxMs: number;
  /** Fraction (0–1) of each delay taken off at random, so many clients do not retry in step. Default 0. */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Required<Backoff> = { initialMs: 500, factor: 2, maxMs: 30_000, jitter: 0.2 };

export interface RetryOptions {
  /** Total attempts, the first included. Default 3, or unlimited when only `untilMs` is given. */
  attempts?: number;
  /**
   * Deadline as an absolute time in Unix ms (same scale as `deps.now`), e.g. the start of the
   * next slot: `clock.slotStartMs(slot + 1)`. No retry starts whose wait would reach it.
   */
  untilMs?: number;
  backoff?: Backoff;
  /** Default `isRetryableError`: `error.retryable === true`. */
  isRetryable?: (error: unknown) => boolean;
  /** Aborting ends the wait at once and rejects with `AbortedError`. */
  signal?: AbortSignal;
  /** Called before each wait; log here (throttled if it can repeat often). */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  error: unknown;
  /** The attempt that just failed (1-based). */
  attempt: number;
  delayMs: number;
}

export interface RetryDeps {
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1); for jitter. */
  random?: () => number;
}

/** The default retry policy: only errors that say so (`OperatorError` with `retryable: true`). */
export function isRetryableError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { retryable?: unknown }).retryable === true;
}

/** The wait after failed attempt `attempt` (1-based). */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const factor = backoff.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, backoff.jitter ?? 0));
  const base = Math.min(backoff.maxMs, backoff.initialMs * factor ** (attempt - 1));
  return Math.round(base * (1 - jitter * random()));
}

/**
 * A server's own "retry after" hint (`HttpError.retryAfterMs` for 429/503), honoured up to the
 * backoff's maximum.
 */
function hintedDelay(error: unknown, delay: number, backoff: Backoff): number {
  const hint =
    typeof error === "object" && error !== null
      ? (error as { retryAfterMs?: unknown }).retryAfterMs
      : undefined;
  return typeof hint === "number" && Number.isFinite(hint)
    ? Math.max(delay, Math.min(hint, backoff.maxMs))
    : delay;
}

/**
 * Calls `fn` until it succeeds, the error is not retryable, the attempts or the deadline run out,
 * or `signal` aborts. Throws the last error unchanged (its type and `retryable` flag are what the
 * caller and the exit code need), or `AbortedError` when aborted.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
  deps: RetryDeps = {},
): Promise<T> {
  const { signal, untilMs } = options;
  const attempts = options.attempts ?? (untilMs === undefined ? 3 : Number.POSITIVE_INFINITY);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const isRetryable = options.isRetryable ?? isRetryableError;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;

  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (signal?.aborted) throw isAbortError(error) ? error : new AbortedError({ cause: error });
      if (!isRetryable(error) || attempt >= attempts) throw error;
      const delayMs = hintedDelay(error, backoffDelay(attempt, backoff, random), backoff);
      if (untilMs !== undefined && now() + delayMs >= untilMs) throw error;
      options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs, signal);
    }
  }
}
