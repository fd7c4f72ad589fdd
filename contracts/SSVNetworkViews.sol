// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SSVNetworkBase} from "./SSVNetworkBase.sol";

/**
 * @title SSVNetworkViews (SSV-token era)
 * @notice The reads of ssv-network v1.2.0's SSVNetworkViews, answered by the network (as the real
 * views contract asks the network's views module); reverts bubble up unchanged.
 */
contract SSVNetworkViews {
  SSVNetworkBase internal immutable _network;

  constructor(SSVNetworkBase network) {
    _network = network;
  }

  function getVersion() external view returns (string memory) {
    return SSVNetworkVersion(address(_network)).getVersion();
  }

  function getValidator(address owner, bytes calldata publicKey) external view returns (bool) {
    return _network.getValidator(owner, publicKey);
  }

  function getOperatorById(
    uint64 operatorId
  )
    external
    view
    returns (
      address owner,
      uint256 fee,
      uint32 validatorCount,
      address whitelistedAddress,
      bool isPrivate,
      bool active
    )
  {
    return _network.getOperatorById(operatorId);
  }

  function getOperatorFee(uint64 operatorId) external view returns (uint256 fee) {
    return _network.getOperatorFee(operatorId);
  }

  function getNetworkFee() external view returns (uint256 networkFee) {
    return _network.getNetworkFee();
  }

  function getLiquidationThresholdPeriod() external view returns (uint64 blocks) {
    return _network.getLiquidationThresholdPeriod();
  }

  function getMinimumLiquidationCollateral() external view returns (uint256 amount) {
    return _network.getMinimumLiquidationCollateral();
  }

  function getValidatorsPerOperatorLimit() external view returns (uint32 validators) {
    return _network.getValidatorsPerOperatorLimit();
  }

  function getBalance(
    address owner,
    uint64[] memory operatorIds,
    SSVNetworkBase.Cluster memory cluster
  ) external view returns (uint256 balance) {
    return _network.getBalance(owner, operatorIds, cluster);
  }

  function getBurnRate(
    address owner,
    uint64[] memory operatorIds,
    SSVNetworkBase.Cluster memory cluster
  ) external view returns (uint256 burnRate) {
    return _network.getBurnRate(owner, operatorIds, cluster);
  }

  function isLiquidatable(
    address owner,
    uint64[] memory operatorIds,
    SSVNetworkBase.Cluster memory cluster
  ) external view returns (bool) {
    return _network.isLiquidatable(owner, operatorIds, cluster);
  }

  function isLiquidated(
    address owner,
    uint64[] memory operatorIds,
    SSVNetworkBase.Cluster memory cluster
  ) external view returns (bool) {
    return _network.isLiquidated(owner, operatorIds, cluster);
  }
}

interface SSVNetworkVersion {
  function getVersion() external view returns (string memory);
}
