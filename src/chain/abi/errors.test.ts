import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readVectorText } from "../../../test/spec/vectors.ts";
import { abiDeclaration, solidityDeclaration } from "../../../test/support/solidity-declaration.ts";
import { protocolErrorsAbi } from "./errors.ts";

interface SourcedError {
  /** "<repo> <tag> <path>:<line>" */
  where: string;
  /** The comparable line of the quoted declaration, e.g. "error InsufficientBalance(uint256,uint256)". */
  declaration: string;
}

/**
 * The error declarations copied from the contracts' sources into test/vectors/contract-errors.sol.txt
 * (each group under a "# source: <repo> <tag> <path>" header, each line "<line>: error …;").
 */
function sourcedErrors(): SourcedError[] {
  const errors: SourcedError[] = [];
  let source = "";
  for (const line of readVectorText("contract-errors.sol.txt").split("\n")) {
    const header = /^# source: (\S+ \S+ \S+)/.exec(line);
    if (header?.[1]) source = header[1];
    const declaration = /^(\d+): (error .*);$/.exec(line);
    if (declaration?.[2]) {
      assert.ok(source, `a "# source:" header precedes ${line}`);
      errors.push({ where: `${source}:${declaration[1]}`, declaration: solidityDeclaration(declaration[2]) });
    }
  }
  return errors;
}

describe("protocolErrorsAbi names every custom error the contracts can raise", () => {
  const sourced = sourcedErrors();
  const ours = protocolErrorsAbi.map((e) => abiDeclaration(e));

  it("reads the fixture (v3-core v4.0.1 Errors.sol alone declares 55 errors)", () => {
    const v4 = sourced.filter((e) =>
      e.where.startsWith("stakewise/v3-core v4.0.1 contracts/libraries/Errors.sol"),
    );
    assert.equal(v4.length, 55);
  });

  it("has every sourced error, with the same argument types", () => {
    const missing = sourced
      .filter((e) => !ours.includes(e.declaration))
      .map((e) => `${e.declaration} (${e.where})`);
    assert.deepEqual(missing, []);
  });

  it("has no error the sources do not declare", () => {
    const declared = new Set(sourced.map((e) => e.declaration));
    assert.deepEqual(
      ours.filter((d) => !declared.has(d)),
      [],
    );
  });

  it("names each error once (a name with two signatures could not be told apart by name)", () => {
    const names = protocolErrorsAbi.map((e) => e.name);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
  });

  it("keeps the errors other modules already decoded in their first places", () => {
    assert.deepEqual(
      protocolErrorsAbi.slice(0, 4).map((e) => e.name),
      ["AccessDenied", "ZeroAddress", "InvalidAssets", "InsufficientAssets"],
    );
  });
});
