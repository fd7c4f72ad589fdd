import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forcedExitIndexes } from "./oracle-exits.ts";

describe("forcedExitIndexes", () => {
  it("an index counts once at least the recover threshold of oracles list it", () => {
    const forced = forcedExitIndexes(
      [
        [1, 2, 3],
        [2, 3],
        [3, 3, 3], // listing an index twice is still one oracle
        [],
      ],
      2,
    );
    assert.deepEqual([...forced].sort(), [2, 3]);
  });

  it("nothing when fewer oracles answer than the threshold", () => {
    assert.deepEqual([...forcedExitIndexes([[5]], 3)], []);
  });
});
