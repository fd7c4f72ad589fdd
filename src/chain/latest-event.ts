import { scanBlockRanges } from "./block-ranges.ts";
import type { ChainLogger } from "./endpoints.ts";

/**
 * The last log of one kind (the Keeper's last RewardsUpdated, a vault's last
 * ExitSignaturesUpdated), asked for every slot without scanning the chain from the contract's
 * genesis each time: blocks deeper than `reorgDepth` below the head are scanned once and
 * remembered; the newest `reorgDepth` blocks are scanned afresh on every call, so an event that
 * a reorg removed is never reported.
 */
export interface LatestEventSourceOptions<TLog> {
  /** First block that can hold the event (the contract's genesis block). */
  fromBlock: bigint;
  /** The logs of [fromBlock, toBlock], oldest first. */
  fetchLogs: (fromBlock: bigint, toBlock: bigint) => Promise<readonly TLog[]>;
  /** Blocks under the head that may still change (default 64: two epochs, past finality). */
  reorgDepth?: bigint;
  logger?: ChainLogger;
  what?: string;
}

export interface LatestEventSource<TLog> {
  /** The last log up to `toBlock` (the head the caller works at), or undefined if none. */
  latest(toBlock: bigint, signal?: AbortSignal): Promise<TLog | undefined>;
}

export function createLatestEventSource<TLog>(
  options: LatestEventSourceOptions<TLog>,
): LatestEventSource<TLog> {
  const depth = options.reorgDepth ?? 64n;
  /** Everything up to here is settled and scanned; `settled` is its last log. */
  let scannedTo = options.fromBlock - 1n;
  let settled: TLog | undefined;
  let running: Promise<void> | undefined;

  const scan = async (from: bigint, to: bigint, signal?: AbortSignal): Promise<TLog | undefined> => {
    let last: TLog | undefined;
    for await (const chunk of scanBlockRanges(options.fetchLogs, {
      fromBlock: from,
      toBlock: to,
      ...(signal ? { signal } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      what: options.what ?? "event",
      // The service reads it every slot: an outage fails the round at once, the next slot reads again.
      unreachable: "throw",
    })) {
      last = chunk.result.at(-1) ?? last;
    }
    return last;
  };

  const settle = async (to: bigint, signal?: AbortSignal) => {
    if (to <= scannedTo) return;
    const last = await scan(scannedTo + 1n, to, signal);
    if (last !== undefined) settled = last;
    scannedTo = to;
  };

  return {
    async latest(toBlock, signal) {
      const settledTo = toBlock - depth;
      // Concurrent callers share one settling scan instead of racing on `scannedTo`.
      while (running) await running;
      if (settledTo > scannedTo) {
        running = settle(settledTo, signal).finally(() => {
          running = undefined;
        });
        await running;
      }
      const from = scannedTo + 1n > options.fromBlock ? scannedTo + 1n : options.fromBlock;
      const fresh = from <= toBlock ? await scan(from, toBlock, signal) : undefined;
      return fresh ?? settled;
    },
  };
}
