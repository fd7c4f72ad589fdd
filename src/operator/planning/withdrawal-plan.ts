import {
  type BeaconValidator,
  isCompounding,
  keyOf,
  MIN_ACTIVATION_BALANCE_GWEI,
  SHARD_COMMITTEE_PERIOD,
} from "./beacon-rules.ts";
import { formatWeiAsGwei, minGwei, WEI_PER_GWEI } from "./gwei.ts";
import {
  type PendingConsolidation,
  type PendingPartialWithdrawal,
  withdrawingAssets,
} from "./withdrawing-assets.ts";

export interface WithdrawalPlanInputs {
  /** The head epoch. */
  epoch: bigint;
  /** The vault's validators on the beacon at head. */
  validators: readonly BeaconValidator[];
  /**
   * What the vault's exit queue still misses, in gwei, before counting anything already on its
   * way back (ValidatorsChecker.getExitQueueMissingAssets with zero withdrawing assets).
   */
  exitQueueMissingGwei: bigint;
  pendingPartialWithdrawals: readonly PendingPartialWithdrawal[];
  pendingConsolidations: readonly PendingConsolidation[];
  /** Indexes the oracles force-exit (forcedExitIndexes). */
  forcedExits: ReadonlySet<number>;
  /** validator_min_active_epochs of the protocol config: the protocol's own minimum age for an exit. */
  validatorMinActiveEpochs: bigint;
  /** DISABLE_FULL_WITHDRAWALS: serve the queue from partial withdrawals only. */
  disableFullWithdrawals: boolean;
  /**
   * True when the pending partial withdrawals (the beacon's plus the EIP-7002 queue's) reach
   * PENDING_PARTIAL_WITHDRAWALS_LIMIT: a request now would be dropped, its fee lost.
   */
  partialQueueFull: boolean;
  /** The EIP-7002 fee per request, in wei, when `count` requests are sent together. */
  requestFeeWei: (count: number) => bigint;
  /** --max-withdrawal-request-fee-gwei. */
  maxRequestFeeGwei: bigint;
  /**
   * The consensus layer's SHARD_COMMITTEE_PERIOD (its /eth/v1/config/spec): epochs a validator
   * must be active before it may exit or withdraw. Default 256, mainnet's; devnets shorten it.
   */
  shardCommitteePeriod?: bigint;
}

export interface Withdrawal {
  publicKey: `0x${string}`;
  index: number;
  /** Gwei to withdraw; 0 asks for a full exit. */
  amountGwei: bigint;
}

export type WithdrawalPlan =
  | { kind: "idle"; queuedGwei: bigint }
  | {
      kind: "wait";
      /** What the withdrawals wait for: the beacon's queue, a validator able to withdraw, a lower fee. */
      waitFor: "partial-queue" | "validators" | "fee";
      reason: string;
      queuedGwei: bigint;
    }
  | {
      kind: "withdraw";
      queuedGwei: bigint;
      withdrawals: Withdrawal[];
      feePerRequestWei: bigint;
      /** msg.value of withdrawValidators: the fee of every request. */
      valueWei: bigint;
    };

/**
 * The withdrawals that serve the vault's exit queue (spec §6.4 step 4): the queue's missing
 * assets less what is already coming back; first partial withdrawals of the excess above 32 ETH
 * of 0x02 validators, fullest first, which keep validators running; when they cannot cover it,
 * full exits of the smallest validators old enough to exit, each exit shrinking what partials
 * still have to cover. The request fee is paid per request and refused above the cap.
 */
