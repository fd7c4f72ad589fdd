// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/**
 * @title SystemRequestQueue
 * @notice The caller's view of a Pectra execution-layer request contract (EIP-7002 withdrawals,
 * EIP-7251 consolidations), for a devnet whose genesis lacks them. There is no ABI: empty calldata
 * returns the current fee as 32 bytes; calldata of exactly the request length, paid with at least
 * the fee, is accepted and logged with no topics and data = source address ‖ calldata, which is
 * what the beacon chain (here, the devnet's simulator) reads. Any other call reverts.
 *
 * The fee is fake_exponential(1, excess, 17) wei, as in both EIPs. The real contracts move the
 * excess once per block through a system call; here it stays where the devnet puts it (storage
 * slot 0, the slot the EIPs use too, written with anvil_setStorageAt), so tests choose the fee.
 */
abstract contract SystemRequestQueue {
  uint256 private constant MIN_FEE = 1;
  uint256 private constant FEE_UPDATE_FRACTION = 17;

  /// @dev Slot 0. Excess requests over the per-block target, the input of the fee.
  uint256 private _excess;
  /// @dev Slot 1. Requests accepted since deployment (diagnostics only).
  uint256 private _accepted;

  /// @dev The calldata length of one request.
  function _requestLength() internal pure virtual returns (uint256);

  fallback(bytes calldata input) external payable returns (bytes memory) {
    uint256 fee = _fee(_excess);
    if (input.length == 0) return abi.encode(fee);
    require(input.length == _requestLength(), "bad request length");
    require(msg.value >= fee, "fee too low");

    bytes memory record = abi.encodePacked(msg.sender, input);
    assembly ("memory-safe") {
      log0(add(record, 32), mload(record))
    }
    _accepted += 1;
    return "";
  }

  /// @dev EIP-4844's fake_exponential: factor * e ** (numerator / denominator), in integers.
  function _fee(uint256 excess) private pure returns (uint256) {
    uint256 output = 0;
    uint256 accumulator = MIN_FEE * FEE_UPDATE_FRACTION;
    for (uint256 i = 1; accumulator > 0; ++i) {
      output += accumulator;
      accumulator = (accumulator * excess) / (FEE_UPDATE_FRACTION * i);
    }
    return output / FEE_UPDATE_FRACTION;
  }
}

/// @notice EIP-7002 withdrawal requests: validator pubkey (48) ‖ amount in gwei (uint64 big-endian).
contract WithdrawalRequests is SystemRequestQueue {
  function _requestLength() internal pure override returns (uint256) {
    return 56;
  }
}

/// @notice EIP-7251 consolidation requests: source pubkey (48) ‖ target pubkey (48).
contract ConsolidationRequests is SystemRequestQueue {
  function _requestLength() internal pure override returns (uint256) {
    return 96;
  }
}
