import { OperatorError, UserInputError } from "../../lib/errors.ts";

/** A secret in Vault that does not hold usable validator keys. Never holds a private key. */
export class HashiVaultKeyError extends UserInputError {
  override name = "HashiVaultKeyError";
}

/** Two secrets (or two entries of one) hold the same validator public key. */
export class DuplicateHashiVaultKeyError extends UserInputError {
  override name = "DuplicateHashiVaultKeyError";
}

/** Vault refused a request (HTTP 403): a wrong token or a policy without the capability. */
export class HashiVaultAccessError extends UserInputError {
  override name = "HashiVaultAccessError";
}

/** The path asked for holds no secret (HTTP 404). */
export class HashiVaultNotFoundError extends UserInputError {
  override name = "HashiVaultNotFoundError";
}

/** Vault is unreachable, answered an error status or an answer we cannot read. */
export class HashiVaultRequestError extends OperatorError {
  override name = "HashiVaultRequestError";
}
