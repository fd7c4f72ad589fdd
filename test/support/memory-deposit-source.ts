import { createHash } from "node:crypto";
import type { DepositLog, DepositSource, ExecutionBlockRef } from "../../src/devnet/beacon/deposit-source.ts";
import { toPrefixedHex } from "../../src/lib/hex.ts";

export interface MemoryDeposit {
  pubkey: Uint8Array;
  withdrawalCredentials: Uint8Array;
  amountGwei: bigint;
  signature: Uint8Array;
}

/**
 * A hand-written execution chain for tests and offline rehearsals: each `deposit` mines one block
 * holding one DepositEvent, `mine` mines an empty one. Block hashes are deterministic.
 */
export interface MemoryDepositSource extends DepositSource {
  deposit(deposit: MemoryDeposit): DepositLog;
  mine(): ExecutionBlockRef;
  /** While set, every call rejects with it (an execution node that is down). */
  failWith(error: Error | null): void;
  /** The ranges asked so far, for assertions. */
  readonly requests: ReadonlyArray<{ fromBlock: bigint; toBlock: bigint }>;
}

export interface MemoryDepositSourceOptions {
  /** Number of the current (latest) block at the start; default 0. */
  startBlock?: bigint;
  /** Unix seconds of the start block; default 0. */
  startTimestamp?: bigint;
  /** Default 12. */
  blockTimeSeconds?: bigint;
}

export function createMemoryDepositSource(options: MemoryDepositSourceOptions = {}): MemoryDepositSource {
  const blockTime = options.blockTimeSeconds ?? 12n;
  const blocks: ExecutionBlockRef[] = [];
  const logs: DepositLog[] = [];
  const requests: Array<{ fromBlock: bigint; toBlock: bigint }> = [];
  const failure: { error: Error | null } = { error: null };

  const push = (number: bigint, timestamp: bigint, parentHash: `0x${string}`): ExecutionBlockRef => {
    const hash = toPrefixedHex(createHash("sha256").update(`memory-el-block-${number}`).digest());
    const block = { number, hash, timestamp, parentHash };
    blocks.push(block);
    return block;
  };
  push(options.startBlock ?? 0n, options.startTimestamp ?? 0n, `0x${"00".repeat(32)}`);
  const latest = () => blocks[blocks.length - 1] as ExecutionBlockRef;
  const mine = () => push(latest().number + 1n, latest().timestamp + blockTime, latest().hash);
  const check = () => {
    if (failure.error) throw failure.error;
  };

  return {
    async fetchDeposits(fromBlock, toBlock) {
      check();
      if (fromBlock > toBlock) throw new RangeError(`fromBlock ${fromBlock} > toBlock ${toBlock}`);
      requests.push({ fromBlock, toBlock });
      return logs.filter((log) => log.blockNumber >= fromBlock && log.blockNumber <= toBlock);
    },
    async latestBlock() {
      check();
      return { ...latest() };
    },
    deposit(deposit) {
      const block = mine();
      const log: DepositLog = {
        ...deposit,
        blockNumber: block.number,
        logIndex: 0,
        index: BigInt(logs.length),
      };
      logs.push(log);
      return log;
    },
    mine,
    failWith(error) {
      failure.error = error;
    },
    requests,
  };
}
