import {
  aggregatePublicKeys,
  aggregateSignatures,
  type PublicKey,
  SecretKey,
  type Signature,
  verify,
} from "@chainsafe/blst";
import { mulAddUnsafe } from "@noble/curves/abstract/curve.js";
import {
  G1,
  type G1Point,
  G2,
  g1FromBlst,
  g1FromBytes,
  g2FromBytes,
  parsePublicKey,
  parseSignature,
} from "./bls-points.ts";
import { BLS_CURVE_ORDER, Fr, type RandomSource, randomScalar, scalarToBytes } from "./bls-scalar.ts";
import { InvalidKeyError, ShamirError } from "./errors.ts";

/**
 * Shamir sharing of a BLS signature and its public key (spec §4.3, operator v1.1.0+).
 *
 * With f(x) = c_1·x + … + c_{t−1}·x^{t−1} over Fr (c_i uniform), share j (x_j = j + 1) is
 *   σ_j = σ + f(x_j)·H(m)   (G2)      P_j = P + f(x_j)·G1   (G1)
 * so σ_j is a signature of m under P_j, and any t shares give back σ and P by Lagrange
 * interpolation at 0, while t − 1 shares say nothing about them.
 *
 * How it is computed: blst has no "scalar × arbitrary point", but d·H(m) is exactly blst's
 * signature of m under the secret key d, and d·G1 is that key's public key. In Newton's form
 * f(x) = Σ_k Δ^k f(0)·C(x, k), so with D_k = Δ^k f(0)·H(m) (t − 1 native signatures) the
 * values σ + f(x)·H(m) for x = 1, 2, … follow from a forward-difference table with t − 1 point
 * additions per share, no multiplications. The same runs in G1. Per validator: t − 1 signatures,
 * t − 1 key derivations and 2·n·(t − 1) native additions, versus one 255-bit G2 multiplication
 * in pure JS (10 ms) per coefficient.
 */

export interface SplitSignatureParameters {
  /** σ: the full signature of `message` (compressed 96 bytes, or a blst point). */
  signature: Uint8Array | Signature;
  /** P: the public key σ verifies under (compressed 48 bytes, or a blst point). */
  publicKey: Uint8Array | PublicKey;
  /** m: the signed message (for exits, the signing root); H(m) uses Ethereum's POP ciphersuite. */
  message: Uint8Array;
  /** t: how many shares recover the signature. */
  threshold: number;
  /** n: how many shares to make (x = 1 … n). */
  shares: number;
  /** c_1 … c_{t−1}, each in [0, r). Random when omitted; fixed values are for test vectors. */
  coefficients?: readonly bigint[];
  random?: RandomSource;
}

export interface SignatureShare {
  x: number;
  /** σ_j, compressed G2 (96 bytes). */
  signature: Uint8Array;
}

export interface PublicKeyShare {
  x: number;
  /** P_j, compressed G1 (48 bytes). */
  publicKey: Uint8Array;
}

export type Share = SignatureShare & PublicKeyShare;

/** Shares must fit small x-coordinates; 255 is far beyond any oracle set. */
const MAX_SHARES = 255;

function checkThreshold(threshold: number, shares: number): void {
  if (!Number.isInteger(shares) || shares < 1 || shares > MAX_SHARES) {
    throw new ShamirError(`share count ${shares} must be an integer from 1 to ${MAX_SHARES}`);
  }
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > shares) {
    throw new ShamirError(`threshold ${threshold} must be an integer from 1 to the share count ${shares}`);
  }
}

function polynomialCoefficients(params: SplitSignatureParameters): readonly bigint[] {
  const degree = params.threshold - 1;
  if (params.coefficients === undefined) {
    return Array.from({ length: degree }, () => randomScalar(params.random));
  }
  if (params.coefficients.length !== degree) {
    throw new ShamirError(
      `threshold ${params.threshold} needs ${degree} coefficients, got ${params.coefficients.length}`,
    );
  }
  for (const c of params.coefficients) {
    if (c < 0n || c >= BLS_CURVE_ORDER) throw new ShamirError("a coefficient is outside [0, r)");
  }
  return params.coefficients;
}

