import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { beaconValidator, publicKeyOf } from "../../../test/support/planning-fixtures.ts";
import { fullExits, selectValidatorsToExit } from "./exit-selection.ts";

const EPOCH = 1000n;
const validators = [
  beaconValidator(1, { activationEpoch: 500n }),
  beaconValidator(2, { activationEpoch: 100n }),
  beaconValidator(3, { activationEpoch: 745n }), // active for 255 epochs only
  beaconValidator(4, { activationEpoch: 744n }), // exactly 256
  beaconValidator(5, { status: "active_exiting" }),
  beaconValidator(6, { status: "pending_queued", activationEpoch: 2n ** 64n - 1n }),
  beaconValidator(7, { activationEpoch: 100n }),
];
const indexesOf = (selection: ReturnType<typeof selectValidatorsToExit>) =>
  selection.kind === "exit" ? selection.validators.map((v) => v.index) : selection.reason;

describe("selectValidatorsToExit", () => {
  it("--count takes the oldest active validators that have been active for 256 epochs", () => {
    assert.deepEqual(indexesOf(selectValidatorsToExit({ validators, epoch: EPOCH })), [2, 7, 1, 4]);
    assert.deepEqual(indexesOf(selectValidatorsToExit({ validators, epoch: EPOCH, count: 1 })), [2]);
  });

  it("--indexes takes exactly those, oldest first", () => {
    assert.deepEqual(
      indexesOf(selectValidatorsToExit({ validators, epoch: EPOCH, indexes: [4, 1] })),
      [1, 4],
    );
  });

  it("--indexes refuses, naming each problem, when one of them cannot exit", () => {
    assert.equal(
      indexesOf(selectValidatorsToExit({ validators, epoch: EPOCH, indexes: [1, 3, 5, 6, 42] })),
      "validator 3 is too new to exit: active since epoch 745, it can exit from epoch 1001; " +
        "validator 5 is already exiting or exited; " +
        "validator 6 is not active yet (pending_queued); " +
        "validator 42 is not registered in this vault",
    );
  });

  it("refuses when no validator can exit", () => {
    assert.equal(
      selectValidatorsToExit({ validators: validators.slice(2, 3), epoch: EPOCH }).kind,
      "refused",
    );
  });

  it("makes one full-exit request (amount 0) per validator", () => {
    assert.deepEqual(fullExits([beaconValidator(9)]), [{ publicKey: publicKeyOf(9), amountGwei: 0n }]);
  });
});
