import { bytesEqual, toPrefixedHex } from "../../lib/hex.ts";
import type { PendingConsolidation, PendingDeposit, PendingPartialWithdrawal } from "./pending-queues.ts";
import type { ConsolidationRequestLog, WithdrawalRequestLog } from "./request-source.ts";
import {
  COMPOUNDING_PREFIX,
  ETH1_PREFIX,
  exitEpochOf,
  FAR_FUTURE_EPOCH,
  type LifecycleParameters,
  type ValidatorRecord,
  type ValidatorView,
} from "./validator-status.ts";

/**
 * process_withdrawal_request and process_consolidation_request of the Electra state transition,
 * without churn limits or queue-size limits: a request the consensus spec would ignore is
 * ignored here too, with the reason kept for the test or log that asks. Balance movements are
 * sized when the request is processed and take effect when their queue entry leaves.
 */

export interface RequestParameters extends LifecycleParameters {
  shardCommitteePeriodEpochs: number;
  /** Slots a pending deposit waits before it reaches the balance. */
  depositDelaySlots: number;
}

/** What processing reads and writes: the registry's records and its pending queues. */
export interface RequestLedger {
  find(pubkey: Uint8Array): ValidatorRecord | undefined;
  view(record: ValidatorRecord, slot: number): ValidatorView | undefined;
  readonly partialWithdrawals: PendingPartialWithdrawal[];
  readonly consolidations: PendingConsolidation[];
  readonly deposits: PendingDeposit[];
}

export interface RequestOutcome {
  kind: "withdrawal" | "consolidation";
  applied: boolean;
  /** What happened ("full exit of 3") or why the request was ignored. */
  detail: string;
}

/** The compressed point at infinity: the signature Electra gives a switch's excess deposit. */
const INFINITY_SIGNATURE = Uint8Array.from([0xc0, ...new Uint8Array(95)]);

export function processWithdrawalRequest(
  request: WithdrawalRequestLog,
  slot: number,
  ledger: RequestLedger,
  params: RequestParameters,
): RequestOutcome {
  const result = (applied: boolean, detail: string): RequestOutcome => ({
    kind: "withdrawal",
    applied,
    detail,
  });
  const found = activeValidator(request.validatorPubkey, request.sourceAddress, slot, ledger, params, true);
  if ("reason" in found) return result(false, found.reason);
  const { record, view } = found;
  const pendingToWithdraw = pendingBalanceToWithdraw(ledger, view.index, slot);

  if (request.amountGwei === 0n) {
    if (pendingToWithdraw > 0n)
      return result(false, `validator ${view.index} has partial withdrawals pending`);
    record.exitSlot = slot;
    return result(true, `full exit of validator ${view.index}`);
  }

  const minActivation = params.maxEffectiveBalanceGwei;
  if (view.withdrawalCredentials[0] !== COMPOUNDING_PREFIX)
    return result(false, `validator ${view.index} has no 0x02 credentials for a partial withdrawal`);
  if (view.effectiveBalanceGwei < minActivation || view.balanceGwei <= minActivation + pendingToWithdraw)
    return result(false, `validator ${view.index} has no balance above ${minActivation} gwei to withdraw`);
  const amount = min(view.balanceGwei - minActivation - pendingToWithdraw, request.amountGwei);
  const withdrawableEpoch = exitEpochOf(slot, params) + params.withdrawabilityDelayEpochs;
  const leavesSlot = withdrawableEpoch * params.slotsPerEpoch;
  ledger.partialWithdrawals.push({
    validatorIndex: view.index,
    amountGwei: amount,
    withdrawableEpoch,
    queuedSlot: slot,
    leavesSlot,
  });
  record.balanceChanges.push({ slot: leavesSlot, deltaGwei: -amount });
  return result(true, `partial withdrawal of ${amount} gwei from validator ${view.index}`);
}

