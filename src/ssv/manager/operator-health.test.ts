import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { trackInactivity } from "./operator-health.ts";

describe("trackInactivity", () => {
  it("keeps the first time an operator was seen inactive and forgets it once active", () => {
    const first = trackInactivity(
      new Map(),
      [
        { id: 1n, isActive: false },
        { id: 2n, isActive: true },
      ],
      100,
    );
    assert.deepEqual([...first], [[1n, 100]]);
    const second = trackInactivity(
      first,
      [
        { id: 1n, isActive: false },
        { id: 2n, isActive: false },
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
        { id: 1n, isActive: true },
        { id: 2n, isActive: false },
      ],
      300,
    );
    assert.deepEqual([...third], [[2n, 200]]);
  });
});
