// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/**
 * @title MerkleProof
 * @notice Verification of proofs of OpenZeppelin's "standard" Merkle trees: a parent is the
 * keccak256 of its two children sorted ascending; leaves are double-hashed by the caller.
 * Multiproofs follow the same algorithm as OpenZeppelin's multiProofVerify: the proof flags say,
 * for every hash step, whether the second operand is the next known node (true) or the next
 * proof element (false); known nodes are consumed leaves first, then computed hashes.
 */
library MerkleProof {
  /// @notice The multiproof is malformed (its sizes do not add up or it is not fully consumed).
  error MerkleProofInvalidMultiproof();

  function verify(bytes32[] calldata proof, bytes32 root, bytes32 leaf) internal pure returns (bool) {
    bytes32 node = leaf;
    for (uint256 i = 0; i < proof.length; ++i) {
      node = hashPair(node, proof[i]);
    }
    return node == root;
  }

  function multiProofVerify(
    bytes32[] calldata proof,
    bool[] calldata proofFlags,
    bytes32 root,
    bytes32[] memory leaves
  ) internal pure returns (bool) {
    return processMultiProof(proof, proofFlags, leaves) == root;
  }

  function processMultiProof(
    bytes32[] calldata proof,
    bool[] calldata proofFlags,
    bytes32[] memory leaves
  ) internal pure returns (bytes32) {
    uint256 leavesCount = leaves.length;
    uint256 steps = proofFlags.length;
    if (leavesCount + proof.length != steps + 1) revert MerkleProofInvalidMultiproof();

    bytes32[] memory hashes = new bytes32[](steps);
    uint256 leafPosition = 0;
    uint256 hashPosition = 0;
    uint256 proofPosition = 0;
    for (uint256 step = 0; step < steps; ++step) {
      bytes32 a;
      if (leafPosition < leavesCount) {
        a = leaves[leafPosition++];
      } else {
        // A computed hash can only be consumed after it was produced.
        if (hashPosition >= step) revert MerkleProofInvalidMultiproof();
        a = hashes[hashPosition++];
      }
      bytes32 b;
      if (!proofFlags[step]) {
        if (proofPosition >= proof.length) revert MerkleProofInvalidMultiproof();
        b = proof[proofPosition++];
      } else if (leafPosition < leavesCount) {
        b = leaves[leafPosition++];
      } else {
        if (hashPosition >= step) revert MerkleProofInvalidMultiproof();
        b = hashes[hashPosition++];
      }
      hashes[step] = hashPair(a, b);
    }

    if (steps > 0) {
      if (proofPosition != proof.length) revert MerkleProofInvalidMultiproof();
      return hashes[steps - 1];
    }
    return leavesCount > 0 ? leaves[0] : proof[0];
  }

  function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
    return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
  }
}
