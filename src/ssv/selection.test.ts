import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidOperatorIdsError } from "./cluster.ts";
import { marketMedianFee, shouldMigrate } from "./migration.ts";
import {
  NotEnoughOperatorsError,
  type OperatorCandidate,
  PinnedOperatorError,
  selectOperators,
} from "./selection.ts";

const op = (id: number, extra: Partial<OperatorCandidate> = {}): OperatorCandidate => ({
  id: BigInt(id),
  fee: 100n,
  validatorCount: 0,
  isActive: true,
  isPrivate: false,
  removed: false,
  publicKey: `key${id}`,
  ...extra,
});

function withoutKey(candidate: OperatorCandidate): OperatorCandidate {
  const { publicKey: _, ...rest } = candidate;
  return rest;
}

const ids = (list: readonly bigint[]) => list.map(Number);

describe("selectOperators", () => {
  it("takes the best by performance, then fee, then id, and returns ids ascending", () => {
    const selection = selectOperators([
      op(9, { performance30d: 99 }),
      op(1, { performance30d: 90 }),
      op(5, { performance30d: 99, fee: 50n }),
      op(7, { performance30d: 95 }),
      op(3, { performance30d: 95 }),
      op(2),
    ]);
    assert.deepEqual(ids(selection.operatorIds), [3, 5, 7, 9]);
    assert.deepEqual(ids(selection.operators.map((o) => o.id)), [3, 5, 7, 9]);
    assert.equal(selection.reused, false);
    assert.equal(selection.explanation.length, 4);
    assert.match(selection.explanation[0] ?? "", /^operator 5: best remaining/);
  });

  it("gives each rejected operator its reason", () => {
    const candidates = [
      op(1),
      op(2),
      op(3),
      op(4),
      op(5),
      op(10, { removed: true }),
      op(11, { isActive: false }),
      op(12, { status: "Inactive" }),
      op(13, { isPrivate: true }),
      withoutKey(op(14)),
      op(15, { fee: 1000n }),
      op(16, { performance30d: 80 }),
      op(17, { validatorCount: 996 }),
      op(18),
    ] as OperatorCandidate[];
    const selection = selectOperators(candidates, {
      maxFee: 500n,
      minPerformance30d: 90,
      validatorsPerOperatorLimit: 1000,
      excluded: [18n],
    });
    assert.deepEqual(
      selection.rejected.map((r) => [Number(r.id), r.reason]),
      [
        [18, "excluded"],
        [10, "removed"],
        [11, "status"],
        [12, "status"],
        [13, "private"],
        [14, "no-key"],
        [15, "fee"],
        [16, "performance"],
        [17, "limit"],
      ],
    );
    assert.deepEqual(ids(selection.operatorIds), [1, 2, 3, 4]);
  });

  it("the limit keeps a headroom and room for the validators being added", () => {
    const at = (count: number) => [op(1, { validatorCount: count }), op(2), op(3), op(4)];
    // 994 + 1 ≤ 1000 − 5
    assert.deepEqual(
      ids(selectOperators(at(994), { validatorsPerOperatorLimit: 1000 }).operatorIds),
      [1, 2, 3, 4],
    );
    assert.throws(
      () => selectOperators(at(995), { validatorsPerOperatorLimit: 1000 }),
      NotEnoughOperatorsError,
    );
    assert.throws(
      () => selectOperators(at(990), { validatorsPerOperatorLimit: 1000, newValidators: 6 }),
      NotEnoughOperatorsError,
    );
  });

  it("takes at most one operator per known setup provider and cloud", () => {
    const selection = selectOperators([
      op(1, { setupProvider: "DAppNode", performance30d: 99 }),
      op(2, { setupProvider: "dappnode ", performance30d: 98 }),
      op(3, { cloud: "AWS", performance30d: 97 }),
      op(4, { cloud: "aws", performance30d: 96 }),
      op(5, { performance30d: 90 }),
      op(6, { performance30d: 90 }),
      op(7, { performance30d: 10 }),
    ]);
    assert.deepEqual(ids(selection.operatorIds), [1, 3, 5, 6]);
    assert.deepEqual(
      selection.rejected.map((r) => [Number(r.id), r.reason]),
      [
        [2, "provider"],
        [4, "provider"],
      ],
    );
  });

  it("keeps pinned operators (even above the fee cap) and refuses unusable pins", () => {
    const candidates = [op(1), op(2), op(3), op(4), op(8, { fee: 900n }), op(9, { removed: true })];
    assert.deepEqual(
      ids(selectOperators(candidates, { pinned: [8n], maxFee: 500n }).operatorIds),
      [1, 2, 3, 8],
    );
    assert.throws(
      () => selectOperators(candidates, { pinned: [9n] }),
      /pinned operator 9 cannot be used: removed/,
    );
    assert.throws(() => selectOperators(candidates, { pinned: [77n] }), /pinned operators 77 do not exist/);
    assert.throws(() => selectOperators(candidates, { pinned: [1n], excluded: [1n] }), PinnedOperatorError);
  });

  it("reuses a healthy existing cluster, the cheapest when several fit", () => {
    const candidates = [
      op(1, { performance30d: 10 }),
      op(2, { performance30d: 10 }),
      op(3, { performance30d: 10 }),
      op(4, { performance30d: 10, fee: 50n }),
      op(5, { performance30d: 10, removed: true }),
      op(6, { performance30d: 99 }),
      op(7, { performance30d: 99 }),
      op(8, { performance30d: 99 }),
      op(9, { performance30d: 99 }),
    ];
    const selection = selectOperators(candidates, {
      existingClusters: [
        { operatorIds: [1n, 2n, 3n, 5n], liquidated: false },
        { operatorIds: [6n, 7n, 8n, 9n], liquidated: false },
        { operatorIds: [1n, 2n, 3n, 4n], liquidated: false },
        { operatorIds: [2n, 3n, 4n, 6n], liquidated: true },
      ],
    });
    assert.equal(selection.reused, true);
    assert.deepEqual(ids(selection.operatorIds), [1, 2, 3, 4]);
    assert.match(selection.explanation[0] ?? "", /reusing the owner's cluster 1,2,3,4/);
  });

  it("says how many operators were left after each filter", () => {
    assert.throws(
      () =>
        selectOperators([op(1), op(2), op(3, { fee: 999n }), op(4, { isPrivate: true })], { maxFee: 500n }),
      (error: unknown) =>
        error instanceof NotEnoughOperatorsError &&
        error.remaining.map((r) => `${r.filter}=${r.left}`).join(" ") ===
          "candidates=4 excluded=4 removed=4 status=4 private=3 no-key=3 fee=2 performance=2 limit=2 provider=2" &&
        /only 2 SSV operators fit, a cluster needs 4/.test(error.message),
    );
  });

  it("supports 7, 10 and 13 and refuses other sizes", () => {
    const many = Array.from({ length: 13 }, (_, i) => op(i + 1));
    for (const size of [7, 10, 13])
      assert.equal(selectOperators(many, { clusterSize: size }).operatorIds.length, size);
    assert.throws(() => selectOperators(many, { clusterSize: 5 }), InvalidOperatorIdsError);
  });

  it("is deterministic whatever the input order", () => {
    const candidates = Array.from({ length: 20 }, (_, i) =>
      op(i + 1, { fee: BigInt((i * 7) % 5), performance30d: i % 3 }),
    );
    const once = selectOperators(candidates).operatorIds;
    assert.deepEqual(selectOperators([...candidates].reverse()).operatorIds, once);
  });
});

describe("shouldMigrate", () => {
  const now = 1_000_000_000_000;
  const view = (id: number, extra = {}) => ({
    id: BigInt(id),
    fee: 100n,
    removed: false,
    isActive: true,
    ...extra,
  });

  it("migrates off a removed operator at once", () => {
    const decision = shouldMigrate([view(1, { removed: true }), view(2)], 100n, { now });
    assert.deepEqual(decision, { migrate: true, reasons: ["operator 1 was removed from the SSV network"] });
  });
  it("waits out the inactivity grace period (24 h by default)", () => {
    const hours = (h: number) => now - h * 3_600_000;
    assert.equal(
      shouldMigrate([view(1, { isActive: false, inactiveSince: hours(23) })], 100n, { now }).migrate,
      false,
    );
    assert.equal(
      shouldMigrate([view(1, { isActive: false, inactiveSince: hours(25) })], 100n, { now }).migrate,
      true,
    );
    assert.equal(
      shouldMigrate([view(1, { isActive: false, inactiveSince: hours(2) })], 100n, {
        now,
        inactiveGraceMs: 3_600_000,
      }).migrate,
      true,
    );
  });
  it("migrates off an operator above factor × the market median", () => {
    assert.equal(shouldMigrate([view(1, { fee: 200n })], 100n, { now }).migrate, false);
    assert.equal(shouldMigrate([view(1, { fee: 201n })], 100n, { now }).migrate, true);
    assert.equal(shouldMigrate([view(1, { fee: 151n })], 100n, { now, feeFactor: 1.5 }).migrate, true);
    assert.equal(shouldMigrate([view(1, { fee: 10n ** 18n })], undefined, { now }).migrate, false);
  });
  it("market median over active, public, live operators", () => {
    assert.equal(marketMedianFee([op(1, { fee: 5n }), op(2, { fee: 1n }), op(3, { fee: 3n })]), 3n);
    assert.equal(marketMedianFee([op(1, { fee: 4n }), op(2, { fee: 2n })]), 3n);
    assert.equal(
      marketMedianFee([op(1, { fee: 4n, isPrivate: true }), op(2, { fee: 2n, removed: true })]),
      undefined,
    );
  });
});
