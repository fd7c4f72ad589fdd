import { SecretKey } from "@chainsafe/blst";
import { Fr, type RandomSource, randomScalar, scalarToBytes } from "./bls-scalar.ts";
import { ShamirError } from "./errors.ts";
import { evaluatePolynomial } from "./shamir.ts";

/**
 * Shamir shares of a validator's secret key (spec §4.2, the remote-signer key shares of the
 * seeds): f(x) = sk + c_1·x + … + c_{t−1}·x^{t−1} over Fr, share j (0-based, oracle order) is
 * f(j + 1) as a 32-byte big-endian secret key. A share signs like any BLS key, so share j's
 * signature of an exit and its public key are exactly the (σ_j, P_j) pair of spec §4.3: oracles
 * cannot tell the two schemes apart, and any t signature shares recombine to the full signature.
 */
export interface SplitSecretKeyParameters {
  /** 32-byte big-endian secret key. */
  secretKey: Uint8Array;
  /** t: how many shares recover the key. */
  threshold: number;
  /** n: how many shares to make (x = 1 … n). */
  shares: number;
  /** c_1 … c_{t−1}, each in [0, r). Random when omitted; fixed values are for test vectors. */
  coefficients?: readonly bigint[];
  random?: RandomSource;
}

const MAX_SHARES = 255;

export function splitSecretKey(params: SplitSecretKeyParameters): Uint8Array[] {
  const { threshold, shares } = params;
  if (!Number.isInteger(shares) || shares < 1 || shares > MAX_SHARES) {
    throw new ShamirError(`share count ${shares} must be an integer from 1 to ${MAX_SHARES}`);
  }
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
    const values = Array.from({ length: shares }, (_, j) =>
      Fr.add(secret, evaluatePolynomial(coefficients, BigInt(j + 1))),
    );
    // A zero share has no BLS key. With random coefficients that happens with probability n/r:
    // draw another polynomial. Fixed coefficients that give one are a caller error.
    if (values.every((value) => value !== 0n)) return values.map(scalarToBytes);
    if (params.coefficients) throw new ShamirError("the coefficients give a zero share");
  }
}

/** The share keys' public keys (compressed G1), in share order. */
export function shareKeyPublicKeys(shareSecretKeys: readonly Uint8Array[]): Uint8Array[] {
  return shareSecretKeys.map((share) => SecretKey.fromBytes(share).toPublicKey().toBytes(true));
}
