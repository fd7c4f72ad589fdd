// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";

/**
 * @title ValidatorBytes
 * @notice The byte layouts of today's vaults' validator lists. A registration or top-up entry is
 * pubkey (48) ‖ signature (96) ‖ deposit_data_root (32) for 0x01 validators of 32 ETH (176 bytes),
 * followed by the amount in gwei as a big-endian uint64 for 0x02 validators (184 bytes). A list
 * holds entries of one kind; a length that divides both (or neither) is refused.
 */
library ValidatorBytes {
  uint256 internal constant V1_LENGTH = 176;
  uint256 internal constant V2_LENGTH = 184;
  uint256 internal constant WITHDRAWAL_LENGTH = 56;
  uint256 internal constant CONSOLIDATION_LENGTH = 96;
  uint256 internal constant MIN_EFFECTIVE_BALANCE = 32 ether;
  uint256 internal constant MAX_EFFECTIVE_BALANCE = 2048 ether;

  /// @notice True for a list of 176-byte (0x01) entries, false for 184-byte (0x02) ones.
  function isV1List(uint256 length) internal pure returns (bool) {
    bool v1 = length % V1_LENGTH == 0;
    bool v2 = length % V2_LENGTH == 0;
    if (length == 0 || v1 == v2) revert Errors.InvalidValidators();
    return v1;
  }

  /// @notice The wei a registration entry deposits: 32 ETH for 0x01, its gwei field for 0x02.
  function depositAmount(bytes calldata entry, bool v1) internal pure returns (uint256) {
    return v1 ? MIN_EFFECTIVE_BALANCE : uint256(uint64(bytes8(entry[176:184]))) * 1 gwei;
  }

  /// @notice Withdrawal credentials pointing at `vault`: 0x01 or 0x02 ‖ 11 zero bytes ‖ address.
  function withdrawalCredentials(bool v1, address vault) internal pure returns (bytes memory) {
    return abi.encodePacked(v1 ? bytes1(0x01) : bytes1(0x02), bytes11(0), vault);
  }

  /// @notice How many `entryLength`-byte entries the list holds; reverts unless a positive whole number.
  function count(bytes calldata list, uint256 entryLength) internal pure returns (uint256 entries) {
    entries = list.length / entryLength;
    if (entries == 0 || list.length % entryLength != 0) revert Errors.InvalidValidators();
  }
}
