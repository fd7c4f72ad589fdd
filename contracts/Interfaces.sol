// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/**
 * @notice The slices of the protocol interfaces the devnet contracts call on each other. The full
 * surfaces live in the contracts themselves; these only carry the shared structs and the calls.
 */

/// @notice The beacon chain deposit contract ("validators registry" in the protocol's words).
interface IDepositContract {
  event DepositEvent(bytes pubkey, bytes withdrawal_credentials, bytes amount, bytes signature, bytes index);

  function deposit(
    bytes calldata pubkey,
    bytes calldata withdrawal_credentials,
    bytes calldata signature,
    bytes32 deposit_data_root
  ) external payable;

  function get_deposit_root() external view returns (bytes32);

  function get_deposit_count() external view returns (bytes memory);
}

interface IERC165 {
  function supportsInterface(bytes4 interfaceId) external view returns (bool);
}

interface IVaultsRegistry {
  function vaults(address vault) external view returns (bool);
}

interface IKeeperValidators {
  /// @notice An oracle-approved registration of one or more validators (ABI order is fixed).
  struct ApprovalParams {
    bytes32 validatorsRegistryRoot;
    uint256 deadline;
    bytes validators;
    bytes signatures;
    string exitSignaturesIpfsHash;
  }

  function approveValidators(ApprovalParams calldata params) external;
}

interface IKeeperRewards {
  /// @notice A vault's cumulative rewards proven against a rewards root published by the oracles.
  struct HarvestParams {
    bytes32 rewardsRoot;
    int160 reward;
    uint160 unlockedMevReward;
    bytes32[] proof;
  }

  function harvest(
    HarvestParams calldata params
  ) external returns (int256 totalAssetsDelta, uint256 unlockedMevDelta, bool harvested);

  function isHarvestRequired(address vault) external view returns (bool);
}

/// @notice What the Keeper and the MEV escrows call on a vault.
interface IVaultMev {
  function mevEscrow() external view returns (address);

  function receiveFromMevEscrow() external payable;
}

interface ISharedMevEscrow {
  function harvest(uint256 assets) external;
}

interface IOwnMevEscrow {
  function harvest() external returns (uint256 assets);
}