/** f(x) = Σ c_i·x^i (i ≥ 1) by Horner's rule, in Fr. */
export function evaluatePolynomial(coefficients: readonly bigint[], x: bigint): bigint {
  let value = 0n;
  for (let i = coefficients.length - 1; i >= 0; i--) value = Fr.mul(Fr.add(value, coefficients[i] ?? 0n), x);
  return value;
}

/** Δ^k f(0) for k = 1 … deg f, where f(0) = 0: the Newton-form coefficients of f. */
export function forwardDifferencesAtZero(coefficients: readonly bigint[]): bigint[] {
  let row = Array.from({ length: coefficients.length + 1 }, (_, x) =>
    evaluatePolynomial(coefficients, BigInt(x)),
  );
  const differences: bigint[] = [];
  while (row.length > 1) {
    row = row.slice(1).map((value, i) => Fr.sub(value, row[i] ?? 0n));
    differences.push(row[0] ?? 0n);
  }
  return differences;
}

// A zero scalar has no blst secret key: its point is the identity, kept as null and skipped.
function addSignatures(a: Signature | null, b: Signature | null): Signature | null {
  if (a === null) return b;
  if (b === null) return a;
  return aggregateSignatures([a, b], false);
}

function addPublicKeys(a: PublicKey | null, b: PublicKey | null): PublicKey | null {
  if (a === null) return b;
  if (b === null) return a;
  return aggregatePublicKeys([a, b], false);
}

/** The compressed encoding's infinity flag (bit 6 of the first byte). */
function isInfinity(compressed: Uint8Array): boolean {
  return ((compressed[0] ?? 0) & 0x40) !== 0;
}

/** Signature and public-key shares for x = 1 … n, in that order. */
export function splitSignature(params: SplitSignatureParameters): Share[] {
  checkThreshold(params.threshold, params.shares);
  const coefficients = polynomialCoefficients(params);
  const signature =
    params.signature instanceof Uint8Array ? parseSignature(params.signature) : params.signature;
  const publicKey =
    params.publicKey instanceof Uint8Array ? parsePublicKey(params.publicKey) : params.publicKey;

  // Forward-difference tables at x = 0: [σ, D_1, …, D_{t−1}] and [P, E_1, …, E_{t−1}].
  const g2: (Signature | null)[] = [signature];
  const g1: (PublicKey | null)[] = [publicKey];
  for (const d of forwardDifferencesAtZero(coefficients)) {
    const key = d === 0n ? null : SecretKey.fromBytes(scalarToBytes(d));
    g2.push(key?.sign(params.message) ?? null);
    g1.push(key?.toPublicKey() ?? null);
  }

  const shares: Share[] = [];
  for (let x = 1; x <= params.shares; x++) {
    // One step of the table: entry i becomes entry i plus (the old) entry i + 1.
    for (let i = 0; i < g2.length - 1; i++) {
      g2[i] = addSignatures(g2[i] ?? null, g2[i + 1] ?? null);
      g1[i] = addPublicKeys(g1[i] ?? null, g1[i + 1] ?? null);
    }
    const signatureShare = g2[0]?.toBytes(true);
    const publicKeyShare = g1[0]?.toBytes(true);
    // σ_j = O needs f(x_j) = −sk: a 2^-255 event, but never hand out a share that cannot verify.
    if (!signatureShare || !publicKeyShare || isInfinity(signatureShare) || isInfinity(publicKeyShare)) {
      throw new ShamirError("a share is the point at infinity: split again");
    }
    shares.push({ x, signature: signatureShare, publicKey: publicKeyShare });
  }
  return shares;
}

/**
 * An x-coordinate of a share: small numbers for the oracles' shares and Obol nodes (1 … n), SSV
 * operator ids (uint64, not contiguous) as bigints.
 */
export type ShareX = number | bigint;

function checkXs(xs: readonly ShareX[]): bigint[] {
  if (xs.length === 0) throw new ShamirError("no shares to combine");
  const seen = new Set<bigint>();
  return xs.map((x) => {
    if (typeof x === "number" && !Number.isSafeInteger(x)) {
      throw new ShamirError(`share x-coordinate ${x} must be an integer ≥ 1`);
    }
    const point = BigInt(x);
    if (point < 1n || point >= BLS_CURVE_ORDER) {
      throw new ShamirError(`share x-coordinate ${x} must be ≥ 1 and below the curve order`);
    }
    if (seen.has(point)) throw new ShamirError(`share x-coordinate ${x} appears twice`);
    seen.add(point);
    return point;
  });
}

