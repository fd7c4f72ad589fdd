// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {IOwnMevEscrow, IVaultMev} from "./Interfaces.sol";

/**
 * @title OwnMevEscrow
 * @notice One vault's private execution-rewards escrow: everything it holds goes to the vault on
 * the vault's harvest.
 */
contract OwnMevEscrow is IOwnMevEscrow {
  address payable public immutable vault;

  event MevReceived(uint256 assets);
  event Harvested(uint256 assets);

  constructor(address vault_) {
    vault = payable(vault_);
  }

  function harvest() external override returns (uint256 assets) {
    if (msg.sender != vault) revert Errors.HarvestFailed();
    assets = address(this).balance;
    if (assets == 0) return 0;
    emit Harvested(assets);
    IVaultMev(vault).receiveFromMevEscrow{value: assets}();
  }

  receive() external payable {
    emit MevReceived(msg.value);
  }
}
