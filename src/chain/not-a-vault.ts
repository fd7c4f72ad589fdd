/**
 * The error for a vault read that failed at startup. The usual cause is a wrong --vault or
 * --network, but the real cause stays in the one line: an RPC failure or a revert reason says more
 * than the guess. Errors that already name their fix (bad input, a network without Multicall3)
 * pass through unchanged: "check --vault" would send the user the wrong way.
 */
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { Multicall3Error } from "./aggregate3.ts";

/** The error to throw for `error`, raised while reading `vault` on `network`. */
export function vaultReadError(vault: string, network: string, error: unknown): Error {
  if (error instanceof UserInputError || error instanceof Multicall3Error) return error;
  return new UserInputError(
    `${vault} does not answer like a vault on ${network} (${causeLine(error)}): check --vault and --network`,
    { cause: error },
  );
}

/** The first line of the cause's short message (viem's full messages run to many lines). */
function causeLine(error: unknown): string {
  const short =
    error instanceof OperatorError
      ? error.shortMessage
      : ((error as { shortMessage?: unknown })?.shortMessage ?? (error as Error)?.message ?? String(error));
  return String(short).split("\n")[0]?.trim() || "no answer";
}
