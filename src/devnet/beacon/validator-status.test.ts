import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  credentialsAt,
  effectiveBalance,
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
  maxEffectiveBalanceCompoundingGwei: 2048n * ETH,
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
    balanceChanges: [],
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

describe("balances and credentials (Electra)", () => {
  const withCredentials = (r: ValidatorRecord, prefix: number): ValidatorRecord => {
    const credentials = new Uint8Array(32);
    credentials[0] = prefix;
    return { ...r, withdrawalCredentials: credentials };
  };

  it("caps the effective balance at 32 ETH for 0x01 and 2048 ETH for 0x02, in whole ETH", () => {
    const eth1 = withCredentials(record([[0, 100n * ETH + 700_000_000n]]), 0x01);
    const compounding = withCredentials(record([[0, 100n * ETH + 700_000_000n]]), 0x02);
    const huge = withCredentials(record([[0, 3000n * ETH]]), 0x02);
    assert.equal(validatorAt(eth1, 0, PARAMS)?.effectiveBalanceGwei, 32n * ETH);
    assert.equal(validatorAt(eth1, 0, PARAMS)?.balanceGwei, 100n * ETH + 700_000_000n);
    assert.equal(validatorAt(compounding, 0, PARAMS)?.effectiveBalanceGwei, 100n * ETH);
    assert.equal(validatorAt(huge, 0, PARAMS)?.effectiveBalanceGwei, 2048n * ETH);
    assert.equal(
      effectiveBalance(2047n * ETH + 999_999_999n, compounding.withdrawalCredentials, PARAMS),
      2047n * ETH,
    );
  });

  it("adds top-ups and other balance changes from the slot they take effect", () => {
    const r = withCredentials(
      record([
        [0, 100n * ETH],
        [6, 50n * ETH],
      ]),
      0x02,
    );
    r.balanceChanges.push({ slot: 9, deltaGwei: -20n * ETH });
    assert.equal(validatorAt(r, 5, PARAMS)?.balanceGwei, 100n * ETH);
    assert.equal(validatorAt(r, 6, PARAMS)?.balanceGwei, 150n * ETH);
    assert.equal(validatorAt(r, 9, PARAMS)?.effectiveBalanceGwei, 130n * ETH);
  });

  it("switches 0x01 credentials to 0x02 from the switch's slot, keeping the address", () => {
    const r = withCredentials(record([[0, 40n * ETH]]), 0x01);
    r.withdrawalCredentials[31] = 0xab;
    r.compoundingSlot = 8;
    assert.equal(credentialsAt(r, 7)[0], 0x01);
    assert.equal(credentialsAt(r, 8)[0], 0x02);
    assert.equal(credentialsAt(r, 8)[31], 0xab);
    assert.equal(r.withdrawalCredentials[0], 0x01, "the record keeps what was deposited");
    assert.equal(validatorAt(r, 7, PARAMS)?.effectiveBalanceGwei, 32n * ETH);
    assert.equal(validatorAt(r, 8, PARAMS)?.effectiveBalanceGwei, 40n * ETH);
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
