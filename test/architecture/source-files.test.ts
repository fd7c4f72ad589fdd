import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { moduleReferences } from "./source-files.ts";

describe("moduleReferences", () => {
  it("finds static imports, re-exports, literal dynamic imports and worker URLs", () => {
    const source = [
      'import { a } from "./a.ts";',
      'import type { B } from "../b.ts";',
      'export { c } from "./c.ts";',
      'import "node:fs";',
      "async function run() {",
      '  const { runX } = await import("./handler.ts");',
      "  const other = await import(",
      '    "./multi-line.ts"',
      "  );",
      '  new Worker(new URL("./worker.ts", import.meta.url));',
      "}",
    ].join("\n");
    assert.deepEqual(moduleReferences(source).specifiers, [
      "./a.ts",
      "../b.ts",
      "./c.ts",
      "node:fs",
      "./handler.ts",
      "./multi-line.ts",
      "./worker.ts",
    ]);
  });

  it("does not read paths in comments or in other strings", () => {
    const source = [
      '// import { a } from "./a.ts";',
      '/** Pass `import("./handler.ts")` with a literal path. */',
      "const text = 'from \"./x.ts\"';",
    ].join("\n");
    assert.deepEqual(moduleReferences(source), { specifiers: [], computed: [] });
  });

  it("reports a dynamic import whose path is computed (no rule can see what it loads)", () => {
    const source = [
      'const name = "handler";',
      'await import("./" + name + ".ts");',
      "await import(path);",
    ].join("\n");
    assert.deepEqual(moduleReferences(source), { specifiers: [], computed: [2, 3] });
  });
});
