import type { WeierstrassPoint } from "@noble/curves/abstract/weierstrass.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { getAddress } from "viem";
import { InvalidKeyError } from "./errors.ts";

export type Secp256k1Point = WeierstrassPoint<bigint>;
export const Secp256k1 = secp256k1.Point;
/** n, the order of the secp256k1 group. */
export const SECP256K1_ORDER: bigint = Secp256k1.Fn.ORDER;

const COORDINATE_BYTES = 32;
export const UNCOMPRESSED_PUBLIC_KEY_LENGTH = 1 + 2 * COORDINATE_BYTES;

/**
 * A secp256k1 public key in any of the spellings the protocol meets: 33-byte compressed,
 * 65-byte uncompressed (0x04 ‖ x ‖ y), or 64-byte x ‖ y — how the oracles config and eth-keys
 * write it. The point is checked to be on the curve.
 */
export function parseSecp256k1PublicKey(bytes: Uint8Array): Secp256k1Point {
  let encoded = bytes;
  if (bytes.length === 2 * COORDINATE_BYTES) {
    encoded = new Uint8Array(UNCOMPRESSED_PUBLIC_KEY_LENGTH);
    encoded[0] = 0x04;
    encoded.set(bytes, 1);
  } else if (bytes.length !== UNCOMPRESSED_PUBLIC_KEY_LENGTH && bytes.length !== 1 + COORDINATE_BYTES) {
    throw new InvalidKeyError(`a secp256k1 public key is 33, 64 or 65 bytes, got ${bytes.length}`);
  }
  try {
    return Secp256k1.fromBytes(encoded);
  } catch (cause) {
    throw new InvalidKeyError("not a point on secp256k1", { cause });
  }
}

/** 0x04 ‖ x ‖ y; free for a point whose Z is already 1 (what noble's multiply returns). */
export function encodeUncompressed(point: Secp256k1Point): Uint8Array {
  const { x, y } = point.toAffine();
  return Buffer.from(
    `04${x.toString(16).padStart(2 * COORDINATE_BYTES, "0")}${y.toString(16).padStart(2 * COORDINATE_BYTES, "0")}`,
    "hex",
  );
}

/** The Ethereum address of a public key: keccak256(x ‖ y)[12:], checksummed (what eth-keys gives). */
export function oracleAddress(publicKey: Uint8Array): `0x${string}` {
  const uncompressed = encodeUncompressed(parseSecp256k1PublicKey(publicKey));
  const hash = keccak_256(uncompressed.subarray(1));
  return getAddress(`0x${Buffer.from(hash.subarray(12)).toString("hex")}`);
}
