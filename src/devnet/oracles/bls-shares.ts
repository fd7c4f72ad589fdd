import { pippenger } from "@noble/curves/abstract/curve.js";
import { bls12_381 } from "@noble/curves/bls12-381.js";

/**
 * The devnet oracles' BLS12-381 checks, in pure JS with @noble/curves: a library the operator
 * does not sign or split with (it uses blst), so a mistake in how the operator hashes, signs,
 * splits or combines shows here as a refusal instead of agreeing with itself.
 */

/** Ethereum's proof-of-possession ciphersuite (consensus specs, BLS signatures). */
const POP_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
const { longSignatures: bls, G1, G2 } = bls12_381;
const { Fr } = bls12_381.fields;
type G2Point = ReturnType<typeof bls.hash>;

export interface BlsVerifier {
  /**
   * bls.Verify(pubkey, message, signature): both decode to points of their subgroup, the key is
   * not the identity, and the pairing equation holds. Malformed input is invalid, never a throw.
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /**
   * Whether the public-key shares P_1 … P_n (x = 1 … n) and the validator key P (x = 0) lie on
   * one polynomial of degree below `threshold` (spec §4.3), so that any `threshold` shares
   * interpolate to P.
   */
  sharesInterpolate(shares: readonly Uint8Array[], threshold: number, publicKey: Uint8Array): boolean;
}

/**
 * A verifier that remembers its recent answers and hashed messages: pure JS pays 13 ms for a
 * hash_to_G2 and 22 ms for a pairing, and every oracle of a committee checks the same deposit
 * signatures and public-key shares of a request (each decrypts and verifies only its own shard).
 * Bounded: each table is emptied when full.
 */
export function createBlsVerifier(maxEntries = 1024): BlsVerifier {
  const hashes = boundedTable<G2Point>(maxEntries);
  const verdicts = boundedTable<boolean>(maxEntries);
  const verifyOnce = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean => {
    try {
      const key = G1.Point.fromBytes(publicKey);
      if (key.is0()) return false;
      const hashed = hashes.get(hexOf(message), () => bls.hash(message, POP_DST));
      return bls.verify(bls.Signature.fromBytes(signature), hashed, key);
    } catch {
      return false;
    }
  };
  return {
    verify: (publicKey, message, signature) =>
      verdicts.get(`verify:${hexOf(publicKey, message, signature)}`, () =>
        verifyOnce(publicKey, message, signature),
      ),
    sharesInterpolate: (shares, threshold, publicKey) =>
      verdicts.get(`interpolate:${threshold}:${hexOf(publicKey, ...shares)}`, () =>
        sharesInterpolate(shares, threshold, publicKey),
      ),
  };
}

function hexOf(...parts: readonly Uint8Array[]): string {
  return parts.map((part) => Buffer.from(part).toString("hex")).join(":");
}

/** A map that forgets everything when it reaches `max` entries. */
function boundedTable<T>(max: number) {
  const table = new Map<string, T>();
  return {
    get(key: string, compute: () => T): T {
      if (table.has(key)) return table.get(key) as T;
      if (table.size >= max) table.clear();
      const value = compute();
      table.set(key, value);
      return value;
    },
  };
}

/**
 * sharesInterpolate without memory: for points at consecutive x, they lie on a polynomial of
 * degree below t exactly when every t-th forward difference is the identity,
 * Σ_{i=0…t} (−1)^(t−i)·C(t, i)·P_(k+i) = O for k = 0 … n − t.
 */
export function sharesInterpolate(
  shares: readonly Uint8Array[],
  threshold: number,
  publicKey: Uint8Array,
): boolean {
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > shares.length) return false;
  let points: ReturnType<typeof G1.Point.fromBytes>[];
  try {
    points = [publicKey, ...shares].map((bytes) => G1.Point.fromBytes(bytes));
  } catch {
    return false;
  }
  const binomials = [1n];
  for (let i = 1; i <= threshold; i++) {
    binomials.push(((binomials[i - 1] as bigint) * BigInt(threshold - i + 1)) / BigInt(i));
  }
  for (let k = 0; k + threshold < points.length; k++) {
    let difference = G1.Point.ZERO;
    for (let i = 0; i <= threshold; i++) {
      const term = (points[k + i] as (typeof points)[number]).multiplyUnsafe(binomials[i] as bigint);
      difference = (threshold - i) % 2 === 0 ? difference.add(term) : difference.subtract(term);
    }
    if (!difference.is0()) return false;
  }
  return true;
}

/** σ = Σ λ_i·σ_i, λ_i = Π_{j≠i} x_j / (x_j − x_i): the signature at x = 0 from shares at x_i. */
export function combineSignatureShares(
  shares: ReadonlyArray<{ x: number; signature: Uint8Array }>,
): Uint8Array {
  const xs = shares.map((share) => BigInt(share.x));
  const weights = xs.map((xi, i) => {
    let numerator = 1n;
    let denominator = 1n;
    xs.forEach((xj, j) => {
      if (j === i) return;
      numerator = Fr.mul(numerator, xj);
      denominator = Fr.mul(denominator, Fr.sub(xj, xi));
    });
    return Fr.div(numerator, denominator);
  });
  const points = shares.map((share) => bls.Signature.fromBytes(share.signature));
  return bls.Signature.toBytes(pippenger(G2.Point, points, weights));
}
