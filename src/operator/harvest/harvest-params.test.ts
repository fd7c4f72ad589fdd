import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harvestRewards } from "./harvest-params.ts";

const amounts = { consensus: 100n, unlockedMev: 20n, lockedMev: 3n };

describe("harvestRewards (spec §6.6)", () => {
  it("shared MEV escrow: consensus + unlocked + locked MEV, unlocked MEV paid out", () => {
    assert.deepEqual(harvestRewards({ ...amounts, sharedMevEscrow: true, gnosis: false }), {
      reward: 123n,
      unlockedMevReward: 20n,
    });
  });

  it("own MEV escrow: consensus only, nothing paid out", () => {
    assert.deepEqual(harvestRewards({ ...amounts, sharedMevEscrow: false, gnosis: false }), {
      reward: 100n,
      unlockedMevReward: 0n,
    });
  });

  it("Gnosis, shared escrow: the reward is consensus only (MEV is xDAI, not GNO)", () => {
    assert.deepEqual(harvestRewards({ ...amounts, sharedMevEscrow: true, gnosis: true }), {
      reward: 100n,
      unlockedMevReward: 20n,
    });
  });
});