export function processConsolidationRequest(
  request: ConsolidationRequestLog,
  slot: number,
  ledger: RequestLedger,
  params: RequestParameters,
): RequestOutcome {
  const result = (applied: boolean, detail: string): RequestOutcome => ({
    kind: "consolidation",
    applied,
    detail,
  });
  const isSwitch = bytesEqual(request.sourcePubkey, request.targetPubkey);
  // A switch, unlike a consolidation, does not ask for SHARD_COMMITTEE_PERIOD of activity.
  const source = activeValidator(
    request.sourcePubkey,
    request.sourceAddress,
    slot,
    ledger,
    params,
    !isSwitch,
  );
  if (isSwitch) {
    if ("reason" in source) return result(false, source.reason);
    return switchToCompounding(source.record, source.view, slot, ledger, params, result);
  }
  if ("reason" in source) return result(false, `source: ${source.reason}`);
  const targetRecord = ledger.find(request.targetPubkey);
  const target = targetRecord && ledger.view(targetRecord, slot);
  if (!targetRecord || !target)
    return result(false, `target ${short(request.targetPubkey)} is not a known validator`);
  if (target.withdrawalCredentials[0] !== COMPOUNDING_PREFIX)
    return result(false, `target validator ${target.index} has no 0x02 credentials`);
  const inactive = inactiveReason(target, slot, params);
  if (inactive) return result(false, `target: ${inactive}`);
  const { record, view } = source;
  if (pendingBalanceToWithdraw(ledger, view.index, slot) > 0n)
    return result(false, `source validator ${view.index} has partial withdrawals pending`);

  record.exitSlot = slot;
  const withdrawableEpoch = exitEpochOf(slot, params) + params.withdrawabilityDelayEpochs;
  const leavesSlot = withdrawableEpoch * params.slotsPerEpoch;
  const moved = min(view.effectiveBalanceGwei, view.balanceGwei);
  ledger.consolidations.push({
    sourceIndex: view.index,
    targetIndex: target.index,
    queuedSlot: slot,
    leavesSlot,
  });
  record.balanceChanges.push({ slot: leavesSlot, deltaGwei: -moved });
  targetRecord.balanceChanges.push({ slot: leavesSlot, deltaGwei: moved });
  return result(true, `consolidation of validator ${view.index} into ${target.index}`);
}

/** A switch moves the balance above 32 ETH back through the deposit queue (queue_excess_active_balance). */
function switchToCompounding(
  record: ValidatorRecord,
  view: ValidatorView,
  slot: number,
  ledger: RequestLedger,
  params: RequestParameters,
  result: (applied: boolean, detail: string) => RequestOutcome,
): RequestOutcome {
  if (view.withdrawalCredentials[0] !== ETH1_PREFIX)
    return result(false, `validator ${view.index} does not have 0x01 credentials to switch`);
  record.compoundingSlot = slot;
  const excess = view.balanceGwei - params.maxEffectiveBalanceGwei;
  if (excess > 0n) {
    const leavesSlot = slot + params.depositDelaySlots;
    const credentials = record.withdrawalCredentials.slice();
    credentials[0] = COMPOUNDING_PREFIX;
    record.balanceChanges.push({ slot, deltaGwei: -excess }, { slot: leavesSlot, deltaGwei: excess });
    ledger.deposits.push({
      pubkey: record.pubkey,
      withdrawalCredentials: credentials,
      amountGwei: excess,
      signature: INFINITY_SIGNATURE,
      slot: 0,
      queuedSlot: slot,
      leavesSlot,
    });
  }
  return result(true, `switch of validator ${view.index} to 0x02 credentials`);
}

type Found = { record: ValidatorRecord; view: ValidatorView } | { reason: string };

/** The checks both requests make of the validator they act for: known, owned by the caller, active, not exiting. */
function activeValidator(
  pubkey: Uint8Array,
  sourceAddress: Uint8Array,
  slot: number,
  ledger: RequestLedger,
  params: RequestParameters,
  checkPeriod: boolean,
): Found {
  const record = ledger.find(pubkey);
  const view = record && ledger.view(record, slot);
  if (!record || !view) return { reason: `${short(pubkey)} is not a known validator` };
  const credentials = view.withdrawalCredentials;
  const executionCredentials = credentials[0] === ETH1_PREFIX || credentials[0] === COMPOUNDING_PREFIX;
  if (!executionCredentials || !bytesEqual(credentials.subarray(12), sourceAddress)) {
    return {
      reason: `validator ${view.index} withdraws to another address than the request's source ${toPrefixedHex(sourceAddress)}`,
    };
  }
  const inactive = inactiveReason(view, slot, params);
  if (inactive) return { reason: inactive };
  const epoch = Math.floor(slot / params.slotsPerEpoch);
  if (checkPeriod && BigInt(epoch) < view.activationEpoch + BigInt(params.shardCommitteePeriodEpochs))
    return { reason: `validator ${view.index} has not been active for SHARD_COMMITTEE_PERIOD` };
  return { record, view };
}

function inactiveReason(view: ValidatorView, slot: number, params: RequestParameters): string | undefined {
  const epoch = BigInt(Math.floor(slot / params.slotsPerEpoch));
  if (!(view.activationEpoch <= epoch && epoch < view.exitEpoch))
    return `validator ${view.index} is not active (status ${view.status})`;
  if (view.exitEpoch !== FAR_FUTURE_EPOCH) return `validator ${view.index} is already exiting`;
  return undefined;
}

function pendingBalanceToWithdraw(ledger: RequestLedger, index: number, slot: number): bigint {
  let total = 0n;
  for (const w of ledger.partialWithdrawals) {
    if (w.validatorIndex === index && w.queuedSlot <= slot && slot < w.leavesSlot) total += w.amountGwei;
  }
  return total;
}

function short(pubkey: Uint8Array): string {
  return `${toPrefixedHex(pubkey).slice(0, 12)}…`;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
