// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SSVNetworkBase} from "./SSVNetworkBase.sol";
import {SSVNetworkVersion} from "./SSVNetworkViews.sol";

/**
 * @title SSVNetworkViewsEth (ETH-fee era)
 * @notice The reads of the ETH-fee-era SSVNetworkViews (ssv-sdk's v4 mainnet getter ABI) that the
 * operator uses, answered by SSVNetworkEth. The `…SSV` views describe clusters still paying in
 * SSV: there are none on this devnet, so the cluster ones revert ClusterDoesNotExist and the
 * parameter ones answer fixed legacy values. getMinimumLiquidationCollateralSSV() answering at
 * all is how a client tells this era from the SSV-token one.
 */
contract SSVNetworkViewsEth {
  struct OperatorData {
    address owner;
    uint256 fee;
    uint32 validatorCount;
    address whitelistedAddress;
    bool isPrivate;
    bool isActive;
  }

  /// @dev getClusterAssetType's answer for an ETH-paying cluster.
  uint8 private constant ASSET_ETH = 1;
  /// @dev Each validator counts as 32 ETH of effective balance (one unit).
  uint32 private constant EFFECTIVE_BALANCE_PER_VALIDATOR = 32;

  error ClusterDoesNotExist();

  /// @notice What the `…SSV` parameter views answer (the SSV-era values a migrated network keeps).
  struct LegacySsvParameters {
    uint256 networkFee;
    uint256 operatorFee;
    uint64 liquidationThresholdPeriod;
    uint256 minimumLiquidationCollateral;
  }

  SSVNetworkBase internal immutable _network;
  LegacySsvParameters private _legacySsv;

  constructor(SSVNetworkBase network, LegacySsvParameters memory legacySsv) {
    _network = network;
    _legacySsv = legacySsv;
  }

  function getVersion() external view returns (string memory) {
    return SSVNetworkVersion(address(_network)).getVersion();
  }

  function getValidator(address clusterOwner, bytes calldata publicKey) external view returns (bool) {
    return _network.getValidator(clusterOwner, publicKey);
  }

  function getOperatorById(uint64 operatorId) external view returns (OperatorData memory data) {
    (data.owner, data.fee, data.validatorCount, data.whitelistedAddress, data.isPrivate, data.isActive) = _network
      .getOperatorById(operatorId);
  }

  function getOperatorFee(uint64 operatorId) external view returns (uint256) {
    return _network.getOperatorFee(operatorId);
  }

  function getNetworkFee() external view returns (uint256) {
    return _network.getNetworkFee();
  }

  function getLiquidationThresholdPeriod() external view returns (uint64) {
    return _network.getLiquidationThresholdPeriod();
  }

  function getMinimumLiquidationCollateral() external view returns (uint256) {
    return _network.getMinimumLiquidationCollateral();
  }

  function getValidatorsPerOperatorLimit() external view returns (uint32) {
    return _network.getValidatorsPerOperatorLimit();
  }

  function getBalance(
    address clusterOwner,
    uint64[] memory operatorIds,
    SSVNetworkBase.Cluster memory cluster
  ) external view returns (uint256 balance) {
    return _network.getBalance(clusterOwner, operatorIds, cluster);
  }

  function getBurnRate(
    address clusterOwner,
    uint64[] memory operatorIds,
    SSVNetworkBase.Cluster memory cluster
  ) external view returns (uint256) {
    return _network.getBurnRate(clusterOwner, operatorIds, cluster);
  }

  function isLiquidatable(
    address clusterOwner,
    uint64[] memory operatorIds,
    SSVNetworkBase.Cluster memory cluster
  ) external view returns (bool) {
    return _network.isLiquidatable(clusterOwner, operatorIds, cluster);
  }

  function isLiquidated(
    address clusterOwner,
    uint64[] memory operatorIds,
    SSVNetworkBase.Cluster memory cluster
  ) external view returns (bool) {
    return _network.isLiquidated(clusterOwner, operatorIds, cluster);
  }

  /// @dev Every cluster this network knows pays in ETH (the network is asked, so the view reads state).
  function getClusterAssetType(address, uint64[] memory) external view returns (uint8) {
    return address(_network) == address(0) ? 0 : ASSET_ETH;
  }

  function getEffectiveBalance(
    address clusterOwner,
    uint64[] memory operatorIds,
    SSVNetworkBase.Cluster memory cluster
  ) external view returns (uint32 effectiveBalance) {
    _network.isLiquidated(clusterOwner, operatorIds, cluster);
    return cluster.validatorCount * EFFECTIVE_BALANCE_PER_VALIDATOR;
  }

  function getBalanceSSV(
    address,
    uint64[] memory,
    SSVNetworkBase.Cluster memory
  ) external view returns (uint256) {
    return _noSsvCluster();
  }

  function getBurnRateSSV(
    address,
    uint64[] memory,
    SSVNetworkBase.Cluster memory
  ) external view returns (uint256) {
    return _noSsvCluster();
  }

  function isLiquidatableSSV(
    address,
    uint64[] memory,
    SSVNetworkBase.Cluster memory
  ) external view returns (bool) {
    return _noSsvCluster() != 0;
  }

  function getNetworkFeeSSV() external view returns (uint256) {
    return _legacySsv.networkFee;
  }

  function getOperatorFeeSSV(uint64) external view returns (uint256) {
    return _legacySsv.operatorFee;
  }

  function getLiquidationThresholdPeriodSSV() external view returns (uint64) {
    return _legacySsv.liquidationThresholdPeriod;
  }

  function getMinimumLiquidationCollateralSSV() external view returns (uint256) {
    return _legacySsv.minimumLiquidationCollateral;
  }

  /// @dev Reverts: no cluster pays in SSV here.
  function _noSsvCluster() private view returns (uint256) {
    if (address(_network) != address(0)) revert ClusterDoesNotExist();
    return 0;
  }
}
