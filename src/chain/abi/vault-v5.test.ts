import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  abiDeclaration,
  abiItem,
  STRUCTS,
  solidityDeclaration,
} from "../../../test/support/solidity-declaration.ts";
import { vaultV5Abi } from "./vault-v5.ts";

/**
 * Every function and event of vaultV5Abi beside the declaration it must match, quoted from
 * stakewise/v3-core v4.0.1 (contracts/…, file:line where the declaration starts).
 */
const DECLARATIONS: readonly [string, string][] = [
  ["interfaces/IVaultVersion.sol:24", "function version() external pure returns (uint8);"],
  ["interfaces/IVaultVersion.sol:18", "function vaultId() external pure returns (bytes32);"],
  ["interfaces/IVaultAdmin.sol:29", "function admin() external view returns (address);"],
  ["interfaces/IVaultValidators.sol:76", "function validatorsManager() external view returns (address);"],
  [
    "interfaces/IVaultValidators.sol:82",
    "function validatorsManagerNonce() external view returns (uint256);",
  ],
  [
    "interfaces/IVaultValidators.sol:89",
    "function v2Validators(bytes32 publicKeyHash) external view returns (bool);",
  ],
  ["interfaces/IVaultMev.sol:17", "function mevEscrow() external view returns (address);"],
  ["interfaces/IVaultState.sol:46", "function totalAssets() external view returns (uint256);"],
  ["interfaces/IVaultState.sol:52", "function totalShares() external view returns (uint256);"],
  ["interfaces/IVaultState.sol:58", "function capacity() external view returns (uint256);"],
  ["interfaces/IVaultState.sol:64", "function withdrawableAssets() external view returns (uint256);"],
  ["interfaces/IVaultState.sol:110", "function isStateUpdateRequired() external view returns (bool);"],
  [
    "interfaces/IVaultState.sol:74",
    "function getExitQueueData() external view returns ( uint128 queuedShares, uint128 unclaimedAssets, uint128 totalExitingTickets, uint128 totalExitingAssets, uint256 totalTickets );",
  ],
  ["interfaces/IVaultState.sol:90", "function getShares(address account) external view returns (uint256);"],
  [
    "interfaces/IVaultState.sol:97",
    "function convertToShares(uint256 assets) external view returns (uint256 shares);",
  ],
  [
    "interfaces/IVaultState.sol:104",
    "function convertToAssets(uint256 shares) external view returns (uint256 assets);",
  ],
  [
    "interfaces/IVaultEnterExit.sol:78",
    "function getExitQueueIndex(uint256 positionTicket) external view returns (int256);",
  ],
  [
    "interfaces/IVaultEnterExit.sol:70",
    "function enterExitQueue(uint256 shares, address receiver) external returns (uint256 positionTicket);",
  ],
  [
    "interfaces/IVaultEthStaking.sol:23",
    "function deposit(address receiver, address referrer) external payable returns (uint256 shares);",
  ],
  [
    "interfaces/IVaultEthStaking.sol:42",
    "function updateStateAndDeposit( address receiver, address referrer, IKeeperRewards.HarvestParams calldata harvestParams ) external payable returns (uint256 shares);",
  ],
  [
    "interfaces/IVaultState.sol:116",
    "function updateState(IKeeperRewards.HarvestParams calldata harvestParams) external;",
  ],
  [
    "interfaces/IVaultValidators.sol:124",
    "function registerValidators( IKeeperValidators.ApprovalParams calldata keeperParams, bytes calldata validatorsManagerSignature ) external;",
  ],
  [
    "interfaces/IVaultValidators.sol:96",
    "function fundValidators(bytes calldata validators, bytes calldata validatorsManagerSignature) external;",
  ],
  [
    "interfaces/IVaultValidators.sol:103",
    "function withdrawValidators(bytes calldata validators, bytes calldata validatorsManagerSignature) external payable;",
  ],
  [
    "interfaces/IVaultValidators.sol:113",
    "function consolidateValidators( bytes calldata validators, bytes calldata validatorsManagerSignature, bytes calldata oracleSignatures ) external payable;",
  ],
  [
    "interfaces/IVaultValidators.sol:133",
    "function setValidatorsManager(address _validatorsManager) external;",
  ],
  [
    "interfaces/IMulticall.sol:17",
    "function multicall(bytes[] calldata data) external returns (bytes[] memory results);",
  ],
  ["interfaces/IVaultValidators.sol:19", "event ValidatorRegistered(bytes publicKey);"],
  ["interfaces/IVaultValidators.sol:26", "event V2ValidatorRegistered(bytes publicKey, uint256 amount);"],
  [
    "interfaces/IVaultValidators.sol:34",
    "event ValidatorWithdrawalSubmitted(bytes publicKey, uint256 amount, uint256 feePaid);",
  ],
  ["interfaces/IVaultValidators.sol:41", "event ValidatorFunded(bytes publicKey, uint256 amount);"],
  [
    "interfaces/IVaultValidators.sol:49",
    "event ValidatorConsolidationSubmitted(bytes fromPublicKey, bytes toPublicKey, uint256 feePaid);",
  ],
  [
    "interfaces/IVaultValidators.sol:56",
    "event KeysManagerUpdated(address indexed caller, address indexed keysManager);",
  ],
  [
    "interfaces/IVaultValidators.sol:63",
    "event ValidatorsRootUpdated(address indexed caller, bytes32 indexed validatorsRoot);",
  ],
  [
    "interfaces/IVaultValidators.sol:70",
    "event ValidatorsManagerUpdated(address indexed caller, address indexed validatorsManager);",
  ],
  [
    "interfaces/IVaultEnterExit.sol:21",
    "event Deposited(address indexed caller, address indexed receiver, uint256 assets, uint256 shares, address referrer);",
  ],
  [
    "interfaces/IVaultEnterExit.sol:39",
    "event ExitQueueEntered(address indexed owner, address indexed receiver, uint256 positionTicket, uint256 shares);",
  ],
  [
    "interfaces/IVaultEnterExit.sol:49",
    "event V2ExitQueueEntered( address indexed owner, address indexed receiver, uint256 positionTicket, uint256 shares, uint256 assets );",
  ],
];

const nameOf = (declaration: string) => /^(?:function|event) (\w+)/.exec(declaration)?.[1] ?? "";

describe("vaultV5Abi against v3-core v4.0.1", () => {
  for (const [where, declaration] of DECLARATIONS) {
    const kind = declaration.startsWith("event") ? "event" : "function";
    it(`${nameOf(declaration)} matches ${where}`, () => {
      assert.equal(
        abiDeclaration(abiItem(vaultV5Abi, kind, nameOf(declaration))),
        solidityDeclaration(declaration, STRUCTS),
      );
    });
  }

  it("has no function or event that the table above does not check", () => {
    const checked = new Set(DECLARATIONS.map(([, d]) => nameOf(d)));
    const unchecked = vaultV5Abi
      .filter((i) => i.type === "function" || i.type === "event")
      .map((i) => i.name)
      .filter((name) => !checked.has(name));
    assert.deepEqual(unchecked, []);
  });
});
