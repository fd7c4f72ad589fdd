// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/**
 * @title Ownable
 * @notice Two-step ownership with the events and errors of OpenZeppelin 5's Ownable2Step, which
 * the protocol's Keeper and VaultsRegistry use. The deployer is the first owner.
 */
abstract contract Ownable {
  address private _owner;
  address private _pendingOwner;

  event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
  event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

  error OwnableUnauthorizedAccount(address account);
  error OwnableInvalidOwner(address owner);

  constructor() {
    _setOwner(msg.sender);
  }

  modifier onlyOwner() {
    if (msg.sender != _owner) revert OwnableUnauthorizedAccount(msg.sender);
    _;
  }

  function owner() public view returns (address) {
    return _owner;
  }

  function pendingOwner() external view returns (address) {
    return _pendingOwner;
  }

  /// @notice Starts handing the contract over; `newOwner` completes it with acceptOwnership.
  function transferOwnership(address newOwner) external onlyOwner {
    _pendingOwner = newOwner;
    emit OwnershipTransferStarted(_owner, newOwner);
  }

  function acceptOwnership() external {
    if (msg.sender != _pendingOwner) revert OwnableUnauthorizedAccount(msg.sender);
    _setOwner(msg.sender);
  }

  function _setOwner(address newOwner) private {
    if (newOwner == address(0)) revert OwnableInvalidOwner(address(0));
    delete _pendingOwner;
    address previousOwner = _owner;
    _owner = newOwner;
    emit OwnershipTransferred(previousOwner, newOwner);
  }
}
