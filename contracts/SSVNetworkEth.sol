// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SSVNetworkBase} from "./SSVNetworkBase.sol";

/**
 * @title SSVNetworkEth (ETH-fee era)
 * @notice The cluster and operator functions of the ETH-fee-era SSVNetwork (ssv-sdk's v4 mainnet
 * ABI): registerValidator, bulkRegisterValidator, deposit and reactivate are payable and take the
 * balance from msg.value; fees are shrunk by 10^5. Every cluster on this devnet pays in ETH from
 * its first registration, so there is nothing to migrate: migrateClusterToETH finds no SSV cluster.
 */
contract SSVNetworkEth is SSVNetworkBase {
  error ClusterDoesNotExist();
  error MaxPrecisionExceeded();
  error ETHTransferFailed();

  event ClusterBalanceUpdated(
    address indexed owner,
    uint64[] operatorIds,
    uint64 indexed blockNum,
    uint32 effectiveBalance,
    Cluster cluster
  );
  event ClusterMigratedToETH(
    address indexed owner,
    uint64[] operatorIds,
    uint256 ethDeposited,
    uint256 ssvRefunded,
    uint32 effectiveBalance,
    Cluster cluster
  );

  constructor(Parameters memory params) SSVNetworkBase(params) {}

  function getVersion() external pure returns (string memory version) {
    return "v2.0.0";
  }

  function registerValidator(
    bytes calldata publicKey,
    uint64[] memory operatorIds,
    bytes calldata sharesData,
    Cluster memory cluster
  ) external payable {
    bytes[] memory publicKeys = new bytes[](1);
    bytes[] memory shares = new bytes[](1);
    publicKeys[0] = publicKey;
    shares[0] = sharesData;
    _registerValidators(publicKeys, operatorIds, shares, msg.value, cluster);
  }

  function bulkRegisterValidator(
    bytes[] calldata publicKeys,
    uint64[] memory operatorIds,
    bytes[] calldata sharesData,
    Cluster memory cluster
  ) external payable {
    _registerValidators(publicKeys, operatorIds, sharesData, msg.value, cluster);
  }

  function deposit(address clusterOwner, uint64[] memory operatorIds, Cluster memory cluster) external payable {
    _deposit(clusterOwner, operatorIds, msg.value, cluster);
  }

  function reactivate(uint64[] memory operatorIds, Cluster memory cluster) external payable {
    _reactivate(operatorIds, msg.value, cluster);
  }

  /// @notice SSV-paying clusters do not exist on this devnet (see the contract's notice).
  function migrateClusterToETH(uint64[] memory, Cluster memory) external payable {
    revert ClusterDoesNotExist();
  }

  function _deductedDigits() internal pure override returns (uint256) {
    return 100_000;
  }

  function _checkPrecision(uint256 value) internal pure override {
    if (value % 100_000 != 0) revert MaxPrecisionExceeded();
  }

  function _revertClusterDoesNotExist() internal pure override {
    revert ClusterDoesNotExist();
  }

  function _pay(address to, uint256 amount) internal override {
    (bool ok, ) = to.call{value: amount}("");
    if (!ok) revert ETHTransferFailed();
  }
}
