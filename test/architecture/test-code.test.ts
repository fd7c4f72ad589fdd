import assert from "node:assert/strict";
import { relative } from "node:path";
import { describe, it } from "node:test";
import { reachedModules, relativeImports, SRC, sourceFiles } from "./source-files.ts";

/**
 * src/ holds what the `operator` program runs; test doubles and fixtures live in test/support/.
 * A module no entry point reaches is code only tests use, so it belongs there. Unit tests beside
 * the code (*.test.ts) may import test/support/; production modules may not (see imports.test.ts).
 * A command loads its handler when it runs, with `import("./handler.ts")`: the walk follows
 * dynamic imports with a literal path as it follows static ones.
 */
const ENTRY_POINTS = ["bin/operator.ts"];

describe("src/ holds no test-only code", () => {
  it("every module in src/ is reached from an entry point", () => {
    const files = sourceFiles(SRC);
    const reached = reachedModules(
      files,
      ENTRY_POINTS.map((entry) => `${SRC}${entry}`),
      relativeImports,
    );
    assert.ok(reached.size > 100, `found ${reached.size} modules only: is the entry point right?`);
    const unreached = files.filter((f) => !reached.has(f)).map((f) => relative(SRC, f));
    assert.deepEqual(unreached.sort(), [], "only tests use these: move them to test/support/");
  });

  it("the walk reaches a handler only a dynamic import loads, and not a module nothing reaches", () => {
    const graph: Record<string, string[]> = {
      "bin.ts": ["program.ts"],
      "program.ts": ["command.ts"],
      "command.ts": ["options.ts", "handler.ts"],
      "handler.ts": ["chain.ts"],
      "options.ts": [],
      "chain.ts": [],
      "orphan.ts": ["chain.ts"],
    };
    const reached = reachedModules(Object.keys(graph), ["bin.ts"], (file) => graph[file] ?? []);
    assert.deepEqual([...reached].sort(), [
      "bin.ts",
      "chain.ts",
      "command.ts",
      "handler.ts",
      "options.ts",
      "program.ts",
    ]);
    assert.ok(!reached.has("orphan.ts"));
  });
});
