import { toPrefixedHex } from "../../lib/hex.ts";
import type { DepositLog } from "./deposit-source.ts";
import {
  processConsolidationRequest,
  processWithdrawalRequest,
  type RequestLedger,
  type RequestOutcome,
  type RequestParameters,
} from "./execution-requests.ts";
import type { ValidatorId } from "./ids.ts";
import {
  type PendingConsolidation,
  type PendingDeposit,
  type PendingPartialWithdrawal,
  pendingAt,
} from "./pending-queues.ts";
import type { ExecutionRequestLog } from "./request-source.ts";
import { isValidDepositSignature } from "./signatures.ts";
import { type ValidatorRecord, type ValidatorView, validatorAt } from "./validator-status.ts";

export type DepositOutcome = "created" | "topped-up" | "invalid-signature";

/**
 * The validator registry as process_deposit builds it: a deposit for an unknown public key
 * creates the next validator only if its signature verifies (otherwise it is dropped, though it
 * still counts as processed); a deposit for a known key tops it up with no signature check.
 * Since Electra a deposit waits in the pending-deposits queue before it reaches the balance
 * (`depositDelaySlots`); the new validator's index is taken when its deposit is seen, and the
 * validator exists from the slot its first deposit leaves the queue.
 */
export interface ValidatorRegistry {
  applyDeposit(log: DepositLog, slot: number): DepositOutcome;
  /** An EIP-7002 or EIP-7251 request included at `slot`. */
  applyRequest(request: ExecutionRequestLog, slot: number): RequestOutcome;
  /** Deposits processed up to and including `slot` (eth1_data.deposit_count). */
  depositCountAt(slot: number): number;
  record(id: ValidatorId): ValidatorRecord | undefined;
  view(record: ValidatorRecord, slot: number): ValidatorView | undefined;
  /** Every validator of the state at `slot`, by index. */
  viewsAt(slot: number): ValidatorView[];
  pendingDepositsAt(slot: number): PendingDeposit[];
  pendingPartialWithdrawalsAt(slot: number): PendingPartialWithdrawal[];
  pendingConsolidationsAt(slot: number): PendingConsolidation[];
  readonly depositCount: number;
  /** Validators known, including those whose first deposit is still pending: the next index. */
  readonly validatorCount: number;
}

export function createValidatorRegistry(
  params: RequestParameters & { genesisForkVersion: Uint8Array },
): ValidatorRegistry {
  const records: ValidatorRecord[] = [];
  const byPubkey = new Map<string, ValidatorRecord>();
  /** Slot each processed deposit took effect in, in deposit-index order (non-decreasing). */
  const depositSlots: number[] = [];
  const ledger: RequestLedger = {
    find: (pubkey) => byPubkey.get(toPrefixedHex(pubkey)),
    view: (record, slot) => validatorAt(record, slot, params),
    partialWithdrawals: [],
    consolidations: [],
    deposits: [],
  };

  return {
    applyDeposit(log, slot) {
      depositSlots.push(slot);
      const pubkeyHex = toPrefixedHex(log.pubkey);
      const existing = byPubkey.get(pubkeyHex);
      const leavesSlot = slot + params.depositDelaySlots;
      const queue = () =>
        ledger.deposits.push({
          pubkey: log.pubkey.slice(),
          withdrawalCredentials: log.withdrawalCredentials.slice(),
          amountGwei: log.amountGwei,
          signature: log.signature.slice(),
          slot,
          queuedSlot: slot,
          leavesSlot,
        });
      if (existing) {
        existing.deposits.push({ slot: leavesSlot, amountGwei: log.amountGwei });
        queue();
        return "topped-up";
      }
      if (!isValidDepositSignature(log, params.genesisForkVersion)) return "invalid-signature";
      const record: ValidatorRecord = {
        index: records.length,
        pubkey: log.pubkey.slice(),
        pubkeyHex,
        withdrawalCredentials: log.withdrawalCredentials.slice(),
        createdSlot: leavesSlot,
        deposits: [{ slot: leavesSlot, amountGwei: log.amountGwei }],
        balanceChanges: [],
      };
      records.push(record);
      byPubkey.set(pubkeyHex, record);
      queue();
      return "created";
    },
    applyRequest(request, slot) {
      return request.kind === "withdrawal"
        ? processWithdrawalRequest(request, slot, ledger, params)
        : processConsolidationRequest(request, slot, ledger, params);
    },
    depositCountAt(slot) {
      let low = 0;
      let high = depositSlots.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((depositSlots[mid] as number) <= slot) low = mid + 1;
        else high = mid;
      }
      return low;
    },
    record(id) {
      return "index" in id ? records[id.index] : byPubkey.get(id.pubkey);
    },
    view: (record, slot) => validatorAt(record, slot, params),
    viewsAt(slot) {
      const views: ValidatorView[] = [];
      for (const record of records) {
        const view = validatorAt(record, slot, params);
        if (!view) break; // indexes are assigned in slot order: the rest came later too
        views.push(view);
      }
      return views;
    },
    pendingDepositsAt: (slot) => pendingAt(ledger.deposits, slot),
    pendingPartialWithdrawalsAt: (slot) => pendingAt(ledger.partialWithdrawals, slot),
    pendingConsolidationsAt: (slot) => pendingAt(ledger.consolidations, slot),
    get depositCount() {
      return depositSlots.length;
    },
    get validatorCount() {
      return records.length;
    },
  };
}
