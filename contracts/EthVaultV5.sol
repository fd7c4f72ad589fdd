// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {IDepositContract, IKeeperRewards} from "./Interfaces.sol";
import {Multicall} from "./Multicall.sol";
import {OwnMevEscrow} from "./OwnMevEscrow.sol";
import {VaultState} from "./VaultState.sol";
import {VaultValidatorsV5} from "./VaultValidatorsV5.sol";

/**
 * @title EthVaultV5
 * @notice Today's StakeWise Ethereum vault (version 5, v3-core v4) for the devnet: the validators
 * manager, 0x01 and 0x02 registrations, top-ups, EIP-7002 withdrawals, EIP-7251 consolidations and
 * the exit queue, on the same minimal share accounting as the version-1 devnet vault. Deployed
 * directly (no proxy, no factory) with a security deposit of at least 1 gwei.
 */
contract EthVaultV5 is VaultValidatorsV5, Multicall {
  uint256 private constant SECURITY_DEPOSIT = 1 gwei;

  struct Config {
    IKeeperRewards keeper;
    IDepositContract validatorsRegistry;
    address validatorsWithdrawals;
    address validatorsConsolidations;
    address consolidationsChecker;
    address sharedMevEscrow;
    address admin;
    /// @dev Zero: no manager until the admin sets one
    address validatorsManager;
    /// @dev True: execution rewards go to a new OwnMevEscrow; false: to the shared escrow
    bool ownMevEscrow;
  }

  constructor(
    Config memory config
  )
    payable
    VaultState(config.keeper, config.sharedMevEscrow, config.admin, _newOwnMevEscrow(config.ownMevEscrow))
    VaultValidatorsV5(
      ValidatorsConfig({
        validatorsRegistry: config.validatorsRegistry,
        validatorsWithdrawals: config.validatorsWithdrawals,
        validatorsConsolidations: config.validatorsConsolidations,
        consolidationsChecker: config.consolidationsChecker,
        validatorsManager: config.validatorsManager
      })
    )
  {
    if (msg.value < SECURITY_DEPOSIT) revert Errors.InvalidSecurityDeposit();
    _deposit(address(this), msg.value, address(0));
  }

  function vaultId() external pure returns (bytes32) {
    return keccak256("EthVault");
  }

  function version() external pure returns (uint8) {
    return 5;
  }

  /// @dev The escrow is created before the vault's code exists; it only stores the address.
  function _newOwnMevEscrow(bool enabled) private returns (address) {
    return enabled ? address(new OwnMevEscrow(address(this))) : address(0);
  }
}
