import type { ConsensusClient } from "../../chain/consensus-client.ts";
import { EndpointRequestError } from "../../chain/http-request.ts";
import type { ExitNetwork } from "../../crypto/exit-message.ts";
import type { ExitSigner, Hex } from "../../keys/sources/exit-signer.ts";
import { OperatorError } from "../../lib/errors.ts";
import { toPrefixedHex } from "../../lib/hex.ts";

export interface ExitTarget {
  index: number;
  publicKey: Hex;
}

export type ExitResult =
  | { index: number; publicKey: Hex; outcome: "submitted" }
  /** The node refused the exit (a 4xx); `reason` is its message. */
  | { index: number; publicKey: Hex; outcome: "rejected"; reason: string };

export interface SubmitExitsParameters {
  /** In the order to submit them. */
  validators: readonly ExitTarget[];
  signer: Pick<ExitSigner, "signExit">;
  consensus: Pick<ConsensusClient, "submitVoluntaryExit">;
  /** Exits are signed for the Capella epoch and fork version (spec §4.1). */
  network: ExitNetwork;
  /** Called once per validator, in order, as soon as its outcome is known. */
  onResult?: (result: ExitResult) => void;
  signal?: AbortSignal;
}

/**
 * Signs each validator's VoluntaryExit{Capella epoch, index} and posts it to the node's pool. A
 * node that refuses one (HTTP 4xx) gets it reported and skipped; any other failure (every node
 * down) stops the run with an error that says which exits were already submitted.
 */
export async function submitExits(params: SubmitExitsParameters): Promise<ExitResult[]> {
  const results: ExitResult[] = [];
  for (const validator of params.validators) {
    params.signal?.throwIfAborted();
    let result: ExitResult;
    try {
      const signature = await params.signer.signExit(validator.publicKey, validator.index, params.network);
      await params.consensus.submitVoluntaryExit(
        {
          epoch: params.network.capellaEpoch,
          validatorIndex: validator.index,
          signature: toPrefixedHex(signature),
        },
        params.signal ? { signal: params.signal } : {},
      );
      result = { ...validator, outcome: "submitted" };
    } catch (error) {
      if (!isRejection(error)) throw interrupted(error, validator, results, params.signal);
      result = { ...validator, outcome: "rejected", reason: error.shortMessage };
    }
    results.push(result);
    params.onResult?.(result);
  }
  return results;
}

/** A node's answer that this exit is invalid, not a failure to reach a node. */
function isRejection(error: unknown): error is EndpointRequestError {
  return (
    error instanceof EndpointRequestError &&
    error.kind === "http" &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    !error.retryable
  );
}

function interrupted(
  error: unknown,
  validator: ExitTarget,
  done: readonly ExitResult[],
  signal: AbortSignal | undefined,
): unknown {
  const submitted = done.filter((r) => r.outcome === "submitted").map((r) => r.index);
  if (signal?.aborted || submitted.length === 0) return error;
  const already = `; the exits of ${submitted.join(", ")} were submitted`;
  const reason = error instanceof OperatorError ? error.shortMessage : (error as Error).message;
  return new OperatorError(`the exit of validator ${validator.index} failed: ${reason}${already}`, {
    cause: error,
    retryable: error instanceof OperatorError && error.retryable,
  });
}
