// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {VaultState} from "./VaultState.sol";

interface IKeeperCollateral {
  function isCollateralized(address vault) external view returns (bool);
}

/**
 * @title VaultExitQueue
 * @notice The exit queue of today's vaults, reduced to what validator operators observe: users
 * queue shares (`enterExitQueue`), every harvest turns as many queued shares into unclaimed assets
 * as the vault's ETH covers, and `getExitQueueData` / `withdrawableAssets` report the state the
 * operator sizes its withdrawals from. Tickets count shares: a position ticket is the number of
 * shares queued before it. Claiming exited assets is left out (no checkpoints are kept).
 */
abstract contract VaultExitQueue is VaultState {
  uint128 private _unclaimedAssets;
  uint256 private _totalTickets;

  event ExitQueueEntered(address indexed owner, address indexed receiver, uint256 positionTicket, uint256 shares);
  event Redeemed(address indexed owner, address indexed receiver, uint256 assets, uint256 shares);
  event CheckpointCreated(uint256 shares, uint256 assets);

  /**
   * @notice Queues `shares` of the caller for exit. Before the vault has validators it pays them
   * out at once instead (no ticket, type(uint256).max), like the protocol.
   */
  function enterExitQueue(uint256 shares, address receiver) external returns (uint256 positionTicket) {
    if (shares == 0) revert Errors.InvalidShares();
    if (receiver == address(0)) revert Errors.ZeroAddress();
    if (!_isCollateralized()) {
      uint256 assets = convertToAssets(shares);
      if (assets == 0) revert Errors.InvalidAssets();
      _totalAssets -= assets;
      _balances[msg.sender] -= shares;
      _totalShares -= shares;
      (bool sent, ) = payable(receiver).call{value: assets}("");
      require(sent, "transfer failed");
      emit Redeemed(msg.sender, receiver, assets, shares);
      return type(uint256).max;
    }

    uint256 queued = queuedShares;
    // The protocol adds legacy exiting tickets here too; this vault never had any.
    positionTicket = _totalTickets + queued;
    _balances[msg.sender] -= shares;
    queuedShares = uint128(queued + shares);
    emit ExitQueueEntered(msg.sender, receiver, positionTicket, shares);
  }

  /**
   * @return queuedShares_ shares waiting for assets
   * @return unclaimedAssets assets set aside for processed exits
   * @return totalExitingTickets legacy (version-1) exits: always 0 here
   * @return totalExitingAssets legacy (version-1) exits: always 0 here
   * @return totalTickets shares processed so far
   */
  function getExitQueueData()
    external
    view
    returns (
      uint128 queuedShares_,
      uint128 unclaimedAssets,
      uint128 totalExitingTickets,
      uint128 totalExitingAssets,
      uint256 totalTickets
    )
  {
    return (queuedShares, _unclaimedAssets, 0, 0, _totalTickets);
  }

  /// @notice The ETH not reserved for queued or processed exits: what may be staked.
  function withdrawableAssets() public view virtual override returns (uint256) {
    uint256 held = address(this).balance;
    uint256 reserved = convertToAssets(queuedShares) + _unclaimedAssets;
    return held > reserved ? held - reserved : 0;
  }

  function _afterHarvest() internal virtual override {
    uint256 available = address(this).balance - _unclaimedAssets;
    uint256 queued = queuedShares;
    if (queued == 0 || available == 0) return;

    uint256 exitedAssets = convertToAssets(queued);
    if (exitedAssets > available) exitedAssets = available;
    uint256 burnedShares = convertToShares(exitedAssets);
    if (exitedAssets == 0 || burnedShares == 0) return;

    queuedShares = uint128(queued - burnedShares);
    _unclaimedAssets += uint128(exitedAssets);
    _totalTickets += burnedShares;
    _totalShares -= burnedShares;
    _totalAssets -= exitedAssets;
    emit CheckpointCreated(burnedShares, exitedAssets);
  }

  function _isCollateralized() internal view returns (bool) {
    return IKeeperCollateral(address(_keeper)).isCollateralized(address(this));
  }

  function _checkCollateralized() internal view {
    if (!_isCollateralized()) revert Errors.NotCollateralized();
  }
}
