import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

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

/** What a module's code refers to (comments and strings that are not module paths are not read). */
export interface ModuleReferences {
  /**
   * The paths of its imports and re-exports (type-only ones too), of its dynamic `import("…")`
   * with a literal path (a command loading its handler), and of `new URL("…", …)` (a worker).
   */
  specifiers: string[];
  /** Lines (1-based) of dynamic imports whose path is not a literal: no rule here sees what they load. */
  computed: number[];
}

/** The {@link ModuleReferences} of a module's source text. */
export function moduleReferences(source: string, fileName = "file.ts"): ModuleReferences {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const computed: number[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [path] = node.arguments;
      if (path && ts.isStringLiteralLike(path)) specifiers.push(path.text);
      else computed.push(file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1);
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "URL" &&
      node.arguments?.[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { specifiers, computed };
}

/** Absolute paths of the relative modules `file` refers to (see {@link ModuleReferences}). */
export function relativeImports(file: string): string[] {
  return moduleReferences(readFileSync(file, "utf8"), file)
    .specifiers.filter((specifier) => /^\.{1,2}\//.test(specifier))
    .map((specifier) => resolve(dirname(file), specifier));
}

/** The modules of `files` reached from `entries` through `importsOf`, each entry included. */
export function reachedModules(
  files: readonly string[],
  entries: readonly string[],
  importsOf: (file: string) => readonly string[],
): Set<string> {
  const known = new Set(files);
  const reached = new Set<string>();
  const pending = [...entries];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (reached.has(file) || !known.has(file)) continue;
    reached.add(file);
    pending.push(...importsOf(file));
  }
  return reached;
}
