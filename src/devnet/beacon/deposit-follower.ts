import type { DepositLog, DepositSource, ExecutionBlockRef } from "./deposit-source.ts";
import { DepositFeedError } from "./errors.ts";
import type { RequestOutcome } from "./execution-requests.ts";
import type { ExecutionRequestLog, ExecutionRequestSource } from "./request-source.ts";
import type { DepositOutcome, ValidatorRegistry } from "./validator-registry.ts";

export interface DepositFollowerParameters {
  source: DepositSource;
  /** EIP-7002 / EIP-7251 request logs; none are read without it. */
  requestSource?: ExecutionRequestSource;
  registry: ValidatorRegistry;
  /** First block to scan (the deposit contract's deployment block). */
  fromBlock: bigint;
  /** Deposits are processed once this many blocks deep (ETH1_FOLLOW_DISTANCE); 0 on a devnet. */
  followDistanceBlocks: bigint;
  /** Largest eth_getLogs range. */
  logsBlockRange: bigint;
  /** The slot new deposits and execution blocks take effect in. */
  currentSlot(): number;
}

export interface SyncResult {
  slot: number;
  head: ExecutionBlockRef;
  /** Last block whose deposits are processed. */
  processedToBlock: bigint;
  outcomes: DepositOutcome[];
  /** What became of each withdrawal or consolidation request read in this step. */
  requests: RequestOutcome[];
}

export interface DepositFollower {
  /** One catch-up step; concurrent calls share the step in flight, so steps never overlap. */
  sync(): Promise<SyncResult>;
  /** The execution block a beacon block at `slot` carries: the latest one seen by then. */
  executionBlockAt(slot: number): ExecutionBlockRef | undefined;
  /** True when the last step failed to reach the execution node (the API's el_offline). */
  readonly elOffline: boolean;
  /** Drops execution blocks that no slot after `slot` can need. */
  pruneBefore(slot: number): void;
}

/**
 * Follows the deposit contract in block order. Each step reads the execution head, then the logs
 * of the unprocessed blocks in ranges; a range is checked whole (logs inside it, deposit indexes
 * consecutive from the count so far) before any of it is applied, so a bad feed changes nothing.
 * The simulator does not follow reorgs: a head below one already followed is a DepositFeedError.
 */
export function createDepositFollower(params: DepositFollowerParameters): DepositFollower {
  const seen: Array<{ slot: number; block: ExecutionBlockRef }> = [];
  const progress = { nextBlock: params.fromBlock, elOffline: false };
  let inFlight: Promise<SyncResult> | undefined;

  async function step(): Promise<SyncResult> {
    const slot = params.currentSlot();
    try {
      const result = await follow(slot);
      progress.elOffline = false;
      return result;
    } catch (error) {
      progress.elOffline = !(error instanceof DepositFeedError);
      throw error;
    }
  }

  async function follow(slot: number): Promise<SyncResult> {
    const head = await params.source.latestBlock();
    const last = seen[seen.length - 1]?.block;
    if (last && head.number < last.number) {
      throw new DepositFeedError("the execution chain went backwards; the simulator does not follow reorgs", {
        details: `head ${head.number} after ${last.number}`,
      });
    }
    const outcomes: DepositOutcome[] = [];
    const requests: RequestOutcome[] = [];
    const target = head.number - params.followDistanceBlocks;
    while (progress.nextBlock <= target) {
      const from = progress.nextBlock;
      const to = min(from + params.logsBlockRange - 1n, target);
      const [deposits, requestLogs] = await Promise.all([
        params.source.fetchDeposits(from, to),
        params.requestSource ? params.requestSource.fetchRequests(from, to) : [],
      ]);
      const logs = checkedRange(deposits, from, to, params.registry.depositCount);
      const checkedRequests = checkedRequestRange(requestLogs, from, to);
      // A block's requests come after its deposits, withdrawals before consolidations (EIP-7685 order).
      let next = 0;
      for (const log of logs) {
        while (
          next < checkedRequests.length &&
          (checkedRequests[next] as ExecutionRequestLog).blockNumber < log.blockNumber
        )
          requests.push(params.registry.applyRequest(checkedRequests[next++] as ExecutionRequestLog, slot));
        outcomes.push(params.registry.applyDeposit(log, slot));
      }
      while (next < checkedRequests.length)
        requests.push(params.registry.applyRequest(checkedRequests[next++] as ExecutionRequestLog, slot));
      progress.nextBlock = to + 1n;
    }
    if (!last || last.hash !== head.hash) seen.push({ slot, block: head });
    return { slot, head, processedToBlock: progress.nextBlock - 1n, outcomes, requests };
  }

  return {
    sync() {
      inFlight ??= step().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    executionBlockAt(slot) {
      for (let i = seen.length - 1; i >= 0; i--) {
        const entry = seen[i];
        if (entry && entry.slot <= slot) return entry.block;
      }
      return undefined;
    },
    get elOffline() {
      return progress.elOffline;
    },
    pruneBefore(slot) {
      let keep = 0;
      while (keep + 1 < seen.length && (seen[keep + 1]?.slot as number) <= slot) keep++;
      seen.splice(0, keep);
    },
  };
}

function checkedRange(logs: DepositLog[], from: bigint, to: bigint, count: number): DepositLog[] {
  const sorted = [...logs].sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
  sorted.forEach((log, i) => {
    if (log.blockNumber < from || log.blockNumber > to) {
      throw new DepositFeedError("deposit log outside the requested block range", {
        details: `block ${log.blockNumber} not in ${from}..${to}`,
      });
    }
    const expected = BigInt(count + i);
    if (log.index !== expected) {
      throw new DepositFeedError("deposit indexes are not consecutive", {
        details: `expected deposit index ${expected}, got ${log.index} in block ${log.blockNumber}`,
      });
    }
  });
  return sorted;
}

function checkedRequestRange(logs: ExecutionRequestLog[], from: bigint, to: bigint): ExecutionRequestLog[] {
  const rank = (log: ExecutionRequestLog) => (log.kind === "withdrawal" ? 0 : 1);
  for (const log of logs) {
    if (log.blockNumber < from || log.blockNumber > to) {
      throw new DepositFeedError("request log outside the requested block range", {
        details: `block ${log.blockNumber} not in ${from}..${to}`,
      });
    }
  }
  return [...logs].sort((a, b) =>
    a.blockNumber !== b.blockNumber
      ? a.blockNumber < b.blockNumber
        ? -1
        : 1
      : rank(a) !== rank(b)
        ? rank(a) - rank(b)
        : a.logIndex - b.logIndex,
  );
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
