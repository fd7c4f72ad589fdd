import { scanBlockRanges } from "../../chain/block-ranges.ts";
import type { ChainLogger } from "../../chain/endpoints.ts";
import { keyOf } from "../planning/beacon-rules.ts";

/**
 * One vault event that matters to top-ups: a deposit the vault made to a key (V2ValidatorRegistered,
 * ValidatorFunded) or a key the vault started tracking as a consolidation target
 * (ValidatorConsolidationSubmitted's toPublicKey).
 */
export interface FundingEvent {
  kind: "deposit" | "target";
  publicKey: string;
  blockNumber: bigint;
}

/** What the top-up plan needs from the vault's history. */
export interface FundingHistory {
  /** The keys the vault tracks as 0x02 validators (the only ones fundValidators accepts), lower-case. */
  keys: `0x${string}`[];
  /**
   * Unix seconds of the vault's last deposit to a key, for keys whose last deposit is recent
   * enough that the --min-deposit-delay guard could hold them; older keys are left out.
   */
  lastDepositAt: Map<`0x${string}`, number>;
}

export interface FundingHistoryOptions {
  /** First block that can hold the vault's events (the Keeper's genesis: vaults come after it). */
  fromBlock: bigint;
  /** The vault's funding events of [fromBlock, toBlock], oldest first. */
  fetchEvents(fromBlock: bigint, toBlock: bigint): Promise<readonly FundingEvent[]>;
  /** Unix seconds of a block. */
  blockTime(blockNumber: bigint): Promise<number>;
  /** Blocks under the head that may still change (default 64). */
  reorgDepth?: bigint;
  logger?: ChainLogger;
}

/**
 * The vault's 0x02 keys and when each last received a deposit, asked every slot: blocks deeper
 * than the reorg depth are read once per process and folded into memory, the newest blocks are
 * read afresh each time, so an event a reorg removed is never kept.
 *
 * Block times are fetched only for deposits that can still matter: post-merge blocks are at least
 * a second apart, so a deposit at least `delaySeconds` blocks deep is at least that old and no
 * guard can hold its key.
 */
export function createFundingHistory(options: FundingHistoryOptions) {
  const depth = options.reorgDepth ?? 64n;
  let scannedTo = options.fromBlock - 1n;
  const settledKeys = new Set<`0x${string}`>();
  const settledDeposits = new Map<`0x${string}`, bigint>();
  const times = new Map<bigint, number>();

  const scan = async (from: bigint, to: bigint, signal?: AbortSignal): Promise<FundingEvent[]> => {
    const events: FundingEvent[] = [];
    for await (const chunk of scanBlockRanges((f, t) => options.fetchEvents(f, t), {
      fromBlock: from,
      toBlock: to,
      ...(signal ? { signal } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      what: "vault funding events",
      // The service reads it every slot: an outage fails the round at once, the next slot reads again.
      unreachable: "throw",
    })) {
      events.push(...chunk.result);
    }
    return events;
  };

  const fold = (
    events: readonly FundingEvent[],
    keys: Set<`0x${string}`>,
    deposits: Map<`0x${string}`, bigint>,
  ) => {
    for (const e of events) {
      const key = keyOf(e.publicKey);
      keys.add(key);
      if (e.kind === "deposit") {
        const last = deposits.get(key);
        if (last === undefined || e.blockNumber > last) deposits.set(key, e.blockNumber);
      }
    }
  };

  return {
    async read(
      head: { number: bigint; timestamp: number },
      delaySeconds: number,
      signal?: AbortSignal,
    ): Promise<FundingHistory> {
      const settledTo = head.number - depth;
      if (settledTo > scannedTo) {
        fold(await scan(scannedTo + 1n, settledTo, signal), settledKeys, settledDeposits);
        scannedTo = settledTo;
      }
      const keys = new Set(settledKeys);
      const deposits = new Map(settledDeposits);
      const from = scannedTo + 1n > options.fromBlock ? scannedTo + 1n : options.fromBlock;
      if (from <= head.number) fold(await scan(from, head.number, signal), keys, deposits);

      const window = BigInt(Math.max(0, Math.ceil(delaySeconds)));
      for (const block of times.keys()) if (head.number - block >= window) times.delete(block);
      const lastDepositAt = new Map<`0x${string}`, number>();
      for (const [key, block] of deposits) {
        if (head.number - block >= window) continue;
        let at = times.get(block);
        if (at === undefined) {
          at = await options.blockTime(block);
          // Only a settled block's time is kept: a reorg may replace a newer one.
          if (head.number - block > depth) times.set(block, at);
        }
        lastDepositAt.set(key, at);
      }
      return { keys: [...keys], lastDepositAt };
    },
  };
}

export type FundingHistorySource = ReturnType<typeof createFundingHistory>;
