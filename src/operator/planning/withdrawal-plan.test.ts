import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { beaconValidator, credentials, ETH_GWEI } from "../../../test/support/planning-fixtures.ts";
import { planWithdrawals, type WithdrawalPlanInputs } from "./withdrawal-plan.ts";
import { withdrawingAssets } from "./withdrawing-assets.ts";

const EPOCH = 10_000n;
const inputs = (over: Partial<WithdrawalPlanInputs>): WithdrawalPlanInputs => ({
  epoch: EPOCH,
  validators: [],
  exitQueueMissingGwei: 0n,
  pendingPartialWithdrawals: [],
  pendingConsolidations: [],
  forcedExits: new Set(),
  validatorMinActiveEpochs: 0n,
  disableFullWithdrawals: false,
  partialQueueFull: false,
  requestFeeWei: () => 1n,
  maxRequestFeeGwei: 1000n,
  ...over,
});
const requests = (plan: ReturnType<typeof planWithdrawals>) =>
  plan.kind === "withdraw" ? plan.withdrawals.map((w) => [w.index, w.amountGwei / ETH_GWEI]) : plan;

describe("withdrawingAssets", () => {
  it("counts exiting and force-exited balances once, and pending partials of the others", () => {
    const withdrawing = withdrawingAssets({
      validators: [
        beaconValidator(1, { status: "active_exiting", balanceGwei: 32n * ETH_GWEI }),
        beaconValidator(2, { balanceGwei: 40n * ETH_GWEI }), // forced by the oracles
        beaconValidator(3, { status: "active_exiting", balanceGwei: 50n * ETH_GWEI }), // a consolidation source
        beaconValidator(4, { balanceGwei: 100n * ETH_GWEI }),
        beaconValidator(5, { status: "withdrawal_done", balanceGwei: 0n }),
      ],
      pendingPartialWithdrawals: [
        { validatorIndex: 4, amountGwei: 10n * ETH_GWEI },
        { validatorIndex: 4, amountGwei: 5n * ETH_GWEI },
        { validatorIndex: 1, amountGwei: 7n * ETH_GWEI }, // part of an exiting balance
        { validatorIndex: 99, amountGwei: 1000n * ETH_GWEI }, // another vault's
      ],
      pendingConsolidations: [{ sourceIndex: 3, targetIndex: 4 }],
      forcedExits: new Set([2]),
    });
    assert.equal(withdrawing.totalGwei, (32n + 40n + 15n) * ETH_GWEI);
    assert.deepEqual(
      [...withdrawing.partialsByIndex],
      [
        [4, 15n * ETH_GWEI],
        [1, 7n * ETH_GWEI],
      ],
    );
  });
});

