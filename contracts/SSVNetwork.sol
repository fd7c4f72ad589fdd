// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SSVNetworkBase} from "./SSVNetworkBase.sol";

interface ISSVTokenTransfers {
  function transfer(address to, uint256 amount) external returns (bool);

  function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/**
 * @title SSVNetwork (SSV-token era)
 * @notice The functions, events and errors of ssv-network v1.2.0 that cluster owners and operators
 * call: balances are SSV tokens pulled with transferFrom (the owner approves this contract first)
 * and an `amount` argument; fees are shrunk by 10^7.
 */
contract SSVNetwork is SSVNetworkBase {
  error ClusterDoesNotExists();
  error TokenTransferFailed();

  ISSVTokenTransfers private immutable _token;

  constructor(address token, Parameters memory params) SSVNetworkBase(params) {
    _token = ISSVTokenTransfers(token);
  }

  function getVersion() external pure returns (string memory version) {
    return "v1.2.0";
  }

  function registerValidator(
    bytes calldata publicKey,
    uint64[] memory operatorIds,
    bytes calldata sharesData,
    uint256 amount,
    Cluster memory cluster
  ) external {
    bytes[] memory publicKeys = new bytes[](1);
    bytes[] memory shares = new bytes[](1);
    publicKeys[0] = publicKey;
    shares[0] = sharesData;
    _registerValidators(publicKeys, operatorIds, shares, amount, cluster);
    _pull(amount);
  }

  function bulkRegisterValidator(
    bytes[] calldata publicKeys,
    uint64[] memory operatorIds,
    bytes[] calldata sharesData,
    uint256 amount,
    Cluster memory cluster
  ) external {
    _registerValidators(publicKeys, operatorIds, sharesData, amount, cluster);
    _pull(amount);
  }

  function deposit(address clusterOwner, uint64[] memory operatorIds, uint256 amount, Cluster memory cluster) external {
    _deposit(clusterOwner, operatorIds, amount, cluster);
    _pull(amount);
  }

  function reactivate(uint64[] memory operatorIds, uint256 amount, Cluster memory cluster) external {
    _reactivate(operatorIds, amount, cluster);
    _pull(amount);
  }

  function _deductedDigits() internal pure override returns (uint256) {
    return 10_000_000;
  }

  function _checkPrecision(uint256 value) internal pure override {
    require(value % 10_000_000 == 0, "Max precision exceeded");
  }

  function _revertClusterDoesNotExist() internal pure override {
    revert ClusterDoesNotExists();
  }

  function _pull(uint256 amount) private {
    if (amount != 0 && !_token.transferFrom(msg.sender, address(this), amount)) revert TokenTransferFailed();
  }

  function _pay(address to, uint256 amount) internal override {
    if (!_token.transfer(to, amount)) revert TokenTransferFailed();
  }
}
