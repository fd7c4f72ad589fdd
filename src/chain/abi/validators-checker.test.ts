import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  abiDeclaration,
  abiItem,
  STRUCTS,
  solidityDeclaration,
} from "../../../test/support/solidity-declaration.ts";
import { validatorsCheckerAbi } from "./validators-checker.ts";

/** Quoted from stakewise/v3-core v4.0.1 contracts/interfaces/IValidatorsChecker.sol (line) and IMulticall.sol. */
const DECLARATIONS: readonly [string, string][] = [
  [
    "IValidatorsChecker.sol:49",
    "function updateVaultState(address vault, IKeeperRewards.HarvestParams calldata harvestParams) external;",
  ],
  [
    "IValidatorsChecker.sol:56",
    "function getExitQueueCumulativeTickets(address vault) external view returns (uint256);",
  ],
  [
    "IValidatorsChecker.sol:65",
    "function getExitQueueMissingAssets(address vault, uint256 withdrawingAssets, uint256 targetCumulativeTickets) external view returns (uint256 missingAssets);",
  ],
  [
    "IValidatorsChecker.sol:79",
    "function checkValidatorsManagerSignature( address vault, bytes32 validatorsRegistryRoot, bytes calldata validators, bytes calldata signature ) external view returns (uint256 blockNumber, Status status);",
  ],
  [
    "IMulticall.sol:17",
    "function multicall(bytes[] calldata data) external returns (bytes[] memory results);",
  ],
];

const nameOf = (declaration: string) => /^function (\w+)/.exec(declaration)?.[1] ?? "";

describe("validatorsCheckerAbi against v3-core v4.0.1", () => {
  for (const [where, declaration] of DECLARATIONS) {
    it(`${nameOf(declaration)} matches ${where}`, () => {
      assert.equal(
        abiDeclaration(abiItem(validatorsCheckerAbi, "function", nameOf(declaration))),
        solidityDeclaration(declaration, STRUCTS),
      );
    });
  }

  it("has no function that the table above does not check", () => {
    const checked = new Set(DECLARATIONS.map(([, d]) => nameOf(d)));
    const functions = validatorsCheckerAbi.filter((i) => i.type === "function").map((i) => i.name);
    assert.deepEqual(
      functions.filter((name) => !checked.has(name)),
      [],
    );
  });
});
