import { OperatorError, type OperatorErrorOptions } from "../../lib/errors.ts";

/**
 * A request the simulated beacon node refuses, with the HTTP status a real node would answer
 * (400 bad input, 404 unknown state / block / validator, 414 too many ids). The server writes it
 * as the Beacon API error body `{"code": status, "message": shortMessage}`.
 */
export class BeaconApiError extends OperatorError {
  override name = "BeaconApiError";
  readonly statusCode: number;

  constructor(statusCode: number, message: string, options: OperatorErrorOptions = {}) {
    super(message, options);
    this.statusCode = statusCode;
  }
}

/**
 * The deposit feed is inconsistent (a gap or a repeat in deposit indexes, logs outside the asked
 * range): a real consensus client would stall on such a chain, so the simulator stops following
 * it instead of inventing validators. Not retryable: the source itself must be fixed.
 */
export class DepositFeedError extends OperatorError {
  override name = "DepositFeedError";
}
