import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { operatorProblem, trackInactivity } from "./operator-health.ts";
import type { OperatorView } from "./view.ts";

const op = (over: Partial<OperatorView> = {}): OperatorView => ({
  id: 7n,
  removed: false,
  active: true,
  inactiveSince: undefined,
  fee: 100n,
  ...over,
});
const settings = { graceMs: 1000, expensiveFactor: 1.5, marketMedianFee: 100n };

describe("operatorProblem", () => {
  it("names removed first, then inactive past the grace period, then expensive", () => {
    assert.equal(operatorProblem(op({ removed: true, fee: 999n }), 0, settings), "operator-removed");
    assert.equal(operatorProblem(op({ active: false, inactiveSince: 0 }), 999, settings), undefined);
    assert.equal(
      operatorProblem(op({ active: false, inactiveSince: 0, fee: 999n }), 1000, settings),
      "operator-inactive",
    );
    assert.equal(operatorProblem(op({ fee: 150n }), 0, settings), undefined);
    assert.equal(operatorProblem(op({ fee: 151n }), 0, settings), "operator-expensive");
  });

  it("does not judge fees without a market median", () => {
    assert.equal(
      operatorProblem(op({ fee: 10n ** 18n }), 0, { ...settings, marketMedianFee: undefined }),
      undefined,
    );
  });
});

describe("trackInactivity", () => {
  it("keeps the first time an operator was seen inactive and forgets it once active", () => {
    const first = trackInactivity(
      new Map(),
      [
        { id: 1n, active: false },
        { id: 2n, active: true },
      ],
      100,
    );
    assert.deepEqual([...first], [[1n, 100]]);
    const second = trackInactivity(
      first,
      [
        { id: 1n, active: false },
        { id: 2n, active: false },
      ],
      200,
    );
    assert.deepEqual(
      [...second],
      [
        [1n, 100],
        [2n, 200],
      ],
    );
    const third = trackInactivity(
      second,
      [
        { id: 1n, active: true },
        { id: 2n, active: false },
      ],
      300,
    );
    assert.deepEqual([...third], [[2n, 200]]);
  });
});
