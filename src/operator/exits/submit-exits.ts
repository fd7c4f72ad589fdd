import type { ConsensusClient } from "../../chain/consensus-client.ts";
import type { ExitNetwork } from "../../crypto/exit-message.ts";
import type { ExitSigner, Hex } from "../../keys/sources/exit-signer.ts";
import { InterruptedError, OperatorError } from "../../lib/errors.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { EndpointRequestError } from "../../lib/http/errors.ts";

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
 * down) stops the run with an error that says which exits were already submitted. An interruption
 * after an exit may have reached a node is an {@link InterruptedError} naming those exits, since
 * exits cannot be undone.
 */
export async function submitExits(params: SubmitExitsParameters): Promise<ExitResult[]> {
  const results: ExitResult[] = [];
  for (const validator of params.validators) {
    if (params.signal?.aborted) throw stopped(params.signal.reason, undefined, results, params);
    let result: ExitResult;
    let posting = false;
    try {
      const signature = await params.signer.signExit(validator.publicKey, validator.index, params.network);
      posting = true;
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
      if (!isRejection(error)) throw stopped(error, { validator, posting }, results, params);
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

/** The error that ends the run: it says which exits were already submitted. */
function stopped(
  error: unknown,
  current: { validator: ExitTarget; posting: boolean } | undefined,
  done: readonly ExitResult[],
  params: Pick<SubmitExitsParameters, "validators" | "signal">,
): unknown {
  const submitted = done.filter((r) => r.outcome === "submitted").map((r) => r.index);
  if (params.signal?.aborted) {
    // The exit being posted when the signal came may have reached the node all the same.
    const inFlight = current?.posting ? current.validator.index : undefined;
    if (submitted.length === 0 && inFlight === undefined) {
      return error instanceof InterruptedError ? error : new InterruptedError(undefined, { cause: error });
    }
    const notSubmitted = params.validators
      .slice(done.length)
      .map((v) => v.index)
      .filter((index) => index !== inFlight);
    return new InterruptedError(interruptedOutcome(submitted, inFlight, notSubmitted), { cause: error });
  }
  if (submitted.length === 0 || current === undefined) return error;
  const already = `; the exits of ${submitted.join(", ")} were submitted`;
  const reason = error instanceof OperatorError ? error.shortMessage : (error as Error).message;
  return new OperatorError(`the exit of validator ${current.validator.index} failed: ${reason}${already}`, {
    cause: error,
    retryable: error instanceof OperatorError && error.retryable,
  });
}

/**
 * What an interrupted run had done, e.g. "the exits of validators 1, 2 were submitted; the exits
 * of validators 3, 4 were not submitted".
 */
export function interruptedOutcome(
  submitted: readonly number[],
  inFlight: number | undefined,
  notSubmitted: readonly number[],
): string {
  const exits = (indexes: readonly number[]) =>
    indexes.length === 1
      ? `the exit of validator ${indexes[0]} was`
      : `the exits of validators ${indexes.join(", ")} were`;
  const parts: string[] = [];
  if (submitted.length > 0) parts.push(`${exits(submitted)} submitted`);
  if (inFlight !== undefined)
    parts.push(`the exit of validator ${inFlight} was being posted and may have been submitted`);
  if (notSubmitted.length > 0) parts.push(`${exits(notSubmitted)} not submitted`);
  return parts.join("; ");
}
