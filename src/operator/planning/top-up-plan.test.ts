import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  beaconValidator,
  credentials,
  ETH_GWEI,
  publicKeyOf,
} from "../../../test/support/planning-fixtures.ts";
import { planTopUps, type TopUpInputs, topUpCandidates } from "./top-up-plan.ts";

const MAX = 1945n * ETH_GWEI;
const NOW = 1_800_000_000;
const inputs = (over: Partial<TopUpInputs>): TopUpInputs => ({
  registeredKeys: [1, 2, 3, 4].map(publicKeyOf),
  beaconValidators: [],
  pendingDeposits: [],
  assetsGwei: 0n,
  maxValidatorBalanceGwei: MAX,
  minDepositAmountGwei: 10n * ETH_GWEI,
  lastDepositAt: new Map(),
  now: NOW,
  minDepositDelaySeconds: 3600,
  batchSize: 10,
  ...over,
});

describe("topUpCandidates", () => {
  it("keeps the vault's 0x02 validators whose exit has not started, with their pending deposits added", () => {
    const balances = topUpCandidates(
      inputs({
        registeredKeys: [1, 2, 3, 4, 5].map(publicKeyOf),
        beaconValidators: [
          beaconValidator(1, { balanceGwei: 100n * ETH_GWEI }),
          beaconValidator(2, { withdrawalCredentials: credentials("0x01") }),
          beaconValidator(3, { status: "active_exiting" }),
          beaconValidator(4, { status: "withdrawal_done" }),
          beaconValidator(9), // not the vault's
        ],
        pendingDeposits: [
          { pubkey: publicKeyOf(1), withdrawalCredentials: credentials("0x02"), amountGwei: 50n * ETH_GWEI },
          { pubkey: publicKeyOf(1), withdrawalCredentials: credentials("0x01"), amountGwei: 1n * ETH_GWEI },
          { pubkey: publicKeyOf(9), withdrawalCredentials: credentials("0x02"), amountGwei: 7n * ETH_GWEI },
        ],
      }),
    );
    assert.deepEqual([...balances], [[publicKeyOf(1), 151n * ETH_GWEI]]);
  });

  it("a key the beacon does not know yet starts at 0 and takes the credentials of its first pending deposit", () => {
    const balances = topUpCandidates(
      inputs({
        registeredKeys: [1, 2, 3].map(publicKeyOf),
        pendingDeposits: [
          { pubkey: publicKeyOf(1), withdrawalCredentials: credentials("0x02"), amountGwei: 100n * ETH_GWEI },
          { pubkey: publicKeyOf(2), withdrawalCredentials: credentials("0x01"), amountGwei: 32n * ETH_GWEI },
          { pubkey: publicKeyOf(1), withdrawalCredentials: credentials("0x01"), amountGwei: 5n * ETH_GWEI },
          { pubkey: publicKeyOf(2), withdrawalCredentials: credentials("0x02"), amountGwei: 5n * ETH_GWEI },
        ],
      }),
    );
    // Key 3 has neither a beacon record nor a pending deposit: nothing is known of it yet.
    assert.deepEqual([...balances], [[publicKeyOf(1), 105n * ETH_GWEI]]);
  });

  it("compares keys whatever their case", () => {
    const balances = topUpCandidates(
      inputs({
        registeredKeys: [publicKeyOf(0xab).toUpperCase().replace("0X", "0x")],
        beaconValidators: [beaconValidator(0xab)],
      }),
    );
    assert.equal(balances.size, 1);
  });
});

