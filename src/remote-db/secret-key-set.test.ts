import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { SecretKeyCollector, SortedSecretKeys } from "./secret-key-set.ts";

const all = (keys: SortedSecretKeys) => Array.from({ length: keys.count }, (_, i) => keys.hex(i));

describe("SortedSecretKeys", () => {
  it("orders keys as sorted(set(hex)) does, duplicates dropped", () => {
    const hex = Array.from({ length: 2000 }, () => `0x${randomBytes(32).toString("hex")}`);
    const withDuplicates = [...hex, ...hex.slice(0, 300)];
    assert.deepEqual(all(SortedSecretKeys.fromHex(withDuplicates)), [...new Set(hex)].sort());
  });

  it("orders keys whose first four bytes are equal by the rest", () => {
    const tied = ["ff", "00", "7f", "80", "00"].map((last) => `0x${"ab".repeat(31)}${last}`);
    const other = `0x${"00".repeat(32)}`;
    assert.deepEqual(all(SortedSecretKeys.fromHex([...tied, other])), [
      other,
      `0x${"ab".repeat(31)}00`,
      `0x${"ab".repeat(31)}7f`,
      `0x${"ab".repeat(31)}80`,
      `0x${"ab".repeat(31)}ff`,
    ]);
  });

  it("collects batches past its first size and writes lowercase hex in place", () => {
    const collector = new SecretKeyCollector(1);
    const a = Buffer.alloc(64, 0xcd);
    a[32] = 0x01;
    collector.add(a);
    collector.add(Buffer.alloc(32, 0xef));
    const keys = collector.finish();
    assert.equal(keys.count, 3);
    const target = Buffer.alloc(66, 0x20);
    keys.writeHex(0, target, 1);
    assert.equal(target.toString("latin1"), ` 01${"cd".repeat(31)} `);
    assert.deepEqual(all(keys).slice(1), [`0x${"cd".repeat(32)}`, `0x${"ef".repeat(32)}`]);
  });

  it("wipe zeroes the keys", () => {
    const keys = SortedSecretKeys.fromHex([`0x${"11".repeat(32)}`]);
    keys.wipe();
    assert.equal(keys.hex(0), `0x${"00".repeat(32)}`);
  });

  it("an empty set has no keys", () => {
    assert.equal(new SecretKeyCollector(0).finish().count, 0);
  });
});
