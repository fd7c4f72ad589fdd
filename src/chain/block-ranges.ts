/**
 * Walks a block range in adaptive chunks (spec §6.8): the chunk doubles after each success up to
 * a ceiling and halves after each failure (most eth_getLogs failures on big ranges are "too many
 * results" or "range too large"); a failure at the smallest chunk is retried after a pause. Too
 * many consecutive failures end the walk with the last error.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { errorChain } from "../lib/errors.ts";
import { AllEndpointsFailedError } from "../lib/http/errors.ts";
import type { ChainLogger } from "./endpoints.ts";

export interface BlockRangeOptions {
  fromBlock: bigint;
  /** Inclusive. */
  toBlock: bigint;
  /** First chunk size in blocks (default 500 000). */
  initialChunk?: bigint;
  /** Smallest chunk (default 1). */
  minChunk?: bigint;
  /** Largest chunk (default 1 000 000). */
  maxChunk?: bigint;
  /** Consecutive failures tolerated before giving up (default 30). */
  retries?: number;
  /** Pause after a failure at the smallest chunk (default 3 s). */
  retryDelayMs?: number;
  /**
   * When no endpoint answered at all (an AllEndpointsFailedError among the error's causes):
   * "retry" (the default) counts it and waits as for any failure, riding out a blip in a long
   * scan; "throw" gives up at once. The service's per-slot scans throw: its next slot tries again,
   * and an outage then fails the round in a moment instead of holding it for up to 30 retries.
   */
  unreachable?: "retry" | "throw";
  signal?: AbortSignal;
  logger?: ChainLogger;
  /** Names the scan in warnings ("deposit events"). */
  what?: string;
}

export interface BlockRangeResult<T> {
  fromBlock: bigint;
  toBlock: bigint;
  result: T;
}

/** Yields `fetch(from, to)` for consecutive ranges covering [fromBlock, toBlock], in order. */
export async function* scanBlockRanges<T>(
  fetch: (fromBlock: bigint, toBlock: bigint) => Promise<T>,
  options: BlockRangeOptions,
): AsyncGenerator<BlockRangeResult<T>> {
  const min = options.minChunk ?? 1n;
  let ceiling = options.maxChunk ?? 1_000_000n;
  if (min < 1n || ceiling < min) throw new RangeError("chunk sizes must satisfy 1 <= minChunk <= maxChunk");
  let chunk = clamp(options.initialChunk ?? 500_000n, min, ceiling);
  const retries = options.retries ?? 30;
  let failures = 0;
  let from = options.fromBlock;
  while (from <= options.toBlock) {
    options.signal?.throwIfAborted();
    const to = from + chunk - 1n < options.toBlock ? from + chunk - 1n : options.toBlock;
    let result: T;
    try {
      result = await fetch(from, to);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (
        options.unreachable === "throw" &&
        errorChain(error).some((e) => e instanceof AllEndpointsFailedError)
      ) {
        throw error;
      }
      failures += 1;
      if (failures > retries) throw error;
      options.logger?.warn(
        `${options.what ?? "block range"} request failed`,
        { fromBlock: from, toBlock: to, failures },
        error,
      );
      if (chunk > min) {
        chunk = clamp(chunk / 2n, min, ceiling);
        // Bigger chunks just failed: do not grow past this one again in this walk.
        ceiling = chunk;
      } else {
        await sleep(
          options.retryDelayMs ?? 3_000,
          undefined,
          options.signal ? { signal: options.signal } : {},
        );
      }
      continue;
    }
    failures = 0;
    yield { fromBlock: from, toBlock: to, result };
    from = to + 1n;
    chunk = clamp(chunk * 2n, min, ceiling);
  }
}

function clamp(value: bigint, min: bigint, max: bigint): bigint {
  return value < min ? min : value > max ? max : value;
}
