import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { credentials, publicKeyOf } from "../../test/support/planning-fixtures.ts";
import type { ConsensusClient, StateId } from "../chain/consensus-client.ts";
import type { ValidatorInfo } from "../chain/consensus-dto.ts";
import { type ReadVaultBeaconViewDeps, readVaultBeaconView } from "./vault-beacon-view.ts";

function validatorInfo(index: number): ValidatorInfo {
  return {
    index,
    balanceGwei: 32_000_000_000n,
    status: "active_ongoing",
    pubkey: publicKeyOf(index),
    withdrawalCredentials: credentials("0x02"),
    effectiveBalanceGwei: 32_000_000_000n,
    slashed: false,
    activationEligibilityEpoch: 0n,
    activationEpoch: 0n,
    exitEpoch: 2n ** 64n - 1n,
    withdrawableEpoch: 2n ** 64n - 1n,
  };
}

/** A beacon node that knows validators 1 and 2 and records the states it was asked about. */
function consensusDouble(states: StateId[]): ReadVaultBeaconViewDeps["consensus"] {
  const known = new Map([1, 2].map((i) => [publicKeyOf(i), validatorInfo(i)]));
  return {
    async getValidators(ids, options) {
      states.push(options?.stateId ?? "head");
      return ids.flatMap((id) => known.get(id as `0x${string}`) ?? []);
    },
    async getPendingDeposits(stateId = "head") {
      states.push(stateId);
      return [
        {
          pubkey: publicKeyOf(3),
          withdrawalCredentials: credentials("0x02"),
          amountGwei: 1n,
          signature: `0x${"00".repeat(96)}`,
          slot: 1,
        },
      ];
    },
    async getPendingPartialWithdrawals(stateId = "head") {
      states.push(stateId);
      return [
        { validatorIndex: 1, amountGwei: 5n, withdrawableEpoch: 10n },
        { validatorIndex: 9, amountGwei: 7n, withdrawableEpoch: 10n },
      ];
    },
    async getPendingConsolidations(stateId = "head") {
      states.push(stateId);
      return [
        { sourceIndex: 8, targetIndex: 2 },
        { sourceIndex: 8, targetIndex: 9 },
      ];
    },
  } satisfies Pick<
    ConsensusClient,
    "getValidators" | "getPendingDeposits" | "getPendingPartialWithdrawals" | "getPendingConsolidations"
  >;
}

describe("readVaultBeaconView", () => {
  it("reads everything at one state and keeps the queue entries that concern the vault", async () => {
    const states: StateId[] = [];
    const view = await readVaultBeaconView(
      { publicKeys: [1, 2, 3].map(publicKeyOf), stateId: 1234 },
      { consensus: consensusDouble(states) },
    );
    assert.deepEqual(states, [1234, 1234, 1234, 1234]);
    assert.deepEqual(
      view.validators.map((v) => v.index),
      [1, 2],
    );
    assert.equal(view.pendingDeposits.length, 1);
    assert.deepEqual(view.pendingPartialWithdrawals, [{ validatorIndex: 1, amountGwei: 5n }]);
    assert.deepEqual(view.pendingConsolidations, [{ sourceIndex: 8, targetIndex: 2 }]);
  });

  it("does not ask for validators when the vault has none", async () => {
    const states: StateId[] = [];
    const view = await readVaultBeaconView(
      { publicKeys: [], stateId: 5 },
      { consensus: consensusDouble(states) },
    );
    assert.deepEqual(view.validators, []);
    assert.equal(states.length, 3);
  });
});