describe("planWithdrawals", () => {
  it("is idle when what is coming back covers the exit queue", () => {
    const plan = planWithdrawals(
      inputs({
        validators: [beaconValidator(1, { status: "active_exiting" })],
        exitQueueMissingGwei: 32n * ETH_GWEI,
      }),
    );
    assert.deepEqual(plan, { kind: "idle", queuedGwei: 0n });
  });

  it("withdraws the excess above 32 ETH of 0x02 validators, fullest first", () => {
    const plan = planWithdrawals(
      inputs({
        validators: [
          beaconValidator(1, { balanceGwei: 50n * ETH_GWEI }),
          beaconValidator(2, { balanceGwei: 100n * ETH_GWEI }),
          beaconValidator(3, { balanceGwei: 90n * ETH_GWEI, withdrawalCredentials: credentials("0x01") }),
        ],
        exitQueueMissingGwei: 80n * ETH_GWEI,
      }),
    );
    assert.deepEqual(requests(plan), [
      [2, 68n],
      [1, 12n],
    ]);
  });

  it("subtracts pending partial withdrawals from the queue and from each validator's excess", () => {
    const plan = planWithdrawals(
      inputs({
        validators: [
          beaconValidator(1, { balanceGwei: 100n * ETH_GWEI }),
          beaconValidator(2, { balanceGwei: 80n * ETH_GWEI }),
        ],
        pendingPartialWithdrawals: [{ validatorIndex: 1, amountGwei: 60n * ETH_GWEI }],
        exitQueueMissingGwei: 90n * ETH_GWEI,
      }),
    );
    // 30 ETH left to cover; validator 1 has 8 ETH of excess left, validator 2 has 48.
    assert.deepEqual(requests(plan), [[2, 30n]]);
  });

  it("leaves alone young validators, force-exited ones and those not active_ongoing", () => {
    const plan = planWithdrawals(
      inputs({
        validators: [
          beaconValidator(1, { balanceGwei: 100n * ETH_GWEI, activationEpoch: EPOCH - 256n }),
          beaconValidator(2, { balanceGwei: 100n * ETH_GWEI, status: "active_slashed" }),
          beaconValidator(3, { balanceGwei: 33n * ETH_GWEI }),
          beaconValidator(4, { balanceGwei: 100n * ETH_GWEI }),
        ],
        forcedExits: new Set([4]),
        exitQueueMissingGwei: 200n * ETH_GWEI + 1n * ETH_GWEI,
        disableFullWithdrawals: true,
      }),
    );
    // Validators 2 and 4 count as withdrawing (168 ETH); 1 is too young; 3 gives its 1 ETH.
    assert.deepEqual(requests(plan), [[3, 1n]]);
  });

  it("exits the smallest old-enough validators when partials cannot cover the queue, then covers the rest with partials", () => {
    const plan = planWithdrawals(
      inputs({
        validators: [
          beaconValidator(1, { balanceGwei: 60n * ETH_GWEI }),
          beaconValidator(2, { balanceGwei: 32n * ETH_GWEI, withdrawalCredentials: credentials("0x01") }),
          beaconValidator(3, { balanceGwei: 32n * ETH_GWEI, activationEpoch: EPOCH - 100n }),
          beaconValidator(4, { balanceGwei: 40n * ETH_GWEI }),
        ],
        exitQueueMissingGwei: 60n * ETH_GWEI,
      }),
    );
    // Partials could give 28 + 8 = 36 ETH < 60. Exiting validator 2 (32 ETH, the smallest old one)
    // leaves 28, which validator 1's excess covers.
    assert.deepEqual(requests(plan), [
      [2, 0n],
      [1, 28n],
    ]);
  });

  it("does not exit a validator with pending partials, a consolidation target or one younger than the protocol allows", () => {
    const plan = planWithdrawals(
      inputs({
        validators: [
          beaconValidator(1, { balanceGwei: 33n * ETH_GWEI }),
          beaconValidator(2, { balanceGwei: 32n * ETH_GWEI }),
          beaconValidator(3, { balanceGwei: 32n * ETH_GWEI, activationEpoch: EPOCH - 500n }),
          beaconValidator(4, { balanceGwei: 36n * ETH_GWEI }),
        ],
        pendingPartialWithdrawals: [{ validatorIndex: 1, amountGwei: 1n }],
        pendingConsolidations: [{ sourceIndex: 77, targetIndex: 2 }],
        validatorMinActiveEpochs: 1000n,
        exitQueueMissingGwei: 60n * ETH_GWEI,
      }),
    );
    assert.deepEqual(requests(plan), [[4, 0n]]);
  });

  it("waits, saying why, when no validator can serve the queue", () => {
    const plan = planWithdrawals(
      inputs({
        validators: [beaconValidator(1, { activationEpoch: EPOCH - 10n })],
        exitQueueMissingGwei: 10n * ETH_GWEI,
      }),
    );
    assert.equal(plan.kind, "wait");
    assert.match(plan.kind === "wait" ? plan.reason : "", /no validator can withdraw the 10000000000 gwei/);
  });

  it("waits while the beacon's partial withdrawals queue is full", () => {
    const plan = planWithdrawals(
      inputs({
        validators: [beaconValidator(1, { balanceGwei: 100n * ETH_GWEI })],
        exitQueueMissingGwei: 10n * ETH_GWEI,
        partialQueueFull: true,
      }),
    );
    assert.equal(plan.kind, "wait");
  });

  it("pays the fee of every request, and waits when one request costs more than the cap", () => {
    const validators = [
      beaconValidator(1, { balanceGwei: 40n * ETH_GWEI }),
      beaconValidator(2, { balanceGwei: 40n * ETH_GWEI }),
    ];
    const counts: number[] = [];
    const fee = (perRequestWei: bigint) => (count: number) => {
      counts.push(count);
      return perRequestWei;
    };
    const ok = planWithdrawals(
      inputs({ validators, exitQueueMissingGwei: 16n * ETH_GWEI, requestFeeWei: fee(1_000_000_000_000n) }),
    );
    assert.equal(ok.kind, "withdraw");
    if (ok.kind === "withdraw") {
      assert.equal(ok.feePerRequestWei, 1_000_000_000_000n);
      assert.equal(ok.valueWei, 2_000_000_000_000n);
    }
    assert.deepEqual(counts, [2]);

    const high = planWithdrawals(
      inputs({ validators, exitQueueMissingGwei: 16n * ETH_GWEI, requestFeeWei: fee(1_000_500_000_000n) }),
    );
    assert.deepEqual(high, {
      kind: "wait",
      waitFor: "fee",
      queuedGwei: 16n * ETH_GWEI,
      reason:
        "the withdrawal request fee is 1000.5 gwei, above --max-withdrawal-request-fee-gwei 1000; withdrawals wait for it to fall",
    });
  });

  it("uses lower-case public keys", () => {
    const plan = planWithdrawals(
      inputs({
        validators: [beaconValidator(0xab, { balanceGwei: 40n * ETH_GWEI, pubkey: `0x${"AB".repeat(48)}` })],
        exitQueueMissingGwei: 1n,
      }),
    );
    assert.equal(plan.kind === "withdraw" ? plan.withdrawals[0]?.publicKey : "", `0x${"ab".repeat(48)}`);
  });
});
