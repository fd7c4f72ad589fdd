import { randomBytes } from "node:crypto";
import { bls12_381_Fr } from "@noble/curves/bls12-381.js";
import { InvalidKeyError } from "./errors.ts";

/**
 * The BLS12-381 scalar field Fr (the order r of G1 and G2): what secret keys, Shamir coefficients
 * and Lagrange coefficients live in.
 */
export const Fr = bls12_381_Fr;
export const BLS_CURVE_ORDER: bigint = Fr.ORDER;

/** Where random bytes come from; tests inject a fixed sequence. */
export type RandomSource = (size: number) => Uint8Array;

const TOP_BIT_CLEAR = 0x7f;

/**
 * A uniform scalar in [0, r) (Python's `secrets.randbelow(r)`): 255-bit candidates, rejected
 * when ≥ r (r ≈ 0.91·2^255, so one draw in eleven is redrawn). Reducing 256 random bits mod r
 * instead would make small values about twice as likely.
 */
export function randomScalar(random: RandomSource = randomBytes): bigint {
  for (;;) {
    const bytes = random(32);
    bytes[0] = (bytes[0] ?? 0) & TOP_BIT_CLEAR;
    const candidate = BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
    if (candidate < BLS_CURVE_ORDER) return candidate;
  }
}

/** A scalar as the 32-byte big-endian string blst reads as a secret key. */
export function scalarToBytes(scalar: bigint): Uint8Array {
  if (scalar < 0n || scalar >= BLS_CURVE_ORDER) throw new InvalidKeyError("scalar is outside [0, r)");
  return new Uint8Array(Buffer.from(scalar.toString(16).padStart(64, "0"), "hex"));
}
