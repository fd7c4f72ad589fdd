/** One `DepositEvent` of the deposit contract, decoded. */
export interface DepositLog {
  blockNumber: bigint;
  logIndex: number;
  transactionHash?: `0x${string}`;
  /** 48 bytes. */
  pubkey: Uint8Array;
  /** 32 bytes. */
  withdrawalCredentials: Uint8Array;
  amountGwei: bigint;
  /** 96 bytes. */
  signature: Uint8Array;
  /** The contract's deposit counter before this deposit: 0, 1, 2, … without gaps. */
  index: bigint;
}

/** An execution block the simulator has followed; it becomes an execution payload. */
export interface ExecutionBlockRef {
  number: bigint;
  hash: `0x${string}`;
  /** Unix seconds. */
  timestamp: bigint;
  parentHash?: `0x${string}`;
}

/** Where the simulator reads deposits from: an execution node (viemDepositSource) or a test double. */
export interface DepositSource {
  /** Deposit logs of blocks fromBlock..toBlock (both inclusive), in any order. */
  fetchDeposits(fromBlock: bigint, toBlock: bigint): Promise<DepositLog[]>;
  latestBlock(): Promise<ExecutionBlockRef>;
}
