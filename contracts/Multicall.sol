// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/**
 * @title Multicall
 * @notice Batches calls to the contract itself (delegatecall, same msg.sender); the first failing
 * call reverts the batch with that call's revert data.
 */
abstract contract Multicall {
  function multicall(bytes[] calldata data) external returns (bytes[] memory results) {
    results = new bytes[](data.length);
    for (uint256 i = 0; i < data.length; ++i) {
      (bool success, bytes memory result) = address(this).delegatecall(data[i]);
      if (!success) {
        assembly ("memory-safe") {
          revert(add(result, 32), mload(result))
        }
      }
      results[i] = result;
    }
  }
}
