// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/**
 * @title Multicall3
 * @notice The subset of Multicall3 the operator uses, with Multicall3's signatures and revert
 * reason. The devnet places its runtime code at the canonical Multicall3 address.
 */
contract Multicall3 {
  struct Call {
    address target;
    bytes callData;
  }

  struct Call3 {
    address target;
    bool allowFailure;
    bytes callData;
  }

  struct Result {
    bool success;
    bytes returnData;
  }

  /// @notice Calls every target in order; reverts when any call fails.
  function aggregate(
    Call[] calldata calls
  ) public payable returns (uint256 blockNumber, bytes[] memory returnData) {
    blockNumber = block.number;
    returnData = new bytes[](calls.length);
    for (uint256 i = 0; i < calls.length; ++i) {
      (bool success, bytes memory result) = calls[i].target.call(calls[i].callData);
      require(success, "Multicall3: call failed");
      returnData[i] = result;
    }
  }

  /// @notice Calls every target in order; reverts on a failure only when `requireSuccess`.
  function tryAggregate(
    bool requireSuccess,
    Call[] calldata calls
  ) public payable returns (Result[] memory returnData) {
    returnData = new Result[](calls.length);
    for (uint256 i = 0; i < calls.length; ++i) {
      (bool success, bytes memory result) = calls[i].target.call(calls[i].callData);
      if (requireSuccess) require(success, "Multicall3: call failed");
      returnData[i] = Result(success, result);
    }
  }

  /// @notice Calls every target in order; a failing call reverts unless it allows failure.
  function aggregate3(Call3[] calldata calls) public payable returns (Result[] memory returnData) {
    returnData = new Result[](calls.length);
    for (uint256 i = 0; i < calls.length; ++i) {
      (bool success, bytes memory result) = calls[i].target.call(calls[i].callData);
      require(success || calls[i].allowFailure, "Multicall3: call failed");
      returnData[i] = Result(success, result);
    }
  }

  function getEthBalance(address addr) public view returns (uint256 balance) {
    balance = addr.balance;
  }

  function getBlockNumber() public view returns (uint256 blockNumber) {
    blockNumber = block.number;
  }

  function getCurrentBlockTimestamp() public view returns (uint256 timestamp) {
    timestamp = block.timestamp;
  }

  function getChainId() public view returns (uint256 chainid) {
    chainid = block.chainid;
  }

  function getBasefee() public view returns (uint256 basefee) {
    basefee = block.basefee;
  }
}
