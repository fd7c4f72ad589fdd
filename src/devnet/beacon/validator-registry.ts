import { toPrefixedHex } from "../../lib/hex.ts";
import type { DepositLog } from "./deposit-source.ts";
import type { ValidatorId } from "./ids.ts";
import { isValidDepositSignature } from "./signatures.ts";
import {
  type LifecycleParameters,
  type ValidatorRecord,
  type ValidatorView,
  validatorAt,
} from "./validator-status.ts";

export type DepositOutcome = "created" | "topped-up" | "invalid-signature";

/**
 * The validator registry as process_deposit builds it: a deposit for an unknown public key
 * creates the next validator only if its signature verifies (otherwise it is dropped, though it
 * still counts as processed); a deposit for a known key tops it up with no signature check.
 */
export interface ValidatorRegistry {
  applyDeposit(log: DepositLog, slot: number): DepositOutcome;
  /** Deposits processed up to and including `slot` (eth1_data.deposit_count). */
  depositCountAt(slot: number): number;
  record(id: ValidatorId): ValidatorRecord | undefined;
  view(record: ValidatorRecord, slot: number): ValidatorView | undefined;
  /** Every validator of the state at `slot`, by index. */
  viewsAt(slot: number): ValidatorView[];
  readonly depositCount: number;
}

export function createValidatorRegistry(
  params: LifecycleParameters & { genesisForkVersion: Uint8Array },
): ValidatorRegistry {
  const records: ValidatorRecord[] = [];
  const byPubkey = new Map<string, ValidatorRecord>();
  /** Slot each processed deposit took effect in, in deposit-index order (non-decreasing). */
  const depositSlots: number[] = [];

  return {
    applyDeposit(log, slot) {
      depositSlots.push(slot);
      const pubkeyHex = toPrefixedHex(log.pubkey);
      const existing = byPubkey.get(pubkeyHex);
      if (existing) {
        existing.deposits.push({ slot, amountGwei: log.amountGwei });
        return "topped-up";
      }
      if (!isValidDepositSignature(log, params.genesisForkVersion)) return "invalid-signature";
      const record: ValidatorRecord = {
        index: records.length,
        pubkey: log.pubkey.slice(),
        pubkeyHex,
        withdrawalCredentials: log.withdrawalCredentials.slice(),
        createdSlot: slot,
        deposits: [{ slot, amountGwei: log.amountGwei }],
      };
      records.push(record);
      byPubkey.set(pubkeyHex, record);
      return "created";
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
    get depositCount() {
      return depositSlots.length;
    },
  };
}
