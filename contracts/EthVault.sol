// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {IDepositContract, IKeeperRewards} from "./Interfaces.sol";
import {Multicall} from "./Multicall.sol";
import {OwnMevEscrow} from "./OwnMevEscrow.sol";
import {VaultState} from "./VaultState.sol";
import {VaultValidators} from "./VaultValidators.sol";

/**
 * @title EthVault
 * @notice A first-generation (version 1) StakeWise V3 Ethereum vault for the devnet: the protocol's
 * validator registration, harvest and multicall signatures on a minimal share accounting. It is
 * deployed directly (no proxy, no factory) and receives a security deposit of at least 1 gwei,
 * minted as shares to the vault itself, like the protocol's vaults.
 */
contract EthVault is VaultState, VaultValidators, Multicall {
  uint256 private constant SECURITY_DEPOSIT = 1 gwei;

  struct Config {
    IKeeperRewards keeper;
    IDepositContract validatorsRegistry;
    address sharedMevEscrow;
    address admin;
    /// @dev The admin when zero
    address keysManager;
    /// @dev True: execution rewards go to a new OwnMevEscrow; false: to the shared escrow
    bool ownMevEscrow;
  }

  constructor(
    Config memory config
  )
    payable
    VaultState(config.keeper, config.sharedMevEscrow, config.admin, _newOwnMevEscrow(config.ownMevEscrow))
    VaultValidators(config.validatorsRegistry, config.keysManager)
  {
    if (msg.value < SECURITY_DEPOSIT) revert Errors.InvalidSecurityDeposit();
    _deposit(address(this), msg.value, address(0));
  }

  function vaultId() external pure returns (bytes32) {
    return keccak256("EthVault");
  }

  function version() external pure returns (uint8) {
    return 1;
  }

  /// @dev The escrow is created before the vault's code exists; it only stores the address.
  function _newOwnMevEscrow(bool enabled) private returns (address) {
    return enabled ? address(new OwnMevEscrow(address(this))) : address(0);
  }
}
