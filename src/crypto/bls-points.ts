import { PublicKey, Signature } from "@chainsafe/blst";
import type { Fp2 } from "@noble/curves/abstract/tower.js";
import type { WeierstrassPoint } from "@noble/curves/abstract/weierstrass.js";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { InvalidKeyError } from "./errors.ts";

/**
 * BLS12-381 points in both libraries. blst (native) parses, validates, signs, adds and verifies;
 * noble (pure JS) does what blst's API cannot: multiplying a point by an arbitrary scalar, which
 * Lagrange interpolation needs. Points cross over as uncompressed coordinates that blst has
 * already validated, so noble never repeats the square root and subgroup check (3 ms for G2).
 */
export type G1Point = WeierstrassPoint<bigint>;
export type G2Point = WeierstrassPoint<Fp2>;
export const G1 = bls12_381.G1.Point;
export const G2 = bls12_381.G2.Point;

const FP_BYTES = 48;
export const PUBLIC_KEY_LENGTH = FP_BYTES;
export const SIGNATURE_LENGTH = 2 * FP_BYTES;

/** A compressed G1 public key: on the curve, in the subgroup, not the identity. */
export function parsePublicKey(bytes: Uint8Array): PublicKey {
  if (bytes.length !== PUBLIC_KEY_LENGTH) {
    throw new InvalidKeyError(`a BLS public key is ${PUBLIC_KEY_LENGTH} bytes, got ${bytes.length}`);
  }
  try {
    return PublicKey.fromBytes(bytes, true);
  } catch (cause) {
    throw new InvalidKeyError("not a valid BLS public key (G1 point)", { cause });
  }
}

/** A compressed G2 signature: on the curve, in the subgroup, not the identity. */
export function parseSignature(bytes: Uint8Array): Signature {
  if (bytes.length !== SIGNATURE_LENGTH) {
    throw new InvalidKeyError(`a BLS signature is ${SIGNATURE_LENGTH} bytes, got ${bytes.length}`);
  }
  try {
    return Signature.fromBytes(bytes, true);
  } catch (cause) {
    throw new InvalidKeyError("not a valid BLS signature (G2 point)", { cause });
  }
}

// Uncompressed ZCash encoding: the three top bits of the first byte are flags (all zero for a
// finite point); field elements are big-endian, Fp2 as c1 ‖ c0.
function fieldElement(bytes: Uint8Array, offset: number): bigint {
  const slice = Buffer.from(bytes.buffer, bytes.byteOffset + offset, FP_BYTES);
  const value = BigInt(`0x${slice.toString("hex")}`);
  return offset === 0 ? value & ((1n << 381n) - 1n) : value;
}

export function g1FromBlst(key: PublicKey): G1Point {
  const raw = key.toBytes(false);
  return G1.fromAffine({ x: fieldElement(raw, 0), y: fieldElement(raw, FP_BYTES) });
}

export function g2FromBlst(signature: Signature): G2Point {
  const raw = signature.toBytes(false);
  const fp2 = (offset: number): Fp2 => ({
    c1: fieldElement(raw, offset),
    c0: fieldElement(raw, offset + FP_BYTES),
  });
  return G2.fromAffine({ x: fp2(0), y: fp2(2 * FP_BYTES) });
}

/** Parses and validates with blst, then hands the point to noble. */
export function g1FromBytes(bytes: Uint8Array): G1Point {
  return g1FromBlst(parsePublicKey(bytes));
}

export function g2FromBytes(bytes: Uint8Array): G2Point {
  return g2FromBlst(parseSignature(bytes));
}
