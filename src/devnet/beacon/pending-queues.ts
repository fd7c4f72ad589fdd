/**
 * The Electra state's pending queues as the simulator keeps them: every entry remembers the slot
 * it joined its queue and the slot it leaves it, so a state at any slot can list what was pending
 * then (GET …/pending_deposits, …/pending_partial_withdrawals, …/pending_consolidations).
 */

export interface PendingDeposit {
  pubkey: Uint8Array;
  withdrawalCredentials: Uint8Array;
  amountGwei: bigint;
  signature: Uint8Array;
  /** The PendingDeposit's own `slot`: the request's slot, or 0 (GENESIS_SLOT) for a switch's excess. */
  slot: number;
  queuedSlot: number;
  /** Slot it is applied to the balance in. */
  leavesSlot: number;
}

export interface PendingPartialWithdrawal {
  validatorIndex: number;
  amountGwei: bigint;
  withdrawableEpoch: number;
  queuedSlot: number;
  /** First slot of withdrawableEpoch: the sweep takes the amount then. */
  leavesSlot: number;
}

export interface PendingConsolidation {
  sourceIndex: number;
  targetIndex: number;
  queuedSlot: number;
  /** First slot of the source's withdrawable epoch: the balance moves then. */
  leavesSlot: number;
}

/** Entries of `queue` pending in the state at `slot`, in queue order. */
export function pendingAt<T extends { queuedSlot: number; leavesSlot: number }>(
  queue: readonly T[],
  slot: number,
): T[] {
  return queue.filter((entry) => entry.queuedSlot <= slot && slot < entry.leavesSlot);
}
