import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createExitRecords } from "./exit-records.ts";

const VAULT = "0x8A94e1d22D83990205843cda08376d16F150c9bb";
const OTHER = "0xAC0F906E433d58FA868F936E8A43230473652885";
const pk = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}`;

describe("exit records", () => {
  it("approved validators are current for their generation and outdated after a set change", () => {
    const records = createExitRecords();
    assert.deepEqual(records.outdated(VAULT, 0, 0n), []);
    records.approve(
      VAULT,
      [
        { publicKey: pk(2), index: 12 },
        { publicKey: pk(1), index: 11 },
      ],
      0,
    );
    assert.deepEqual(records.outdated(VAULT, 0, 0n), []);
    assert.deepEqual(records.outdated(VAULT, 1, 0n), [11, 12], "sorted by index");
    assert.deepEqual(records.outdated(OTHER, 1, 0n), [], "per vault");
  });

  it("vault and public keys are matched case-insensitively", () => {
    const records = createExitRecords();
    records.approve(
      VAULT.toLowerCase(),
      [{ publicKey: pk(0xab).toUpperCase().replace("0X", "0x"), index: 5 }],
      0,
    );
    assert.equal(records.indexOf(VAULT.toUpperCase().replace("0X", "0x"), pk(0xab)), 5);
    assert.equal(records.indexOf(VAULT, pk(0xac)), undefined);
    assert.equal(records.indexOf(OTHER, pk(0xab)), undefined);
    assert.deepEqual(records.outdated(VAULT, 1, 0n), [5]);
  });

  it("an update counts only once the Keeper's nonce moved past the one it was signed for", () => {
    const records = createExitRecords();
    records.approve(
      VAULT,
      [
        { publicKey: pk(1), index: 11 },
        { publicKey: pk(2), index: 12 },
      ],
      0,
    );
    records.proposeUpdate(VAULT, [pk(1)], 1, 3n);
    assert.deepEqual(records.outdated(VAULT, 1, 3n), [11, 12], "not landed yet");
    assert.deepEqual(records.outdated(VAULT, 1, 4n), [12], "landed: validator 11 is current");
    // Applied once: a later read with the same nonce keeps it.
    assert.deepEqual(records.outdated(VAULT, 1, 4n), [12]);
    // The next set change outdates it again.
    assert.deepEqual(records.outdated(VAULT, 2, 4n), [11, 12]);
  });

  it("an update signed for an older generation leaves the validator outdated", () => {
    const records = createExitRecords();
    records.approve(VAULT, [{ publicKey: pk(1), index: 11 }], 0);
    records.proposeUpdate(VAULT, [pk(1)], 1, 0n);
    // The set changed again before the update landed.
    assert.deepEqual(records.outdated(VAULT, 2, 1n), [11]);
  });

  it("a newer proposal replaces a pending one; unknown keys are ignored", () => {
    const records = createExitRecords();
    records.approve(VAULT, [{ publicKey: pk(1), index: 11 }], 0);
    records.proposeUpdate(VAULT, [pk(1)], 1, 5n);
    records.proposeUpdate(VAULT, [pk(1), pk(9)], 1, 6n);
    assert.deepEqual(records.outdated(VAULT, 1, 6n), [11], "waits for nonce 6 → 7");
    assert.deepEqual(records.outdated(VAULT, 1, 7n), []);
    assert.equal(records.indexOf(VAULT, pk(9)), undefined);
  });

  it("approving again replaces the record (new generation, pending update dropped)", () => {
    const records = createExitRecords();
    records.approve(VAULT, [{ publicKey: pk(1), index: 11 }], 0);
    records.proposeUpdate(VAULT, [pk(1)], 0, 0n);
    records.approve(VAULT, [{ publicKey: pk(1), index: 21 }], 2);
    assert.equal(records.indexOf(VAULT, pk(1)), 21);
    assert.deepEqual(records.outdated(VAULT, 2, 5n), []);
    assert.deepEqual(records.outdated(VAULT, 3, 5n), [21]);
  });

  it("a snapshot read back gives the same answers, pending updates included, and changes are reported", () => {
    let changes = 0;
    const records = createExitRecords({ onChange: () => changes++ });
    records.approve(
      VAULT,
      [
        { publicKey: pk(1), index: 11 },
        { publicKey: pk(2), index: 12 },
      ],
      0,
    );
    records.proposeUpdate(VAULT, [pk(1)], 1, 7n);
    assert.equal(changes, 2);
    const json = JSON.parse(JSON.stringify(records.snapshot()));
    const restored = createExitRecords({ initial: json });
    assert.equal(restored.indexOf(VAULT, pk(2)), 12);
    assert.deepEqual(restored.outdated(VAULT, 1, 7n), [11, 12], "the update has not landed at nonce 7");
    assert.deepEqual(restored.outdated(VAULT, 1, 8n), [12], "it lands once the nonce moved past 7");
    assert.equal(records.outdated(VAULT, 1, 8n).length, 1);
    assert.equal(changes, 3, "a landed update is a change");
    records.outdated(VAULT, 1, 9n);
    assert.equal(changes, 3, "reading alone is not");
  });
});
