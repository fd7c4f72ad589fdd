// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/**
 * @title Signatures
 * @notice EIP-712 digests and ECDSA recovery for the contracts that check signatures outside the
 * Keeper (vault validators manager, consolidations checker). Every domain here uses the version "1".
 */
library Signatures {
  bytes32 private constant DOMAIN_TYPEHASH =
    keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
  bytes32 private constant VERSION_HASH = keccak256("1");
  /// @dev secp256k1 n / 2: larger s values are the malleable twin of a valid signature.
  uint256 private constant MAX_SIGNATURE_S = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
  /// @dev ERC-1271 isValidSignature(bytes32,bytes) answers this for a good signature.
  bytes4 private constant ERC1271_MAGIC = 0x1626ba7e;

  /// @notice The digest a signer signs: 0x1901 ‖ domain separator ‖ hashStruct.
  function typedDataHash(
    string memory name,
    address verifyingContract,
    bytes32 structHash
  ) internal view returns (bytes32) {
    bytes32 domain = keccak256(
      abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(name)), VERSION_HASH, block.chainid, verifyingContract)
    );
    return keccak256(abi.encodePacked(hex"1901", domain, structHash));
  }

  /// @notice The signer of a 65-byte r ‖ s ‖ v signature, or zero when it recovers to nobody.
  function tryRecover(bytes32 digest, bytes calldata signature) internal pure returns (address) {
    if (signature.length != 65) return address(0);
    bytes32 r = bytes32(signature[0:32]);
    bytes32 s = bytes32(signature[32:64]);
    uint8 v = uint8(signature[64]);
    if (uint256(s) > MAX_SIGNATURE_S) return address(0);
    return ecrecover(digest, v, r, s);
  }

  /**
   * @notice Whether `signer` signed the digest: ECDSA for an account without code, ERC-1271 for a
   * contract (a multisig may be a validators manager).
   */
  function isValidSignatureNow(
    address signer,
    bytes32 digest,
    bytes calldata signature
  ) internal view returns (bool) {
    if (signer.code.length == 0) {
      address recovered = tryRecover(digest, signature);
      return recovered != address(0) && recovered == signer;
    }
    (bool ok, bytes memory result) = signer.staticcall(
      abi.encodeWithSelector(ERC1271_MAGIC, digest, signature)
    );
    return ok && result.length >= 32 && bytes32(result) == bytes32(ERC1271_MAGIC);
  }
}
