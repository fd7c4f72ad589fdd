import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  abiDeclaration,
  abiItem,
  STRUCTS,
  solidityDeclaration,
} from "../../../test/support/solidity-declaration.ts";
import { depositDataRegistryAbi } from "./deposit-data-registry.ts";

/** Quoted from stakewise/v3-core v4.0.1 contracts/interfaces/IDepositDataRegistry.sol (line) and IMulticall.sol. */
const DECLARATIONS: readonly [string, string][] = [
  [
    "IDepositDataRegistry.sol:45",
    "function depositDataIndexes(address vault) external view returns (uint256 validatorIndex);",
  ],
  [
    "IDepositDataRegistry.sol:52",
    "function depositDataRoots(address vault) external view returns (bytes32 depositDataRoot);",
  ],
  [
    "IDepositDataRegistry.sol:59",
    "function getDepositDataManager(address vault) external view returns (address);",
  ],
  [
    "IDepositDataRegistry.sol:66",
    "function setDepositDataManager(address vault, address depositDataManager) external;",
  ],
  [
    "IDepositDataRegistry.sol:73",
    "function setDepositDataRoot(address vault, bytes32 depositDataRoot) external;",
  ],
  [
    "IDepositDataRegistry.sol:80",
    "function updateVaultState(address vault, IKeeperRewards.HarvestParams calldata harvestParams) external;",
  ],
  [
    "IDepositDataRegistry.sol:88",
    "function registerValidator( address vault, IKeeperValidators.ApprovalParams calldata keeperParams, bytes32[] calldata proof ) external;",
  ],
  [
    "IDepositDataRegistry.sol:102",
    "function registerValidators( address vault, IKeeperValidators.ApprovalParams calldata keeperParams, uint256[] calldata indexes, bool[] calldata proofFlags, bytes32[] calldata proof ) external;",
  ],
  [
    "IDepositDataRegistry.sol:116",
    "function migrate(bytes32 depositDataRoot, uint256 validatorIndex, address depositDataManager) external;",
  ],
  [
    "IMulticall.sol:17",
    "function multicall(bytes[] calldata data) external returns (bytes[] memory results);",
  ],
  [
    "IDepositDataRegistry.sol:20",
    "event DepositDataManagerUpdated(address indexed vault, address depositDataManager);",
  ],
  [
    "IDepositDataRegistry.sol:27",
    "event DepositDataRootUpdated(address indexed vault, bytes32 depositDataRoot);",
  ],
  [
    "IDepositDataRegistry.sol:36",
    "event DepositDataMigrated( address indexed vault, bytes32 depositDataRoot, uint256 validatorIndex, address depositDataManager );",
  ],
];

const nameOf = (declaration: string) => /^(?:function|event) (\w+)/.exec(declaration)?.[1] ?? "";

describe("depositDataRegistryAbi against v3-core v4.0.1", () => {
  for (const [where, declaration] of DECLARATIONS) {
    const kind = declaration.startsWith("event") ? "event" : "function";
    it(`${nameOf(declaration)} matches ${where}`, () => {
      assert.equal(
        abiDeclaration(abiItem(depositDataRegistryAbi, kind, nameOf(declaration))),
        solidityDeclaration(declaration, STRUCTS),
      );
    });
  }

  it("has no function or event that the table above does not check", () => {
    const checked = new Set(DECLARATIONS.map(([, d]) => nameOf(d)));
    const unchecked = depositDataRegistryAbi
      .filter((i) => i.type === "function" || i.type === "event")
      .map((i) => i.name)
      .filter((name) => !checked.has(name));
    assert.deepEqual(unchecked, []);
  });
});
