import assert from "node:assert/strict";
import { relative } from "node:path";
import { describe, it } from "node:test";
import { relativeImports, SRC, sourceFiles } from "./source-files.ts";

/**
 * src/ holds what the `operator` program runs; test doubles and fixtures live in test/support/.
 * A module no entry point reaches is code only tests use, so it belongs there. Unit tests beside
 * the code (*.test.ts) may import test/support/; production modules may not (see imports.test.ts).
 */
const ENTRY_POINTS = ["bin/operator.ts"];

describe("src/ holds no test-only code", () => {
  it("every module in src/ is reached from an entry point", () => {
    const files = new Set(sourceFiles(SRC));
    const reached = new Set<string>();
    const pending = ENTRY_POINTS.map((entry) => `${SRC}${entry}`);
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (reached.has(file) || !files.has(file)) continue;
      reached.add(file);
      pending.push(...relativeImports(file));
    }
    assert.ok(reached.size > 100, `found ${reached.size} modules only: is the entry point right?`);
    const unreached = [...files].filter((f) => !reached.has(f)).map((f) => relative(SRC, f));
    assert.deepEqual(unreached.sort(), [], "only tests use these: move them to test/support/");
  });
});
