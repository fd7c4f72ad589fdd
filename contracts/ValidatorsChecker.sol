// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IKeeperRewards} from "./Interfaces.sol";
import {Multicall} from "./Multicall.sol";

interface IExitQueueVault {
  function updateState(IKeeperRewards.HarvestParams calldata harvestParams) external;

  function getExitQueueData()
    external
    view
    returns (
      uint128 queuedShares,
      uint128 unclaimedAssets,
      uint128 totalExitingTickets,
      uint128 totalExitingAssets,
      uint256 totalTickets
    );

  function convertToAssets(uint256 shares) external view returns (uint256 assets);
}

/**
 * @title ValidatorsChecker
 * @notice The exit-queue views operators read to size withdrawals, usually in one multicall after
 * updateVaultState so that the answer reflects a harvest that is due. Tickets count shares.
 */
contract ValidatorsChecker is Multicall {
  function updateVaultState(address vault, IKeeperRewards.HarvestParams calldata harvestParams) external {
    IExitQueueVault(vault).updateState(harvestParams);
  }

  /// @notice The ticket the queue reaches once every exit requested so far is processed.
  function getExitQueueCumulativeTickets(address vault) external view returns (uint256) {
    (uint128 queuedShares, , uint128 totalExitingTickets, , uint256 totalTickets) = IExitQueueVault(vault)
      .getExitQueueData();
    return totalTickets + queuedShares + totalExitingTickets;
  }

  /**
   * @notice The assets the vault still lacks to process its queue up to `targetCumulativeTickets`,
   * counting `withdrawingAssets` (already on their way from the beacon chain) as available.
   */
  function getExitQueueMissingAssets(
    address vault,
    uint256 withdrawingAssets,
    uint256 targetCumulativeTickets
  ) external view returns (uint256 missingAssets) {
    (
      uint128 queuedShares,
      uint128 unclaimedAssets,
      uint128 totalExitingTickets,
      uint128 totalExitingAssets,
      uint256 totalTickets
    ) = IExitQueueVault(vault).getExitQueueData();
    if (totalTickets >= targetCumulativeTickets) return 0;

    uint256 toCover = targetCumulativeTickets - totalTickets;
    if (totalExitingTickets > 0) {
      uint256 legacy = toCover < totalExitingTickets ? toCover : totalExitingTickets;
      missingAssets = (legacy * totalExitingAssets) / totalExitingTickets;
      toCover -= legacy;
    }
    if (toCover > 0 && queuedShares > 0) {
      missingAssets += IExitQueueVault(vault).convertToAssets(toCover < queuedShares ? toCover : queuedShares);
    }

    uint256 available = withdrawingAssets + vault.balance - unclaimedAssets;
    return available >= missingAssets ? 0 : missingAssets - available;
  }
}
