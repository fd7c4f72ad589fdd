import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FAR_FUTURE_EPOCH, type ValidatorInfo } from "../../chain/consensus-dto.ts";
import { canExit, selectExits } from "./select-exits.ts";

const validator = (index: number, status: string): ValidatorInfo => ({
  index,
  balanceGwei: 32_000_000_000n,
  status,
  pubkey: `0x${index.toString(16).padStart(96, "0")}`,
  withdrawalCredentials: `0x${"00".repeat(32)}`,
  effectiveBalanceGwei: 32_000_000_000n,
  slashed: false,
  activationEligibilityEpoch: 0n,
  activationEpoch: 0n,
  exitEpoch: FAR_FUTURE_EPOCH,
  withdrawableEpoch: FAR_FUTURE_EPOCH,
});

describe("selectExits", () => {
  it("only active validators without an exit can exit", () => {
    assert.equal(canExit("active_ongoing"), true);
    for (const status of [
      "pending_initialized",
      "pending_queued",
      "active_exiting",
      "active_slashed",
      "exited_unslashed",
      "exited_slashed",
      "withdrawal_possible",
      "withdrawal_done",
    ]) {
      assert.equal(canExit(status), false, status);
    }
  });

  it("keeps the exitable ones, lowest index first, at most count", () => {
    const validators = [
      validator(9, "active_ongoing"),
      validator(3, "active_exiting"),
      validator(5, "active_ongoing"),
      validator(1, "pending_queued"),
      validator(7, "active_ongoing"),
      validator(2, "withdrawal_done"),
    ];
    assert.deepEqual(
      selectExits(validators).map((v) => v.index),
      [5, 7, 9],
    );
    assert.deepEqual(
      selectExits(validators, 2).map((v) => v.index),
      [5, 7],
    );
    assert.deepEqual(selectExits([validator(3, "exited_unslashed")]), []);
  });
});
