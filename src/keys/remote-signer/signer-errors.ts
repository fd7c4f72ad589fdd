import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { failureReason } from "../../lib/http/endpoint-failure.ts";
import { isStatus, isUnreachable } from "./signer-api.ts";

/** The signer did not answer a startup call: one line naming the fix. */
export function signerDownError(description: string, error: unknown): UserInputError {
  return new UserInputError(
    `the ${description} does not answer (${failureReason(error)}): start it or fix --remote-signer-url`,
    { cause: error },
  );
}

/** The signer did not list its keys. */
export function signerListError(description: string, error: unknown): UserInputError {
  return new UserInputError(
    `cannot list the keys of the ${description} (${failureReason(error)}): check --remote-signer-url`,
    { cause: error },
  );
}

/**
 * A failed sign request for `what` (a validator key or one of its shares): 404 is the key missing
 * from the signer (`fix` says how to load it), a failed request says the signer could not sign
 * `message` (an exit, or a deposit).
 */
export function signRequestError(
  error: unknown,
  what: string,
  description: string,
  fix: string,
  message: "exit" | "deposit" = "exit",
): Error {
  if (isStatus(error, 404)) {
    return new UserInputError(
      `public key not present in the remote signer: ${what} is not in the ${description}: ${fix}`,
      { cause: error },
    );
  }
  if (error instanceof OperatorError) {
    return new OperatorError(`the ${description} could not sign the ${message} with ${what}`, {
      cause: error,
      details: error.message,
      retryable: error.retryable || isUnreachable(error),
    });
  }
  return error as Error;
}
