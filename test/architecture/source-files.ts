import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The src/ directory (with a trailing slash). */
export const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** The .ts files under `dir`, tests (*.test.ts) excluded. */
export function sourceFiles(dir: string = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Absolute paths of the relative modules `file` imports (static, dynamic, and `new URL` workers). */
export function relativeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|new URL\(\s*)["'](\.{1,2}\/[^"']+)["']/g)];
  return specifiers.map((m) => resolve(dirname(file), m[1] as string));
}
