import { OperatorError } from "../lib/errors.ts";

/** A key, point or share that is not what its format requires (wrong length, not on the curve). */
export class InvalidKeyError extends OperatorError {
  override name = "InvalidKeyError";
}

/** Shamir parameters or shares that cannot work together (threshold, x-coordinates, coefficients). */
export class ShamirError extends OperatorError {
  override name = "ShamirError";
}
