import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256 } from "viem";
import {
  clusterId,
  clusterKey,
  clusterSnapshotHash,
  EMPTY_CLUSTER,
  InvalidOperatorIdsError,
  idsOfClusterKey,
  sortOperatorIds,
  validateOperatorIds,
} from "./cluster.ts";

const OWNER = "0x00000000000000000000000000000000000000aA";
const word = (n: bigint) => n.toString(16).padStart(64, "0");

describe("clusterId", () => {
  it("packs the owner as 20 bytes and every id as a 32-byte word", () => {
    const packed = `0x${"00".repeat(19)}aa${word(1n)}${word(2n)}${word(3n)}${word(4n)}` as const;
    assert.equal(clusterId(OWNER, [1n, 2n, 3n, 4n]), keccak256(packed));
  });
  it("differs by owner and by ids", () => {
    const other = "0x00000000000000000000000000000000000000bb";
    assert.notEqual(clusterId(OWNER, [1n, 2n, 3n, 4n]), clusterId(other, [1n, 2n, 3n, 4n]));
    assert.notEqual(clusterId(OWNER, [1n, 2n, 3n, 4n]), clusterId(OWNER, [1n, 2n, 3n, 5n]));
  });
});

describe("clusterSnapshotHash", () => {
  it("packs uint32, uint64, uint64, uint256, bool (balance before active)", () => {
    const snapshot = {
      validatorCount: 3,
      networkFeeIndex: 0x10n,
      index: 0x20n,
      active: true,
      balance: 0x30n,
    };
    const packed = `0x00000003${"0000000000000010"}${"0000000000000020"}${word(0x30n)}01` as const;
    assert.equal(clusterSnapshotHash(snapshot), keccak256(packed));
  });
  it("hashes the empty cluster as 0,0,0,0,true", () => {
    const packed = `0x${"00".repeat(4 + 8 + 8 + 32)}01` as const;
    assert.equal(clusterSnapshotHash(EMPTY_CLUSTER), keccak256(packed));
  });
  it("changes with every field", () => {
    const base = { validatorCount: 1, networkFeeIndex: 2n, index: 3n, active: true, balance: 4n };
    const hashes = new Set([
      clusterSnapshotHash(base),
      clusterSnapshotHash({ ...base, validatorCount: 2 }),
      clusterSnapshotHash({ ...base, networkFeeIndex: 3n }),
      clusterSnapshotHash({ ...base, index: 4n }),
      clusterSnapshotHash({ ...base, active: false }),
      clusterSnapshotHash({ ...base, balance: 5n }),
    ]);
    assert.equal(hashes.size, 6);
  });
});

describe("validateOperatorIds", () => {
  it("accepts 4, 7, 10 and 13 ascending ids", () => {
    for (const n of [4, 7, 10, 13]) {
      validateOperatorIds(Array.from({ length: n }, (_, i) => BigInt(i * 2 + 1)));
    }
  });
  it("refuses other sizes, naming the ids", () => {
    assert.throws(
      () => validateOperatorIds([1n, 2n, 3n, 4n, 5n], "--operator-ids"),
      (error: unknown) =>
        error instanceof InvalidOperatorIdsError &&
        error.message === "--operator-ids 1,2,3,4,5 name 5 operators: a cluster has 4, 7, 10 or 13 (3f+1)",
    );
    assert.throws(() => validateOperatorIds([1n, 2n, 3n]), InvalidOperatorIdsError);
    assert.throws(() => validateOperatorIds([]), InvalidOperatorIdsError);
  });
  it("refuses unsorted or repeated ids, naming the pair", () => {
    assert.throws(() => validateOperatorIds([1n, 3n, 2n, 4n]), /3 then 2 is not strictly ascending/);
    assert.throws(() => validateOperatorIds([1n, 2n, 2n, 4n]), /2 then 2 is not strictly ascending/);
  });
  it("refuses zero and ids over uint64", () => {
    assert.throws(() => validateOperatorIds([0n, 1n, 2n, 3n]), /0 is not an operator id/);
    assert.throws(() => validateOperatorIds([1n, 2n, 3n, 2n ** 64n]), /is not an operator id/);
  });
});

describe("clusterKey", () => {
  it("joins the ids and parses back", () => {
    assert.equal(clusterKey([1n, 20n, 300n, 4000n]), "1,20,300,4000");
    assert.deepEqual(idsOfClusterKey("1,20,300,4000"), [1n, 20n, 300n, 4000n]);
    assert.deepEqual(idsOfClusterKey(""), []);
  });
  it("sorts ids numerically, not as text", () => {
    assert.deepEqual(sortOperatorIds([10n, 9n, 100n, 1n]), [1n, 9n, 10n, 100n]);
  });
});
