import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, it } from "node:test";
import { SRC, sourceFiles } from "./source-files.ts";

/**
 * Node's `mkdir(path, { recursive: true })` never returns on a path like `/proc/x` (ENOENT for a
 * directory whose parent exists). Every directory the tool creates goes through `makeDirs` /
 * `makeDirsSync` (src/lib/fs.ts), which creates one component at a time.
 */

/** A call of mkdir / mkdirSync whose arguments (nested calls included) hold `recursive`. */
const RECURSIVE_MKDIR = /\bmkdir(?:Sync)?\s*\((?:[^()]|\([^()]*\))*?\brecursive\b/g;

describe("no recursive mkdir in src/ (outside tests)", () => {
  it("every directory is created through makeDirs (src/lib/fs.ts)", () => {
    const found: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(RECURSIVE_MKDIR)) {
        const line = text.slice(0, match.index).split("\n").length;
        found.push(`src/${relative(SRC, file)}:${line}`);
      }
    }
    assert.deepEqual(found, [], "use makeDirs/makeDirsSync from src/lib/fs.ts instead");
  });

  it("recognises the forms it forbids", () => {
    for (const text of [
      "await mkdir(dir, { recursive: true })",
      "mkdirSync(dirname(file), {\n  recursive: true,\n  mode: 0o700,\n})",
      "fs.mkdir(x, { mode: 0o700, recursive: true }, cb)",
    ]) {
      assert.ok([...text.matchAll(RECURSIVE_MKDIR)].length === 1, text);
    }
    assert.equal(
      [..."await mkdir(backupDir, { mode: 0o700 }); rm(x, { recursive: true })".matchAll(RECURSIVE_MKDIR)]
        .length,
      0,
    );
  });
});
