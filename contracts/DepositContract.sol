// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IDepositContract, IERC165} from "./Interfaces.sol";

/**
 * @title DepositContract
 * @notice The beacon chain deposit contract's behaviour, for the devnet: every deposit is checked,
 * announced with a DepositEvent (amount and index as 8-byte little-endian) and appended to an
 * incremental sha256 Merkle tree of depth 32 whose root mixes in the deposit count.
 * Revert reasons are the official contract's strings.
 */
contract DepositContract is IDepositContract, IERC165 {
  uint256 private constant TREE_DEPTH = 32;
  uint256 private constant MAX_DEPOSIT_COUNT = 2 ** TREE_DEPTH - 1;

  /// @dev Left siblings of the next leaf's path, one per level.
  bytes32[TREE_DEPTH] private _branch;
  /// @dev The root of an all-zero subtree of each height.
  bytes32[TREE_DEPTH] private _zeroHashes;
  uint256 private _depositCount;

  constructor() {
    for (uint256 height = 0; height < TREE_DEPTH - 1; ++height) {
      _zeroHashes[height + 1] = sha256(abi.encodePacked(_zeroHashes[height], _zeroHashes[height]));
    }
  }

  /// @notice hash_tree_root of the deposits list: the tree root mixed with the deposit count.
  function get_deposit_root() external view override returns (bytes32) {
    bytes32 node;
    uint256 size = _depositCount;
    for (uint256 height = 0; height < TREE_DEPTH; ++height) {
      if (size & 1 == 1) node = sha256(abi.encodePacked(_branch[height], node));
      else node = sha256(abi.encodePacked(node, _zeroHashes[height]));
      size >>= 1;
    }
    return sha256(abi.encodePacked(node, _littleEndian64(uint64(_depositCount)), bytes24(0)));
  }

  /// @notice The number of deposits as 8 little-endian bytes.
  function get_deposit_count() external view override returns (bytes memory) {
    return _littleEndian64(uint64(_depositCount));
  }

  function deposit(
    bytes calldata pubkey,
    bytes calldata withdrawal_credentials,
    bytes calldata signature,
    bytes32 deposit_data_root
  ) external payable override {
    require(pubkey.length == 48, "DepositContract: invalid pubkey length");
    require(withdrawal_credentials.length == 32, "DepositContract: invalid withdrawal_credentials length");
    require(signature.length == 96, "DepositContract: invalid signature length");
    require(msg.value >= 1 ether, "DepositContract: deposit value too low");
    require(msg.value % 1 gwei == 0, "DepositContract: deposit value not multiple of gwei");
    uint256 amountGwei = msg.value / 1 gwei;
    require(amountGwei <= type(uint64).max, "DepositContract: deposit value too high");

    bytes memory amount = _littleEndian64(uint64(amountGwei));
    emit DepositEvent(
      pubkey,
      withdrawal_credentials,
      amount,
      signature,
      _littleEndian64(uint64(_depositCount))
    );

    bytes32 node = _depositDataRoot(pubkey, withdrawal_credentials, amount, signature);
    require(
      node == deposit_data_root,
      "DepositContract: reconstructed DepositData does not match supplied deposit_data_root"
    );
    require(_depositCount < MAX_DEPOSIT_COUNT, "DepositContract: merkle tree full");
    _insert(node);
  }

  function supportsInterface(bytes4 interfaceId) external pure override returns (bool) {
    return interfaceId == type(IERC165).interfaceId || interfaceId == type(IDepositContract).interfaceId;
  }

  /// @dev hash_tree_root(DepositData{pubkey, withdrawal_credentials, amount, signature}).
  function _depositDataRoot(
    bytes calldata pubkey,
    bytes calldata withdrawalCredentials,
    bytes memory amount,
    bytes calldata signature
  ) private pure returns (bytes32) {
    bytes32 pubkeyRoot = sha256(abi.encodePacked(pubkey, bytes16(0)));
    bytes32 signatureRoot = sha256(
      abi.encodePacked(
        sha256(abi.encodePacked(signature[:64])),
        sha256(abi.encodePacked(signature[64:], bytes32(0)))
      )
    );
    return
      sha256(
        abi.encodePacked(
          sha256(abi.encodePacked(pubkeyRoot, withdrawalCredentials)),
          sha256(abi.encodePacked(amount, bytes24(0), signatureRoot))
        )
      );
  }

  /// @dev Appends a leaf: hashes it up with the stored left siblings until a free slot is found.
  function _insert(bytes32 leaf) private {
    uint256 count = _depositCount + 1;
    _depositCount = count;
    bytes32 node = leaf;
    uint256 size = count;
    for (uint256 height = 0; height < TREE_DEPTH; ++height) {
      if (size & 1 == 1) {
        _branch[height] = node;
        return;
      }
      node = sha256(abi.encodePacked(_branch[height], node));
      size >>= 1;
    }
    // Unreachable: the count is capped below 2^32.
    assert(false);
  }

  function _littleEndian64(uint64 value) private pure returns (bytes memory out) {
    out = new bytes(8);
    for (uint256 i = 0; i < 8; ++i) {
      out[i] = bytes1(uint8(value >> (8 * i)));
    }
  }
}
