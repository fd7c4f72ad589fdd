// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {IDepositContract, IKeeperValidators} from "./Interfaces.sol";
import {MerkleProof} from "./MerkleProof.sol";
import {VaultState} from "./VaultState.sol";

/**
 * @title VaultValidators
 * @notice First-generation validator registration. The keys manager publishes the root of the
 * vault's deposit data tree (leaf i = keccak256(keccak256(abi.encode(bytes validator, uint256 i)))
 * with validator = pubkey ‖ signature ‖ deposit_data_root, 176 bytes); anyone holding an oracle
 * approval registers the next validators in tree order, proving each leaf at validatorIndex,
 * validatorIndex + 1, … Each gets 32 ETH with 0x01 credentials to the vault.
 */
abstract contract VaultValidators is VaultState {
  uint256 private constant VALIDATOR_LENGTH = 176;
  uint256 private constant VALIDATOR_DEPOSIT = 32 ether;

  IDepositContract private immutable _validatorsRegistry;

  bytes32 public validatorsRoot;
  uint256 public validatorIndex;
  address private _keysManager;

  event ValidatorRegistered(bytes publicKey);
  event KeysManagerUpdated(address indexed caller, address indexed keysManager);
  event ValidatorsRootUpdated(address indexed caller, bytes32 indexed validatorsRoot);

  constructor(IDepositContract validatorsRegistry, address keysManager_) {
    _validatorsRegistry = validatorsRegistry;
    if (keysManager_ != address(0)) {
      _keysManager = keysManager_;
      emit KeysManagerUpdated(msg.sender, keysManager_);
    }
  }

  /// @notice The keys manager; the admin while none is set.
  function keysManager() public view returns (address) {
    address manager = _keysManager;
    return manager == address(0) ? admin : manager;
  }

  function setKeysManager(address keysManager_) external {
    _checkAdmin();
    if (keysManager_ == address(0)) revert Errors.ZeroAddress();
    _keysManager = keysManager_;
    emit KeysManagerUpdated(msg.sender, keysManager_);
  }

  /// @notice Publishes a new deposit data root; registration restarts at its first leaf.
  function setValidatorsRoot(bytes32 validatorsRoot_) external {
    if (msg.sender != keysManager()) revert Errors.AccessDenied();
    validatorsRoot = validatorsRoot_;
    validatorIndex = 0;
    emit ValidatorsRootUpdated(msg.sender, validatorsRoot_);
  }

  function registerValidator(
    IKeeperValidators.ApprovalParams calldata keeperParams,
    bytes32[] calldata proof
  ) external {
    _checkHarvested();
    IKeeperValidators(address(_keeper)).approveValidators(keeperParams);
    if (withdrawableAssets() < VALIDATOR_DEPOSIT) revert Errors.InsufficientAssets();
    if (keeperParams.validators.length != VALIDATOR_LENGTH) revert Errors.InvalidValidator();

    uint256 index = validatorIndex;
    if (!MerkleProof.verify(proof, validatorsRoot, _leaf(keeperParams.validators, index))) {
      revert Errors.InvalidProof();
    }
    _depositValidator(keeperParams.validators);
    validatorIndex = index + 1;
  }

  /**
   * @param indexes For the k-th validator of keeperParams.validators, its position among the
   * multiproof's leaves
   */
  function registerValidators(
    IKeeperValidators.ApprovalParams calldata keeperParams,
    uint256[] calldata indexes,
    bool[] calldata proofFlags,
    bytes32[] calldata proof
  ) external {
    _checkHarvested();
    IKeeperValidators(address(_keeper)).approveValidators(keeperParams);
    uint256 count = indexes.length;
    if (withdrawableAssets() < VALIDATOR_DEPOSIT * count) revert Errors.InsufficientAssets();
    if (count == 0 || count * VALIDATOR_LENGTH != keeperParams.validators.length) {
      revert Errors.InvalidValidators();
    }

    uint256 firstIndex = validatorIndex;
    bytes32[] memory leaves = new bytes32[](count);
    for (uint256 k = 0; k < count; ++k) {
      leaves[indexes[k]] = _leaf(_validatorAt(keeperParams.validators, k), firstIndex + k);
    }
    if (!MerkleProof.multiProofVerify(proof, proofFlags, validatorsRoot, leaves)) {
      revert Errors.InvalidProof();
    }
    for (uint256 k = 0; k < count; ++k) {
      _depositValidator(_validatorAt(keeperParams.validators, k));
    }
    validatorIndex = firstIndex + count;
  }

  function _depositValidator(bytes calldata validator) private {
    bytes calldata publicKey = validator[:48];
    _validatorsRegistry.deposit{value: VALIDATOR_DEPOSIT}(
      publicKey,
      abi.encodePacked(bytes1(0x01), bytes11(0), address(this)),
      validator[48:144],
      bytes32(validator[144:VALIDATOR_LENGTH])
    );
    emit ValidatorRegistered(publicKey);
  }

  function _validatorAt(bytes calldata validators, uint256 k) private pure returns (bytes calldata) {
    return validators[k * VALIDATOR_LENGTH:(k + 1) * VALIDATOR_LENGTH];
  }

  function _leaf(bytes calldata validator, uint256 index) private pure returns (bytes32) {
    return keccak256(bytes.concat(keccak256(abi.encode(validator, index))));
  }
}
