// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {IVaultsRegistry} from "./Interfaces.sol";
import {Ownable} from "./Ownable.sol";

/**
 * @title VaultsRegistry
 * @notice The set of vaults the Keeper serves. Vaults are added by the owner or by a factory.
 */
contract VaultsRegistry is Ownable, IVaultsRegistry {
  mapping(address => bool) public override vaults;
  mapping(address => bool) public factories;

  event VaultAdded(address indexed caller, address indexed vault);
  event FactoryAdded(address indexed factory);
  event FactoryRemoved(address indexed factory);

  function addVault(address vault) external {
    if (!factories[msg.sender] && msg.sender != owner()) revert Errors.AccessDenied();
    vaults[vault] = true;
    emit VaultAdded(msg.sender, vault);
  }

  function addFactory(address factory) external onlyOwner {
    if (factory == address(0)) revert Errors.ZeroAddress();
    if (factories[factory]) revert Errors.AlreadyAdded();
    factories[factory] = true;
    emit FactoryAdded(factory);
  }

  function removeFactory(address factory) external onlyOwner {
    if (!factories[factory]) revert Errors.AlreadyRemoved();
    factories[factory] = false;
    emit FactoryRemoved(factory);
  }
}
