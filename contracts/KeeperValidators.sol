// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {IDepositContract, IKeeperValidators} from "./Interfaces.sol";
import {KeeperOracles} from "./KeeperOracles.sol";
import {KeeperRewards} from "./KeeperRewards.sol";

/**
 * @title KeeperValidators
 * @notice Oracle approvals of validator registrations and of exit-signature updates.
 *
 * Registration (called by the vault): EIP-712 `KeeperValidators(bytes32 validatorsRegistryRoot,
 * address vault,bytes validators,string exitSignaturesIpfsHash,uint256 deadline)` with vault =
 * msg.sender, signed by at least validatorsMinOracles oracles. The approval binds the deposit
 * contract's current root, so it is void as soon as any other deposit lands.
 *
 * Exit signatures (called by anyone): EIP-712 `KeeperValidators(address vault,string
 * exitSignaturesIpfsHash,uint256 nonce,uint256 deadline)` with nonce = exitSignaturesNonces(vault).
 */
abstract contract KeeperValidators is KeeperOracles, KeeperRewards, IKeeperValidators {
  bytes32 private constant REGISTER_VALIDATORS_TYPEHASH =
    keccak256(
      "KeeperValidators(bytes32 validatorsRegistryRoot,address vault,bytes validators,string exitSignaturesIpfsHash,uint256 deadline)"
    );
  bytes32 private constant UPDATE_EXIT_SIGNATURES_TYPEHASH =
    keccak256("KeeperValidators(address vault,string exitSignaturesIpfsHash,uint256 nonce,uint256 deadline)");

  IDepositContract private immutable _validatorsRegistry;

  mapping(address => uint256) public exitSignaturesNonces;
  uint256 public validatorsMinOracles;

  event ValidatorsApproval(address indexed vault, string exitSignaturesIpfsHash);
  event ExitSignaturesUpdated(
    address indexed caller,
    address indexed vault,
    uint256 nonce,
    string exitSignaturesIpfsHash
  );
  event ValidatorsMinOraclesUpdated(uint256 oracles);

  constructor(IDepositContract validatorsRegistry) {
    _validatorsRegistry = validatorsRegistry;
  }

  function approveValidators(ApprovalParams calldata params) external override {
    if (params.deadline < block.timestamp) revert Errors.DeadlineExpired();
    if (_validatorsRegistry.get_deposit_root() != params.validatorsRegistryRoot) {
      revert Errors.InvalidValidatorsRegistryRoot();
    }
    if (!_vaultsRegistry.vaults(msg.sender)) revert Errors.AccessDenied();

    _verifySignatures(
      validatorsMinOracles,
      keccak256(
        abi.encode(
          REGISTER_VALIDATORS_TYPEHASH,
          params.validatorsRegistryRoot,
          msg.sender,
          keccak256(params.validators),
          keccak256(bytes(params.exitSignaturesIpfsHash)),
          params.deadline
        )
      ),
      params.signatures
    );

    _collateralize(msg.sender);
    emit ValidatorsApproval(msg.sender, params.exitSignaturesIpfsHash);
  }

  function updateExitSignatures(
    address vault,
    uint256 deadline,
    string calldata exitSignaturesIpfsHash,
    bytes calldata oraclesSignatures
  ) external {
    if (!(_vaultsRegistry.vaults(vault) && isCollateralized(vault))) revert Errors.InvalidVault();
    if (deadline < block.timestamp) revert Errors.DeadlineExpired();

    uint256 nonce = exitSignaturesNonces[vault];
    _verifySignatures(
      validatorsMinOracles,
      keccak256(
        abi.encode(
          UPDATE_EXIT_SIGNATURES_TYPEHASH,
          vault,
          keccak256(bytes(exitSignaturesIpfsHash)),
          nonce,
          deadline
        )
      ),
      oraclesSignatures
    );
    exitSignaturesNonces[vault] = nonce + 1;

    emit ExitSignaturesUpdated(msg.sender, vault, nonce, exitSignaturesIpfsHash);
  }

  function setValidatorsMinOracles(uint256 validatorsMinOracles_) external onlyOwner {
    _setValidatorsMinOracles(validatorsMinOracles_);
  }

  function _setValidatorsMinOracles(uint256 validatorsMinOracles_) internal {
    if (validatorsMinOracles_ == 0 || validatorsMinOracles_ > totalOracles) revert Errors.InvalidOracles();
    validatorsMinOracles = validatorsMinOracles_;
    emit ValidatorsMinOraclesUpdated(validatorsMinOracles_);
  }
}
