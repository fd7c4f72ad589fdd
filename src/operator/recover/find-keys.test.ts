import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deriveValidatorKey } from "../../crypto/bls-keys.ts";
import { mnemonicToSeed } from "../../crypto/mnemonic.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { consecutiveRuns, findVaultKeys, isExitedStatus } from "./find-keys.ts";

const seed = mnemonicToSeed("legal winner thank year wave sausage worth useful legal winner thank yellow");
const other = mnemonicToSeed(
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
);
const key = (s: Uint8Array, index: number) => toPrefixedHex(deriveValidatorKey(s, index).publicKey);

describe("findVaultKeys", () => {
  it("finds the registered keys of the mnemonic, flags the exited ones, and the next index", async () => {
    const exited = key(seed, 2);
    const found = await findVaultKeys({
      seed,
      registered: new Set([key(seed, 0), key(other, 0), exited, key(seed, 4)]),
      isExited: (publicKey) => publicKey === exited,
      gapLimit: 3,
    });
    assert.deepEqual(found.keys, [
      { index: 0, publicKey: key(seed, 0), exited: false },
      { index: 2, publicKey: exited, exited: true },
      { index: 4, publicKey: key(seed, 4), exited: false },
    ]);
    assert.equal(found.nextIndex, 5);
    // Another operator's key stays unfound: the walk ends after 3 misses in a row (5, 6, 7).
    assert.equal(found.checked, 8);
  });

  it("stops at once when every registered key is found", async () => {
    const found = await findVaultKeys({
      seed,
      registered: new Set([key(seed, 1)]),
      isExited: () => false,
    });
    assert.equal(found.checked, 2);
    assert.equal(found.nextIndex, 2);
  });

  it("finds nothing beyond the gap limit", async () => {
    const found = await findVaultKeys({
      seed,
      registered: new Set([key(seed, 4)]),
      isExited: () => false,
      gapLimit: 4,
    });
    assert.deepEqual(found.keys, []);
    assert.equal(found.nextIndex, 0);
    assert.equal(found.checked, 4);
  });
});

describe("recover helpers", () => {
  it("exited and withdrawn validators need no keystore", () => {
    for (const status of ["exited_unslashed", "exited_slashed", "withdrawal_possible", "withdrawal_done"]) {
      assert.equal(isExitedStatus(status), true, status);
    }
    for (const status of [
      undefined,
      "pending_queued",
      "active_ongoing",
      "active_exiting",
      "active_slashed",
    ]) {
      assert.equal(isExitedStatus(status), false, String(status));
    }
  });

  it("groups indexes into runs of consecutive ones", () => {
    assert.deepEqual(consecutiveRuns([6, 0, 1, 2, 5, 9]), [
      { from: 0, count: 3 },
      { from: 5, count: 2 },
      { from: 9, count: 1 },
    ]);
    assert.deepEqual(consecutiveRuns([]), []);
  });
});