/** λ_i = Π_{j≠i} x_j / (x_j − x_i) mod r: the weights that interpolate at x = 0. */
export function lagrangeCoefficientsAtZero(xs: readonly ShareX[]): bigint[] {
  const points = checkXs(xs);
  return points.map((xi, i) => {
    let numerator = 1n;
    let denominator = 1n;
    points.forEach((xj, j) => {
      if (j === i) return;
      numerator = Fr.mul(numerator, xj);
      denominator = Fr.mul(denominator, Fr.sub(xj, xi));
    });
    return Fr.div(numerator, denominator);
  });
}

/**
 * σ = Σ λ_i·σ_i over the given shares (their count is the threshold the caller trusts). The
 * x-coordinates may be any distinct non-zero values (SSV operator ids), not only 1 … n.
 */
export function combineSignatureShares(shares: readonly { x: ShareX; signature: Uint8Array }[]): Uint8Array {
  const lambdas = lagrangeCoefficientsAtZero(shares.map((s) => s.x));
  const points = shares.map((s) => g2FromBytes(s.signature));
  const combined = mulAddUnsafe(G2, points, lambdas);
  if (combined.is0()) throw new ShamirError("the shares combine to the point at infinity");
  return combined.toBytes(true);
}

/** P = Σ λ_i·P_i over the given shares (any distinct non-zero x-coordinates). */
export function combinePublicKeyShares(shares: readonly { x: ShareX; publicKey: Uint8Array }[]): Uint8Array {
  const lambdas = lagrangeCoefficientsAtZero(shares.map((s) => s.x));
  const points = shares.map((s) => g1FromBytes(s.publicKey));
  const combined = mulAddUnsafe(G1, points, lambdas);
  if (combined.is0()) throw new ShamirError("the shares combine to the point at infinity");
  return combined.toBytes(true);
}

/** Whether σ_j is a valid signature of `message` under P_j (false for malformed points too). */
export function verifySignatureShare(message: Uint8Array, share: Omit<Share, "x">): boolean {
  try {
    return verify(message, parsePublicKey(share.publicKey), parseSignature(share.signature));
  } catch (error) {
    if (error instanceof InvalidKeyError) return false;
    throw error;
  }
}

function binomial(n: number, k: number): bigint {
  let value = 1n;
  for (let i = 1; i <= k; i++) value = (value * BigInt(n - k + i)) / BigInt(i);
  return value;
}

/**
 * Whether P, P_1, …, P_n (x = 0 … n) lie on one polynomial of degree ≤ t − 1 — exactly when every
 * t of the shares interpolate to P. A sequence at consecutive x is such a polynomial iff all its
 * t-th forward differences vanish: Σ_i (−1)^(t−i)·C(t, i)·P_{s+i} = O for s = 0 … n − t. The
 * weights are small integers, so each check costs a few point doublings, not a 255-bit product.
 * Malformed or off-subgroup points make it false.
 */
export function publicKeySharesConsistent(
  publicKey: Uint8Array | PublicKey,
  shares: readonly Uint8Array[],
  threshold: number,
): boolean {
  checkThreshold(threshold, shares.length);
  let points: G1Point[];
  try {
    const key = publicKey instanceof Uint8Array ? parsePublicKey(publicKey) : publicKey;
    points = [g1FromBlst(key), ...shares.map(g1FromBytes)];
  } catch (error) {
    if (error instanceof InvalidKeyError) return false;
    throw error;
  }
  const weights = Array.from({ length: threshold + 1 }, (_, i) => binomial(threshold, i));
  for (let start = 0; start + threshold < points.length; start++) {
    const window = points
      .slice(start, start + threshold + 1)
      .map((point, i) => ((threshold - i) % 2 === 1 ? point.negate() : point));
    if (!mulAddUnsafe(G1, window, weights).is0()) return false;
  }
  return true;
}
