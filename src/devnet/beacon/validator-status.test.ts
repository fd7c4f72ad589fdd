import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  FAR_FUTURE_EPOCH,
  isStatusFilter,
  type LifecycleParameters,
  matchesStatus,
  type ValidatorRecord,
  validatorAt,
} from "./validator-status.ts";

const ETH = 1_000_000_000n;
const PARAMS: LifecycleParameters = {
  slotsPerEpoch: 4,
  activationDelaySlots: 8,
  exitDelaySlots: 20,
  withdrawabilityDelayEpochs: 3,
  maxEffectiveBalanceGwei: 32n * ETH,
};

function record(deposits: Array<[number, bigint]>, exitSlot?: number): ValidatorRecord {
  const first = deposits[0];
  assert.ok(first);
  return {
    index: 0,
    pubkey: new Uint8Array(48),
    pubkeyHex: `0x${"00".repeat(48)}`,
    withdrawalCredentials: new Uint8Array(32),
    createdSlot: first[0],
    deposits: deposits.map(([slot, amountGwei]) => ({ slot, amountGwei })),
    ...(exitSlot === undefined ? {} : { exitSlot }),
  };
}

const statusAt = (r: ValidatorRecord, slot: number) => validatorAt(r, slot, PARAMS)?.status;

describe("validatorAt", () => {
  it("walks the whole lifecycle at epoch boundaries", () => {
    const r = record([[2, 32n * ETH]], 14);
    assert.equal(statusAt(r, 1), undefined);
    assert.equal(statusAt(r, 2), "pending_initialized");
    assert.equal(statusAt(r, 3), "pending_initialized");
    assert.equal(statusAt(r, 4), "pending_queued"); // eligible at epoch 1
    assert.equal(statusAt(r, 11), "pending_queued");
    assert.equal(statusAt(r, 12), "active_ongoing"); // epoch 3 = ceil((2 + 8) / 4)
    assert.equal(statusAt(r, 13), "active_ongoing");
    assert.equal(statusAt(r, 14), "active_exiting"); // exit included at slot 14
    assert.equal(validatorAt(r, 14, PARAMS)?.exitEpoch, 9n); // ceil((14 + 20) / 4)
    assert.equal(statusAt(r, 35), "active_exiting");
    assert.equal(statusAt(r, 36), "exited_unslashed");
    assert.equal(validatorAt(r, 36, PARAMS)?.withdrawableEpoch, 12n);
    assert.equal(statusAt(r, 48), "withdrawal_possible");
  });

  it("becomes eligible only once the balance reaches MAX_EFFECTIVE_BALANCE", () => {
    const r = record([
      [0, 16n * ETH],
      [9, 16n * ETH + 500_000_000n],
    ]);
    const before = validatorAt(r, 8, PARAMS);
    assert.equal(before?.status, "pending_initialized");
    assert.equal(before?.balanceGwei, 16n * ETH);
    assert.equal(before?.activationEligibilityEpoch, FAR_FUTURE_EPOCH);
    const after = validatorAt(r, 12, PARAMS);
    assert.equal(after?.status, "pending_queued");
    assert.equal(after?.activationEligibilityEpoch, 3n);
    assert.equal(after?.activationEpoch, 5n); // ceil((9 + 8) / 4)
    assert.equal(after?.effectiveBalanceGwei, 32n * ETH);
    assert.equal(validatorAt(record([[0, 1_500_000_000n]]), 0, PARAMS)?.effectiveBalanceGwei, 1n * ETH);
  });

  it("activates no earlier than the eligibility epoch with no delay", () => {
    const r = record([[4, 32n * ETH]]);
    const params = { ...PARAMS, activationDelaySlots: 0 };
    assert.equal(validatorAt(r, 7, params)?.status, "pending_initialized");
    assert.equal(validatorAt(r, 8, params)?.status, "active_ongoing");
  });
});

describe("status filters", () => {
  it("match exact statuses and the four general ones", () => {
    assert.equal(matchesStatus("active_ongoing", "active"), true);
    assert.equal(matchesStatus("active_exiting", "active_exiting"), true);
    assert.equal(matchesStatus("pending_queued", "active"), false);
    assert.equal(matchesStatus("active_ongoing", "activ"), false);
    assert.equal(isStatusFilter("withdrawal"), true);
    assert.equal(isStatusFilter("exited_slashed"), true);
    assert.equal(isStatusFilter("alive"), false);
  });
});
