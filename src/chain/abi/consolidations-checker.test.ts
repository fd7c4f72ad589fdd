import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { abiDeclaration, abiItem, solidityDeclaration } from "../../../test/support/solidity-declaration.ts";
import { consolidationsCheckerAbi } from "./consolidations-checker.ts";

/**
 * Quoted from stakewise/v3-core v4.0.1 contracts/validators/ConsolidationsChecker.sol (the
 * implementation, whose mutability the interface leaves out), and eip712Domain from
 * OpenZeppelin/openzeppelin-contracts v5.3.0 contracts/interfaces/IERC5267.sol, which
 * IConsolidationsChecker extends.
 */
const DECLARATIONS: readonly [string, string][] = [
  [
    "ConsolidationsChecker.sol:32",
    "function verifySignatures(address vault, bytes calldata validators, bytes calldata signatures) external view override",
  ],
  [
    "ConsolidationsChecker.sol:43",
    "function isValidSignatures(address vault, bytes calldata validators, bytes calldata signatures) public view override returns (bool)",
  ],
  [
    "IERC5267.sol:16",
    "function eip712Domain() external view returns ( bytes1 fields, string memory name, string memory version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] memory extensions );",
  ],
];

const nameOf = (declaration: string) => /^function (\w+)/.exec(declaration)?.[1] ?? "";

describe("consolidationsCheckerAbi against v3-core v4.0.1", () => {
  for (const [where, declaration] of DECLARATIONS) {
    it(`${nameOf(declaration)} matches ${where}`, () => {
      assert.equal(
        abiDeclaration(abiItem(consolidationsCheckerAbi, "function", nameOf(declaration))),
        solidityDeclaration(declaration),
      );
    });
  }

  it("has no function that the table above does not check", () => {
    const checked = new Set(DECLARATIONS.map(([, d]) => nameOf(d)));
    const functions = consolidationsCheckerAbi.filter((i) => i.type === "function").map((i) => i.name);
    assert.deepEqual(
      functions.filter((name) => !checked.has(name)),
      [],
    );
  });
});
