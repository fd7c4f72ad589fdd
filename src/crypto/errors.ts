import { OperatorError } from "../lib/errors.ts";

/** A key, point or share that is not what its format requires (wrong length, not on the curve). */
export class InvalidKeyError extends OperatorError {
  override name = "InvalidKeyError";
}

/** A ciphertext that does not decrypt under the given key: tampered, truncated or for someone else. */
export class DecryptionError extends OperatorError {
  override name = "DecryptionError";
}

/** Shamir parameters or shares that cannot work together (threshold, x-coordinates, coefficients). */
export class ShamirError extends OperatorError {
  override name = "ShamirError";
}