describe("planTopUps", () => {
  it("50 ETH more in the vault tops a 100 ETH validator up to 150 ETH, leaving nothing to register", () => {
    const plan = planTopUps(
      inputs({
        beaconValidators: [beaconValidator(1, { balanceGwei: 100n * ETH_GWEI })],
        assetsGwei: 50n * ETH_GWEI,
      }),
    );
    assert.deepEqual(plan.batches, [[{ publicKey: publicKeyOf(1), amountGwei: 50n * ETH_GWEI }]]);
    assert.equal(plan.fundedGwei, 50n * ETH_GWEI);
    assert.equal(plan.remainingGwei, 0n);
  });

  it("fills the fullest validator first, up to the maximum, and passes the rest on", () => {
    const plan = planTopUps(
      inputs({
        beaconValidators: [
          beaconValidator(1, { balanceGwei: 100n * ETH_GWEI }),
          beaconValidator(2, { balanceGwei: 1900n * ETH_GWEI }),
          beaconValidator(3, { balanceGwei: MAX }),
          beaconValidator(4, { balanceGwei: 1940n * ETH_GWEI }), // room 5 ETH < min deposit
        ],
        assetsGwei: 100n * ETH_GWEI,
      }),
    );
    assert.deepEqual(plan.batches, [
      [
        { publicKey: publicKeyOf(2), amountGwei: 45n * ETH_GWEI },
        { publicKey: publicKeyOf(1), amountGwei: 55n * ETH_GWEI },
      ],
    ]);
    assert.equal(plan.remainingGwei, 0n);
  });

  it("stops once what is left is below the minimum deposit, and leaves it for registration", () => {
    const plan = planTopUps(
      inputs({
        beaconValidators: [
          beaconValidator(1, { balanceGwei: 1930n * ETH_GWEI }),
          beaconValidator(2, { balanceGwei: 40n * ETH_GWEI }),
        ],
        assetsGwei: 24n * ETH_GWEI,
      }),
    );
    assert.deepEqual(plan.batches, [[{ publicKey: publicKeyOf(1), amountGwei: 15n * ETH_GWEI }]]);
    assert.equal(plan.remainingGwei, 9n * ETH_GWEI);
  });

  it("counts pending deposits: a validator full once they land is not funded again", () => {
    const plan = planTopUps(
      inputs({
        beaconValidators: [beaconValidator(1, { balanceGwei: 1000n * ETH_GWEI })],
        pendingDeposits: [
          { pubkey: publicKeyOf(1), withdrawalCredentials: credentials("0x02"), amountGwei: 945n * ETH_GWEI },
        ],
        assetsGwei: 50n * ETH_GWEI,
      }),
    );
    assert.deepEqual(plan.batches, []);
    assert.equal(plan.remainingGwei, 50n * ETH_GWEI);
  });

  it("holds a validator that received a deposit within the delay, keeping its share of the assets back", () => {
    const plan = planTopUps(
      inputs({
        beaconValidators: [
          beaconValidator(1, { balanceGwei: 1900n * ETH_GWEI }),
          beaconValidator(2, { balanceGwei: 100n * ETH_GWEI }),
        ],
        assetsGwei: 100n * ETH_GWEI,
        lastDepositAt: new Map([[publicKeyOf(1).toUpperCase().replace("0X", "0x"), NOW - 600]]),
      }),
    );
    assert.deepEqual(plan.held, [
      { publicKey: publicKeyOf(1), amountGwei: 45n * ETH_GWEI, readyAt: NOW + 3000 },
    ]);
    assert.deepEqual(plan.batches, [[{ publicKey: publicKeyOf(2), amountGwei: 55n * ETH_GWEI }]]);
    assert.equal(plan.fundedGwei, 55n * ETH_GWEI);
    assert.equal(plan.remainingGwei, 0n);
  });

  it("funds again once the delay has passed", () => {
    const plan = planTopUps(
      inputs({
        beaconValidators: [beaconValidator(1, { balanceGwei: 100n * ETH_GWEI })],
        assetsGwei: 50n * ETH_GWEI,
        lastDepositAt: new Map([[publicKeyOf(1), NOW - 3600]]),
      }),
    );
    assert.deepEqual(plan.held, []);
    assert.equal(plan.fundedGwei, 50n * ETH_GWEI);
  });

  it("splits the fundings into batches of VALIDATORS_FUNDING_BATCH_SIZE", () => {
    const keys = Array.from({ length: 25 }, (_, i) => i + 1);
    const plan = planTopUps(
      inputs({
        registeredKeys: keys.map(publicKeyOf),
        beaconValidators: keys.map((i) => beaconValidator(i, { balanceGwei: 1900n * ETH_GWEI })),
        assetsGwei: 25n * 45n * ETH_GWEI,
      }),
    );
    assert.deepEqual(
      plan.batches.map((b) => b.length),
      [10, 10, 5],
    );
    // Equal balances: the order is by public key, so a plan is the same on every run.
    assert.equal(plan.batches[0]?.[0]?.publicKey, publicKeyOf(1));
  });
});
