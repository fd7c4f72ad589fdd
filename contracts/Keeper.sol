// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IDepositContract, IVaultsRegistry} from "./Interfaces.sol";
import {KeeperOracles} from "./KeeperOracles.sol";
import {KeeperRewards} from "./KeeperRewards.sol";
import {KeeperValidators} from "./KeeperValidators.sol";

/**
 * @title Keeper
 * @notice The devnet Keeper: oracle set, rewards and validator approvals with the protocol's
 * function signatures, events, errors and EIP-712 messages. Unlike the protocol's upgradeable
 * Keeper it is configured in its constructor (initial oracles, thresholds, config hash) so a devnet
 * is ready after one transaction; the owner can change everything afterwards.
 */
contract Keeper is KeeperOracles, KeeperRewards, KeeperValidators {
  struct Config {
    address sharedMevEscrow;
    IVaultsRegistry vaultsRegistry;
    IDepositContract validatorsRegistry;
    uint256 rewardsDelay;
    uint256 maxAvgRewardPerSecond;
    address[] oracles;
    uint256 validatorsMinOracles;
    uint256 rewardsMinOracles;
    string configIpfsHash;
  }

  constructor(
    Config memory config
  )
    KeeperRewards(config.sharedMevEscrow, config.vaultsRegistry, config.rewardsDelay, config.maxAvgRewardPerSecond)
    KeeperValidators(config.validatorsRegistry)
  {
    for (uint256 i = 0; i < config.oracles.length; ++i) {
      _addOracle(config.oracles[i]);
    }
    _setValidatorsMinOracles(config.validatorsMinOracles);
    _setRewardsMinOracles(config.rewardsMinOracles);
    emit ConfigUpdated(config.configIpfsHash);
  }
}
