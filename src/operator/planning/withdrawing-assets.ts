import { type BeaconValidator, hasExitStarted } from "./beacon-rules.ts";

/** A partial withdrawal waiting on the beacon chain or in the EIP-7002 queue of the execution layer. */
export interface PendingPartialWithdrawal {
  validatorIndex: number;
  amountGwei: bigint;
}

/** A consolidation waiting on the beacon chain or in the EIP-7251 queue of the execution layer. */
export interface PendingConsolidation {
  sourceIndex: number;
  targetIndex: number;
}

export interface WithdrawingInputs {
  /** The vault's validators on the beacon at head. */
  validators: readonly BeaconValidator[];
  /** Pending partial withdrawals of any validator; those of other vaults are ignored. */
  pendingPartialWithdrawals: readonly PendingPartialWithdrawal[];
  pendingConsolidations: readonly PendingConsolidation[];
  /** Indexes the oracles force-exit (forcedExitIndexes). */
  forcedExits: ReadonlySet<number>;
}

export interface Withdrawing {
  /** Gwei already on its way back to the vault. */
  totalGwei: bigint;
  /** Pending partial withdrawals per validator index, counting only the vault's validators. */
  partialsByIndex: Map<number, bigint>;
}

/**
 * What is already coming back to the vault, so the exit queue is not served twice: the whole
 * balance of each validator that is exiting or that the oracles force-exit, and the pending
 * partial withdrawals of the others. A consolidation source is exiting too, but its balance moves
 * to its target, not to the vault, so it does not count.
 */
export function withdrawingAssets(inputs: WithdrawingInputs): Withdrawing {
  const sources = new Set(inputs.pendingConsolidations.map((c) => c.sourceIndex));
  const leaving = new Set<number>();
  let totalGwei = 0n;
  for (const v of inputs.validators) {
    if (inputs.forcedExits.has(v.index) || (hasExitStarted(v.status) && !sources.has(v.index))) {
      if (leaving.has(v.index)) continue;
      leaving.add(v.index);
      totalGwei += v.balanceGwei;
    }
  }
  const ours = new Set(inputs.validators.map((v) => v.index));
  const partialsByIndex = new Map<number, bigint>();
  for (const w of inputs.pendingPartialWithdrawals) {
    if (!ours.has(w.validatorIndex)) continue;
    partialsByIndex.set(w.validatorIndex, (partialsByIndex.get(w.validatorIndex) ?? 0n) + w.amountGwei);
    // A leaving validator's whole balance is counted already; its partials are part of it.
    if (!leaving.has(w.validatorIndex)) totalGwei += w.amountGwei;
  }
  return { totalGwei, partialsByIndex };
}
