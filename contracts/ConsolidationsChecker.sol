// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {Signatures} from "./Signatures.sol";

interface IKeeperOracleSet {
  function isOracle(address oracle) external view returns (bool);

  function validatorsMinOracles() external view returns (uint256);
}

/**
 * @title ConsolidationsChecker
 * @notice The oracles' approval of a vault's consolidations: EIP-712 `ConsolidationsChecker(address
 * vault,bytes validators)` in the domain {"ConsolidationsChecker", "1", chainId, this}, signed by
 * at least the Keeper's validatorsMinOracles oracles; the first that many 65-byte signatures of
 * the concatenation must recover to oracles in strictly increasing address order.
 */
contract ConsolidationsChecker {
  uint256 private constant SIGNATURE_LENGTH = 65;
  bytes32 private constant CONSOLIDATIONS_CHECKER_TYPEHASH =
    keccak256("ConsolidationsChecker(address vault,bytes validators)");

  IKeeperOracleSet private immutable _keeper;

  /// @dev A signature that recovers to nobody (bad length, malleable s, or no signer).
  error ECDSAInvalidSignature();

  constructor(address keeper) {
    _keeper = IKeeperOracleSet(keeper);
  }

  function verifySignatures(address vault, bytes calldata validators, bytes calldata signatures) external view {
    if (!isValidSignatures(vault, validators, signatures)) revert Errors.InvalidSignatures();
  }

  function isValidSignatures(
    address vault,
    bytes calldata validators,
    bytes calldata signatures
  ) public view returns (bool) {
    uint256 required = _keeper.validatorsMinOracles();
    uint256 length = signatures.length;
    if (required == 0 || length == 0 || length % SIGNATURE_LENGTH != 0 || length < required * SIGNATURE_LENGTH) {
      return false;
    }
    bytes32 digest = Signatures.typedDataHash(
      "ConsolidationsChecker",
      address(this),
      keccak256(abi.encode(CONSOLIDATIONS_CHECKER_TYPEHASH, vault, keccak256(validators)))
    );
    address previous = address(0);
    for (uint256 i = 0; i < required; ++i) {
      address signer = Signatures.tryRecover(digest, signatures[i * SIGNATURE_LENGTH:(i + 1) * SIGNATURE_LENGTH]);
      // The protocol's ECDSA.recover reverts on an unrecoverable signature rather than answering false.
      if (signer == address(0)) revert ECDSAInvalidSignature();
      if (signer <= previous || !_keeper.isOracle(signer)) return false;
      previous = signer;
    }
    return true;
  }

  /// @notice EIP-5267: the fields of the EIP-712 domain the oracles sign in.
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
    return (hex"0f", "ConsolidationsChecker", "1", block.chainid, address(this), bytes32(0), new uint256[](0));
  }
}
