import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import { SRC, sourceFiles } from "./source-files.ts";

/**
 * One HTTP stack (STYLE: "a second HTTP stack beside the first" is the counter-example): the
 * global `fetch` is used by lib/http/request.ts alone; every client goes through it. viem's
 * transport does its own requests inside viem and is not ours to count.
 */
const MAY_FETCH = new Set(["lib/http/request.ts"]);

/** Lines (1-based) of `source` that use the global fetch: a call, a reference or `globalThis.fetch`. */
function globalFetchUses(source: string, fileName = "file.ts"): number[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node)) return;
    if (
      isGlobalThisFetch(node) ||
      (ts.isIdentifier(node) && node.text === "fetch" && isGlobalReference(node))
    ) {
      lines.push(file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return lines;
}

function isGlobalThisFetch(node: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === "fetch" &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === "globalThis"
  );
}

/** `fetch` read as a value, not a name being declared or a property, and not a local binding. */
function isGlobalReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  const named = (p: ts.Node): p is ts.Node & { name: ts.Node } => (p as { name?: ts.Node }).name === id;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
  if (
    named(parent) &&
    (ts.isPropertyAssignment(parent) ||
      ts.isParameter(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isBindingElement(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isImportSpecifier(parent))
  )
    return false;
  for (let scope: ts.Node | undefined = parent; scope; scope = scope.parent) {
    if (declaresFetch(scope)) return false;
  }
  return true;
}

function declaresFetch(scope: ts.Node): boolean {
  if (ts.isFunctionLike(scope)) return scope.parameters.some((p) => bindsFetch(p.name));
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope)) {
    return scope.statements.some(
      (s) =>
        (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => bindsFetch(d.name))) ||
        (ts.isFunctionDeclaration(s) && s.name?.text === "fetch") ||
        (ts.isImportDeclaration(s) &&
          s.importClause?.namedBindings !== undefined &&
          ts.isNamedImports(s.importClause.namedBindings) &&
          s.importClause.namedBindings.elements.some((e) => e.name.text === "fetch")),
    );
  }
  return false;
}

function bindsFetch(name: ts.BindingName): boolean {
  if (ts.isIdentifier(name)) return name.text === "fetch";
  return name.elements.some((e) => !ts.isOmittedExpression(e) && bindsFetch(e.name));
}

describe("one HTTP stack", () => {
  it("finds the global fetch, and not local names that shadow it", () => {
    assert.deepEqual(globalFetchUses('await fetch("http://x");'), [1]);
    assert.deepEqual(globalFetchUses("const f = globalThis.fetch;\nconst g = { fetch };"), [1, 2]);
    assert.deepEqual(globalFetchUses("const doer = options.fetch ?? fetch;"), [1]);
    assert.deepEqual(
      globalFetchUses(
        [
          "type F = typeof globalThis.fetch;",
          "function scan(fetch: () => void) { fetch(); }",
          "const read = async () => { const fetch = () => 1; return fetch(); };",
          "const deps = { fetch: other.fetch };",
          "interface D { fetch?: typeof fetch }",
        ].join("\n"),
      ),
      [],
    );
  });

  it("only lib/http/request.ts uses the global fetch", () => {
    const uses: string[] = [];
    for (const path of sourceFiles(SRC)) {
      const name = relative(SRC, path);
      if (MAY_FETCH.has(name)) continue;
      for (const line of globalFetchUses(readFileSync(path, "utf8"), path)) uses.push(`${name}:${line}`);
    }
    assert.deepEqual(uses, [], "send the request through lib/http/request.ts (httpRequest / httpJson)");
  });

  it("the one HTTP module does use it (the rule above is not vacuous)", () => {
    const source = readFileSync(`${SRC}lib/http/request.ts`, "utf8");
    assert.ok(globalFetchUses(source).length > 0);
  });
});