export function planWithdrawals(inputs: WithdrawalPlanInputs): WithdrawalPlan {
  const withdrawing = withdrawingAssets(inputs);
  const queuedGwei =
    inputs.exitQueueMissingGwei > withdrawing.totalGwei
      ? inputs.exitQueueMissingGwei - withdrawing.totalGwei
      : 0n;
  if (queuedGwei === 0n) return { kind: "idle", queuedGwei };
  if (inputs.partialQueueFull) {
    return {
      kind: "wait",
      waitFor: "partial-queue",
      queuedGwei,
      reason:
        "the beacon chain's pending partial withdrawals queue is full; withdrawals wait for it to drain",
    };
  }

  const withdrawals = chooseWithdrawals(inputs, withdrawing.partialsByIndex, queuedGwei);
  if (withdrawals.length === 0) {
    return {
      kind: "wait",
      waitFor: "validators",
      queuedGwei,
      reason: `no validator can withdraw the ${queuedGwei} gwei the exit queue needs: none has excess above 32 ETH${
        inputs.disableFullWithdrawals ? " (full withdrawals are disabled)" : " and none is old enough to exit"
      }`,
    };
  }
  const feePerRequestWei = inputs.requestFeeWei(withdrawals.length);
  if (feePerRequestWei > inputs.maxRequestFeeGwei * WEI_PER_GWEI) {
    return {
      kind: "wait",
      waitFor: "fee",
      queuedGwei,
      reason: `the withdrawal request fee is ${formatWeiAsGwei(feePerRequestWei)} gwei, above --max-withdrawal-request-fee-gwei ${inputs.maxRequestFeeGwei}; withdrawals wait for it to fall`,
    };
  }
  return {
    kind: "withdraw",
    queuedGwei,
    withdrawals,
    feePerRequestWei,
    valueWei: feePerRequestWei * BigInt(withdrawals.length),
  };
}

interface PartialCandidate {
  validator: BeaconValidator;
  /** Excess above 32 ETH not yet asked for. */
  available: bigint;
}

function chooseWithdrawals(
  inputs: WithdrawalPlanInputs,
  partialsByIndex: ReadonlyMap<number, bigint>,
  queued: bigint,
): Withdrawal[] {
  const period = inputs.shardCommitteePeriod ?? SHARD_COMMITTEE_PERIOD;
  const partialAge = inputs.epoch - period;
  const partials: PartialCandidate[] = [];
  let capacity = 0n;
  for (const v of inputs.validators) {
    if (
      v.status !== "active_ongoing" ||
      !isCompounding(v.withdrawalCredentials) ||
      v.activationEpoch >= partialAge ||
      inputs.forcedExits.has(v.index)
    )
      continue;
    const available = v.balanceGwei - MIN_ACTIVATION_BALANCE_GWEI - (partialsByIndex.get(v.index) ?? 0n);
    if (available <= 0n) continue;
    partials.push({ validator: v, available });
    capacity += available;
  }
  // Fullest first, so the fewest requests (each paying a fee) cover the queue.
  partials.sort((a, b) =>
    a.available === b.available ? a.validator.index - b.validator.index : a.available > b.available ? -1 : 1,
  );
  if (capacity >= queued || inputs.disableFullWithdrawals) return takePartials(partials, queued);

  const exitAge = minGwei(inputs.epoch - inputs.validatorMinActiveEpochs, inputs.epoch - period);
  const targets = new Set(inputs.pendingConsolidations.map((c) => c.targetIndex));
  const exitable = inputs.validators
    .filter(
      (v) =>
        v.status === "active_ongoing" &&
        v.activationEpoch <= exitAge &&
        !inputs.forcedExits.has(v.index) &&
        !partialsByIndex.has(v.index) &&
        !targets.has(v.index),
    )
    // Smallest first: exit no more stake than the queue needs.
    .sort((a, b) =>
      a.balanceGwei === b.balanceGwei ? a.index - b.index : a.balanceGwei < b.balanceGwei ? -1 : 1,
    );

  const partialOf = new Map(partials.map((p) => [p.validator.index, p]));
  const result: Withdrawal[] = [];
  const exiting = new Set<number>();
  let left = queued;
  for (const v of exitable) {
    if (left <= 0n) break;
    result.push({ publicKey: keyOf(v.pubkey), index: v.index, amountGwei: 0n });
    exiting.add(v.index);
    left -= v.balanceGwei;
    capacity -= partialOf.get(v.index)?.available ?? 0n;
    if (left > 0n && capacity >= left) {
      result.push(
        ...takePartials(
          partials.filter((p) => !exiting.has(p.validator.index)),
          left,
        ),
      );
      left = 0n;
    }
  }
  return result;
}

function takePartials(partials: readonly PartialCandidate[], queued: bigint): Withdrawal[] {
  const result: Withdrawal[] = [];
  let left = queued;
  for (const { validator, available } of partials) {
    if (left <= 0n) break;
    const amountGwei = minGwei(available, left);
    result.push({ publicKey: keyOf(validator.pubkey), index: validator.index, amountGwei });
    left -= amountGwei;
  }
  return result;
}
