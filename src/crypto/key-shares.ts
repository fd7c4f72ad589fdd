import { SecretKey } from "@chainsafe/blst";
import { BLS_CURVE_ORDER, Fr, type RandomSource, randomScalar, scalarToBytes } from "./bls-scalar.ts";
import { ShamirError } from "./errors.ts";
import { evaluatePolynomial } from "./shamir.ts";

/**
 * Shamir shares of a validator's secret key (spec §4.2, the remote-signer key shares of the
 * seeds): f(x) = sk + c_1·x + … + c_{t−1}·x^{t−1} over Fr, share j (0-based, oracle order) is
 * f(j + 1) as a 32-byte big-endian secret key; with `xCoordinates` (SSV: the operator ids) share
 * j is f(xCoordinates[j]). A share signs like any BLS key, so share j's
 * signature of an exit and its public key are exactly the (σ_j, P_j) pair of spec §4.3: oracles
 * cannot tell the two schemes apart, and any t signature shares recombine to the full signature.
 */
export interface SplitSecretKeyParameters {
  /** 32-byte big-endian secret key. */
  secretKey: Uint8Array;
  /** t: how many shares recover the key. */
  threshold: number;
  /** n: how many shares to make (x = 1 … n). Leave out when `xCoordinates` are given. */
  shares?: number;
  /** Where to evaluate f instead of 1 … n: distinct, each in [1, r) (x = 0 would be the secret). */
  xCoordinates?: readonly bigint[];
  /** c_1 … c_{t−1}, each in [0, r). Random when omitted; fixed values are for test vectors. */
  coefficients?: readonly bigint[];
  random?: RandomSource;
}

const MAX_SHARES = 255;

export function splitSecretKey(params: SplitSecretKeyParameters): Uint8Array[] {
  const { threshold } = params;
  const xs = shareXCoordinates(params);
  const shares = xs.length;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > shares) {
    throw new ShamirError(`threshold ${threshold} must be an integer from 1 to the share count ${shares}`);
  }
  const secret = Fr.fromBytes(params.secretKey);
  if (secret === 0n) throw new ShamirError("the secret key is zero");
  for (;;) {
    const coefficients =
      params.coefficients ?? Array.from({ length: threshold - 1 }, () => randomScalar(params.random));
    if (coefficients.length !== threshold - 1) {
      throw new ShamirError(
        `threshold ${threshold} needs ${threshold - 1} coefficients, got ${coefficients.length}`,
      );
    }
    const values = xs.map((x) => Fr.add(secret, evaluatePolynomial(coefficients, x)));
    // A zero share has no BLS key. With random coefficients that happens with probability n/r:
    // draw another polynomial. Fixed coefficients that give one are a caller error.
    if (values.every((value) => value !== 0n)) return values.map(scalarToBytes);
    if (params.coefficients) throw new ShamirError("the coefficients give a zero share");
  }
}

function shareXCoordinates(params: SplitSecretKeyParameters): readonly bigint[] {
  const { shares, xCoordinates } = params;
  if (xCoordinates === undefined) {
    if (shares === undefined || !Number.isInteger(shares) || shares < 1 || shares > MAX_SHARES) {
      throw new ShamirError(`share count ${shares} must be an integer from 1 to ${MAX_SHARES}`);
    }
    return Array.from({ length: shares }, (_, j) => BigInt(j + 1));
  }
  if (shares !== undefined && shares !== xCoordinates.length) {
    throw new ShamirError(`share count ${shares} differs from the ${xCoordinates.length} x-coordinates`);
  }
  if (xCoordinates.length < 1) throw new ShamirError("no x-coordinates to make shares at");
  const seen = new Set<bigint>();
  for (const x of xCoordinates) {
    if (x < 1n || x >= BLS_CURVE_ORDER) throw new ShamirError(`share x-coordinate ${x} must be in [1, r)`);
    if (seen.has(x)) throw new ShamirError(`share x-coordinate ${x} appears twice`);
    seen.add(x);
  }
  return xCoordinates;
}

/** The share keys' public keys (compressed G1), in share order. */
export function shareKeyPublicKeys(shareSecretKeys: readonly Uint8Array[]): Uint8Array[] {
  return shareSecretKeys.map((share) => SecretKey.fromBytes(share).toPublicKey().toBytes(true));
}
