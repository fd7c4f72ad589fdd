// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {IKeeperRewards, IKeeperValidators, IVaultsRegistry} from "./Interfaces.sol";
import {MerkleProof} from "./MerkleProof.sol";
import {Multicall} from "./Multicall.sol";

interface IRegistryVault {
  function version() external view returns (uint8);

  function admin() external view returns (address);

  function updateState(IKeeperRewards.HarvestParams calldata harvestParams) external;

  function registerValidators(
    IKeeperValidators.ApprovalParams calldata keeperParams,
    bytes calldata validatorsManagerSignature
  ) external;
}

/**
 * @title DepositDataRegistry
 * @notice The deposit-data flow of vaults from version 2 on: a vault whose validators manager is
 * this registry registers the validators of a published deposit data tree, in tree order. The
 * deposit data manager (the vault admin unless set) publishes the root; anyone with the oracles'
 * approval registers the next entries, proving leaf i = keccak256(keccak256(abi.encode(bytes
 * validator, uint256 i))) for i = depositDataIndexes(vault), +1, … The registry calls the vault's
 * registerValidators as its manager (empty manager signature), so entries may be 176 or 184 bytes.
 */
contract DepositDataRegistry is Multicall {
  IVaultsRegistry private immutable _vaultsRegistry;

  mapping(address => uint256) public depositDataIndexes;
  mapping(address => bytes32) public depositDataRoots;
  mapping(address => address) private _depositDataManagers;
  mapping(address => bool) private _migrated;

  event DepositDataManagerUpdated(address indexed vault, address depositDataManager);
  event DepositDataRootUpdated(address indexed vault, bytes32 depositDataRoot);
  event DepositDataMigrated(
    address indexed vault,
    bytes32 depositDataRoot,
    uint256 validatorIndex,
    address depositDataManager
  );

  constructor(IVaultsRegistry vaultsRegistry) {
    _vaultsRegistry = vaultsRegistry;
  }

  /// @dev Registered vaults of version 2 or later only.
  modifier onlyValidVault(address vault) {
    if (!_vaultsRegistry.vaults(vault) || IRegistryVault(vault).version() < 2) revert Errors.InvalidVault();
    _;
  }

  function getDepositDataManager(address vault) public view returns (address) {
    address manager = _depositDataManagers[vault];
    return manager == address(0) ? IRegistryVault(vault).admin() : manager;
  }

  function setDepositDataManager(address vault, address depositDataManager) external onlyValidVault(vault) {
    if (msg.sender != IRegistryVault(vault).admin()) revert Errors.AccessDenied();
    _depositDataManagers[vault] = depositDataManager;
    emit DepositDataManagerUpdated(vault, depositDataManager);
  }

  /// @notice Publishes a new deposit data root; registration restarts at its first leaf.
  function setDepositDataRoot(address vault, bytes32 depositDataRoot) external onlyValidVault(vault) {
    if (msg.sender != getDepositDataManager(vault)) revert Errors.AccessDenied();
    if (depositDataRoots[vault] == depositDataRoot) revert Errors.ValueNotChanged();
    depositDataRoots[vault] = depositDataRoot;
    depositDataIndexes[vault] = 0;
    emit DepositDataRootUpdated(vault, depositDataRoot);
  }

  /// @notice Harvests the vault, so one multicall to the registry can harvest and register.
  function updateVaultState(address vault, IKeeperRewards.HarvestParams calldata harvestParams) external {
    IRegistryVault(vault).updateState(harvestParams);
  }

  function registerValidator(
    address vault,
    IKeeperValidators.ApprovalParams calldata keeperParams,
    bytes32[] calldata proof
  ) external onlyValidVault(vault) {
    IRegistryVault(vault).registerValidators(keeperParams, "");
    uint256 index = depositDataIndexes[vault];
    if (!MerkleProof.verify(proof, depositDataRoots[vault], _leaf(keeperParams.validators, index))) {
      revert Errors.InvalidProof();
    }
    depositDataIndexes[vault] = index + 1;
  }

  /**
   * @param indexes For the k-th validator of keeperParams.validators, its position among the
   * multiproof's leaves (all entries have the same length: validators.length / indexes.length)
   */
  function registerValidators(
    address vault,
    IKeeperValidators.ApprovalParams calldata keeperParams,
    uint256[] calldata indexes,
    bool[] calldata proofFlags,
    bytes32[] calldata proof
  ) external onlyValidVault(vault) {
    IRegistryVault(vault).registerValidators(keeperParams, "");

    bytes32[] memory leaves = _leaves(vault, keeperParams, indexes);
    _consumeLeaves(vault, leaves, proofFlags, proof);
  }

  /// @dev Moves the vault's index past the leaves once the multiproof shows they are the next ones.
  function _consumeLeaves(
    address vault,
    bytes32[] memory leaves,
    bool[] calldata proofFlags,
    bytes32[] calldata proof
  ) private {
    depositDataIndexes[vault] += leaves.length;
    if (!MerkleProof.multiProofVerify(proof, proofFlags, depositDataRoots[vault], leaves)) {
      revert Errors.InvalidProof();
    }
  }

  /// @notice Takes over a version-1 vault's root and index when it upgrades (called by the vault, once).
  function migrate(
    bytes32 depositDataRoot,
    uint256 validatorIndex,
    address depositDataManager
  ) external onlyValidVault(msg.sender) {
    if (_migrated[msg.sender]) revert Errors.AccessDenied();
    depositDataRoots[msg.sender] = depositDataRoot;
    depositDataIndexes[msg.sender] = validatorIndex;
    _depositDataManagers[msg.sender] = depositDataManager;
    _migrated[msg.sender] = true;
    emit DepositDataMigrated(msg.sender, depositDataRoot, validatorIndex, depositDataManager);
  }

  /// @dev The multiproof's leaves: validator k is leaf depositDataIndexes(vault) + k, at position indexes[k].
  function _leaves(
    address vault,
    IKeeperValidators.ApprovalParams calldata keeperParams,
    uint256[] calldata indexes
  ) private view returns (bytes32[] memory leaves) {
    bytes calldata validators = keeperParams.validators;
    uint256 firstIndex = depositDataIndexes[vault];
    uint256 count = indexes.length;
    if (count == 0) revert Errors.InvalidValidators();
    uint256 entryLength = validators.length / count;
    if (entryLength == 0) revert Errors.InvalidValidators();
    leaves = new bytes32[](count);
    for (uint256 k = 0; k < count; ++k) {
      leaves[indexes[k]] = _leaf(validators[k * entryLength:(k + 1) * entryLength], firstIndex + k);
    }
  }

  function _leaf(bytes calldata validator, uint256 index) private pure returns (bytes32) {
    return keccak256(bytes.concat(keccak256(abi.encode(validator, index))));
  }
}
