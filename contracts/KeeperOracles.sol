// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {Ownable} from "./Ownable.sol";

/**
 * @title KeeperOracles
 * @notice The owner-managed oracle set, the oracles' config pointer and the check of oracle
 * signatures over EIP-712 messages in the domain {name "KeeperOracles", version "1", chainId,
 * verifyingContract = this}. A message is accepted when the first `required` 65-byte signatures
 * of the concatenation recover to oracles in strictly increasing address order.
 */
abstract contract KeeperOracles is Ownable {
  uint256 internal constant SIGNATURE_LENGTH = 65;
  uint256 private constant MAX_ORACLES = 30;
  bytes32 private constant DOMAIN_TYPEHASH =
    keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
  bytes32 private constant NAME_HASH = keccak256("KeeperOracles");
  bytes32 private constant VERSION_HASH = keccak256("1");
  /// @dev secp256k1 n / 2: larger s values are the malleable twin of a valid signature.
  uint256 private constant MAX_SIGNATURE_S = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

  mapping(address => bool) public isOracle;
  uint256 public totalOracles;

  event OracleAdded(address indexed oracle);
  event OracleRemoved(address indexed oracle);
  event ConfigUpdated(string configIpfsHash);

  error ECDSAInvalidSignature();
  error ECDSAInvalidSignatureS(bytes32 s);

  function addOracle(address oracle) external onlyOwner {
    _addOracle(oracle);
  }

  function removeOracle(address oracle) external onlyOwner {
    if (!isOracle[oracle]) revert Errors.AlreadyRemoved();
    isOracle[oracle] = false;
    totalOracles -= 1;
    emit OracleRemoved(oracle);
  }

  /// @notice Publishes the IPFS hash of the oracles' config (endpoints, public keys, limits).
  function updateConfig(string calldata configIpfsHash) external onlyOwner {
    emit ConfigUpdated(configIpfsHash);
  }

  /// @notice EIP-5267: the fields of the EIP-712 domain oracles sign in.
  function eip712Domain()
    external
    view
    returns (
      bytes1 fields,
      string memory name,
      string memory version,
      uint256 chainId,
      address verifyingContract,
      bytes32 salt,
      uint256[] memory extensions
    )
  {
    return (hex"0f", "KeeperOracles", "1", block.chainid, address(this), bytes32(0), new uint256[](0));
  }

  function _addOracle(address oracle) internal {
    if (oracle == address(0)) revert Errors.ZeroAddress();
    if (isOracle[oracle]) revert Errors.AlreadyAdded();
    uint256 total = totalOracles + 1;
    if (total > MAX_ORACLES) revert Errors.MaxOraclesExceeded();
    isOracle[oracle] = true;
    totalOracles = total;
    emit OracleAdded(oracle);
  }

  /**
   * @dev Reverts unless the first `required` signatures are by distinct oracles sorted by address.
   * @param structHash The EIP-712 hashStruct of the signed message
   */
  function _verifySignatures(uint256 required, bytes32 structHash, bytes calldata signatures) internal view {
    if (required == 0) revert Errors.InvalidOracles();
    if (signatures.length < required * SIGNATURE_LENGTH) revert Errors.NotEnoughSignatures();

    bytes32 digest = keccak256(abi.encodePacked(hex"1901", _domainSeparator(), structHash));
    address previous = address(0);
    for (uint256 i = 0; i < required; ++i) {
      uint256 start = i * SIGNATURE_LENGTH;
      address signer = _recover(digest, signatures[start:start + SIGNATURE_LENGTH]);
      if (signer <= previous || !isOracle[signer]) revert Errors.InvalidOracle();
      previous = signer;
    }
  }

  function _domainSeparator() private view returns (bytes32) {
    return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
  }

  /// @dev ecrecover of an r ‖ s ‖ v signature, rejecting malleable and unrecoverable ones.
  function _recover(bytes32 digest, bytes calldata signature) private pure returns (address signer) {
    bytes32 r = bytes32(signature[0:32]);
    bytes32 s = bytes32(signature[32:64]);
    uint8 v = uint8(signature[64]);
    if (uint256(s) > MAX_SIGNATURE_S) revert ECDSAInvalidSignatureS(s);
    signer = ecrecover(digest, v, r, s);
    if (signer == address(0)) revert ECDSAInvalidSignature();
  }
}
