// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {ISharedMevEscrow, IVaultMev, IVaultsRegistry} from "./Interfaces.sol";

/**
 * @title SharedMevEscrow
 * @notice Collects execution rewards of all vaults that use the shared escrow; a registered vault
 * withdraws its oracle-proven share during its harvest.
 */
contract SharedMevEscrow is ISharedMevEscrow {
  IVaultsRegistry private immutable _vaultsRegistry;

  event MevReceived(uint256 assets);
  event Harvested(address indexed caller, uint256 assets);

  constructor(IVaultsRegistry vaultsRegistry) {
    _vaultsRegistry = vaultsRegistry;
  }

  function harvest(uint256 assets) external override {
    if (!_vaultsRegistry.vaults(msg.sender)) revert Errors.HarvestFailed();
    emit Harvested(msg.sender, assets);
    IVaultMev(msg.sender).receiveFromMevEscrow{value: assets}();
  }

  receive() external payable {
    emit MevReceived(msg.value);
  }
}
