import { keccak_256 } from "@noble/hashes/sha3.js";

/**
 * OpenZeppelin StandardMerkleTree proofs as the vault contract and the oracles check them (spec
 * §3.1, §3.3), with @noble/hashes' keccak: leaves are keccak256(keccak256(abi.encode(bytes
 * tx_validator, uint256 index))), inner nodes keccak256 of the sorted pair.
 */

/** The leaf of deposit-data entry `index` whose tx-validator is `txValidator`. */
export function leafHash(txValidator: Uint8Array, index: number): Uint8Array {
  // abi.encode(bytes, uint256): offset of the bytes (0x40), the index, then length and data.
  const encoded = new Uint8Array(96 + Math.ceil(txValidator.length / 32) * 32);
  const view = new DataView(encoded.buffer);
  view.setBigUint64(24, 0x40n);
  view.setBigUint64(56, BigInt(index));
  view.setBigUint64(88, BigInt(txValidator.length));
  encoded.set(txValidator, 96);
  return keccak_256(keccak_256(encoded));
}

function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  const [first, second] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
  const pair = new Uint8Array(64);
  pair.set(first);
  pair.set(second, 32);
  return keccak_256(pair);
}

/** The root a single-leaf proof leads to. */
export function processProof(leaf: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  return proof.reduce(hashPair, leaf);
}

/**
 * The root a multiproof leads to (OpenZeppelin MerkleProof.processMultiProof): each flag says
 * whether a step's second input is the next leaf or computed hash (true) or the next proof node
 * (false). Undefined when the lengths do not fit together.
 */
export function processMultiProof(
  leaves: readonly Uint8Array[],
  proof: readonly Uint8Array[],
  flags: readonly boolean[],
): Uint8Array | undefined {
  if (leaves.length + proof.length !== flags.length + 1) return undefined;
  const hashes: Uint8Array[] = [];
  let leaf = 0;
  let hash = 0;
  let node = 0;
  const next = (): Uint8Array | undefined => (leaf < leaves.length ? leaves[leaf++] : hashes[hash++]);
  for (const flag of flags) {
    const a = next();
    const b = flag ? next() : proof[node++];
    if (!a || !b) return undefined;
    hashes.push(hashPair(a, b));
  }
  if (flags.length > 0) return node === proof.length ? hashes[hashes.length - 1] : undefined;
  return leaves[0] ?? proof[0];
}
