import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { beaconValidator, ETH_GWEI, publicKeyOf } from "../../../test/support/planning-fixtures.ts";
import { type PlanningSettings, planSlot, type SlotPlanInputs } from "./slot-plan.ts";
import type { WithdrawalPlanInputs } from "./withdrawal-plan.ts";

const NOW = 1_800_000_000;
const SETTINGS: PlanningSettings = {
  validatorType: "0x02",
  minDepositAmountGwei: 10n * ETH_GWEI,
  vaultMinBalanceGwei: 0n,
  maxValidatorBalanceGwei: 1945n * ETH_GWEI,
  minDepositDelaySeconds: 3600,
  fundingBatchSize: 10,
  disableValidatorsFunding: false,
  disableValidatorsRegistration: false,
};
const inputs = (
  over: Partial<SlotPlanInputs> = {},
  settings: Partial<PlanningSettings> = {},
): SlotPlanInputs => ({
  settings: { ...SETTINGS, ...settings },
  withdrawableGwei: 0n,
  approvalBatchLimit: 10,
  topUps: {
    registeredKeys: [publicKeyOf(1)],
    beaconValidators: [beaconValidator(1, { balanceGwei: 100n * ETH_GWEI })],
    pendingDeposits: [],
    lastDepositAt: new Map(),
    now: NOW,
  },
  ...over,
});
const kinds = (over: Partial<SlotPlanInputs>, settings: Partial<PlanningSettings> = {}) =>
  planSlot(inputs(over, settings)).actions.map((a) => a.kind);

describe("planSlot", () => {
  it("an empty vault of a new operator: 100 ETH register one 0x02 validator of 100 ETH", () => {
    const plan = planSlot(
      inputs({
        withdrawableGwei: 100n * ETH_GWEI,
        topUps: {
          registeredKeys: [],
          beaconValidators: [],
          pendingDeposits: [],
          lastDepositAt: new Map(),
          now: NOW,
        },
      }),
    );
    assert.deepEqual(plan.actions, [
      { kind: "register", validatorType: "0x02", amountsGwei: [100n * ETH_GWEI] },
    ]);
  });

  it("tops up before registering, and registers with what is left", () => {
    const plan = planSlot(
      inputs(
        {
          withdrawableGwei: 1900n * ETH_GWEI,
          topUps: {
            ...inputs().topUps,
            beaconValidators: [beaconValidator(1, { balanceGwei: 1845n * ETH_GWEI })],
          },
        },
        { vaultMinBalanceGwei: 1n * ETH_GWEI },
      ),
    );
    assert.equal(plan.stakeableGwei, 1899n * ETH_GWEI);
    assert.deepEqual(plan.actions, [
      { kind: "fund", fundings: [{ publicKey: publicKeyOf(1), amountGwei: 100n * ETH_GWEI }] },
      { kind: "register", validatorType: "0x02", amountsGwei: [1799n * ETH_GWEI] },
    ]);
  });

  it("does nothing below the minimum deposit", () => {
    assert.deepEqual(kinds({ withdrawableGwei: 10n * ETH_GWEI - 1n }), []);
  });

  it("0x01 registers 32 ETH validators and tops nothing up", () => {
    const plan = planSlot(inputs({ withdrawableGwei: 96n * ETH_GWEI }, { validatorType: "0x01" }));
    assert.deepEqual(plan.actions, [
      {
        kind: "register",
        validatorType: "0x01",
        amountsGwei: [32n * ETH_GWEI, 32n * ETH_GWEI, 32n * ETH_GWEI],
      },
    ]);
  });

  it("a recently funded validator's top-up waits and its assets are not spent on a new validator", () => {
    const plan = planSlot(
      inputs({
        withdrawableGwei: 50n * ETH_GWEI,
        topUps: { ...inputs().topUps, lastDepositAt: new Map([[publicKeyOf(1), NOW - 60]]) },
      }),
    );
    assert.equal(plan.actions.length, 1);
    assert.equal(plan.actions[0]?.kind, "wait");
    assert.match(
      plan.actions[0]?.kind === "wait" ? plan.actions[0].reason : "",
      /^top-ups of 50000000000 gwei wait: validator 0x0{95}1 received a deposit less than --min-deposit-delay ago, so the beacon node may not show it yet; the first can be funded from 2027-01-15T08:59:00.000Z$/,
    );
  });

  it("says in one line why many top-ups wait", () => {
    const keys = [1, 2, 3, 4, 5];
    const plan = planSlot(
      inputs({
        withdrawableGwei: 5000n * ETH_GWEI,
        topUps: {
          ...inputs().topUps,
          registeredKeys: keys.map(publicKeyOf),
          beaconValidators: keys.map((i) => beaconValidator(i, { balanceGwei: 1900n * ETH_GWEI })),
          lastDepositAt: new Map(keys.map((i) => [publicKeyOf(i), NOW - 60 * i])),
        },
      }),
    );
    const waits = plan.actions.filter((a) => a.kind === "wait");
    assert.equal(waits.length, 1);
    assert.match(
      waits[0]?.kind === "wait" ? waits[0].reason : "",
      /^top-ups of 225000000000 gwei wait: 5 validators \(0x0+1, 0x0+2, 0x0+3 and 2 more\) received .* from 2027-01-15T08:55:00.000Z$/,
    );
  });

  it("honours --disable-validators-funding and --disable-validators-registration", () => {
    assert.deepEqual(kinds({ withdrawableGwei: 50n * ETH_GWEI }, { disableValidatorsFunding: true }), [
      "register",
    ]);
    assert.deepEqual(kinds({ withdrawableGwei: 50n * ETH_GWEI }, { disableValidatorsRegistration: true }), [
      "fund",
    ]);
  });

  it("adds the withdrawals when that task is due, after the deposits", () => {
    const withdrawals: WithdrawalPlanInputs = {
      epoch: 10_000n,
      validators: [beaconValidator(1, { balanceGwei: 100n * ETH_GWEI })],
      exitQueueMissingGwei: 5n * ETH_GWEI,
      pendingPartialWithdrawals: [],
      pendingConsolidations: [],
      forcedExits: new Set(),
      validatorMinActiveEpochs: 0n,
      disableFullWithdrawals: false,
      partialQueueFull: false,
      requestFeeWei: () => 1n,
      maxRequestFeeGwei: 1000n,
    };
    assert.deepEqual(kinds({ withdrawableGwei: 50n * ETH_GWEI, withdrawals }), ["fund", "withdraw"]);
    assert.deepEqual(kinds({ withdrawals: { ...withdrawals, requestFeeWei: () => 10n ** 13n } }), ["wait"]);
  });
});
