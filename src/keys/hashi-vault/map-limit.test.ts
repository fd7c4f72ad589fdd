import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapLimit } from "./map-limit.ts";

describe("mapLimit", () => {
  it("keeps input order and never runs more than the limit", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (value) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return value * 10;
    });
    assert.deepEqual(results, [50, 10, 40, 20, 30, 0]);
    assert.equal(peak, 2);
  });

  it("stops starting calls after the first failure", async () => {
    const started: number[] = [];
    await assert.rejects(
      mapLimit([0, 1, 2, 3, 4], 1, async (value) => {
        started.push(value);
        if (value === 1) throw new Error("boom");
        return value;
      }),
      /boom/,
    );
    assert.deepEqual(started, [0, 1]);
  });

  it("handles an empty list", async () => {
    assert.deepEqual(await mapLimit([], 8, async () => 1), []);
  });
});
