import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { getAddress, isAddress } from "viem";
import { InvalidOwnerError } from "./errors.ts";

/**
 * The proof that a validator key's holder registers it for one owner once (spec B.5.4): the BLS
 * signature, under the validator key and Ethereum's POP ciphersuite, of
 * keccak256(utf8("<EIP-55 owner>:<owner nonce>")). SSV nodes drop a share whose proof fails.
 */
export function ownershipMessage(owner: string, nonce: bigint | number): Uint8Array {
  if (!isAddress(owner, { strict: false })) {
    throw new InvalidOwnerError(`SSV cluster owner ${owner} is not an Ethereum address`);
  }
  if ((typeof nonce === "number" && !Number.isSafeInteger(nonce)) || nonce < 0) {
    throw new InvalidOwnerError(`SSV owner nonce ${nonce} must be a whole number ≥ 0`);
  }
  return keccak_256(new TextEncoder().encode(`${getAddress(owner.toLowerCase())}:${BigInt(nonce)}`));
}

/** Whether `signature` (96 bytes) proves ownership of `publicKey` (48 bytes) for (owner, nonce). */
export function verifyOwnershipProof(
  signature: Uint8Array,
  publicKey: Uint8Array,
  owner: string,
  nonce: bigint | number,
): boolean {
  const message = ownershipMessage(owner, nonce);
  try {
    return verify(message, PublicKey.fromBytes(publicKey, true), Signature.fromBytes(signature, true));
  } catch {
    return false;
  }
}
