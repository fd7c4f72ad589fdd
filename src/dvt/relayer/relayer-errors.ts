import { OperatorError } from "../../lib/errors.ts";

/**
 * A request the relayer refuses (HTTP 400): a malformed or unverifiable share, an unknown key, a
 * share index outside the cluster. The message is one line naming the validator and the share.
 */
export class RelayerInputError extends OperatorError {
  override name = "RelayerInputError";
  /** The reason label of the rejected-shares metric. */
  readonly reason: string;
  constructor(message: string, reason = "invalid") {
    super(message);
    this.reason = reason;
  }
}

/** The relayer cannot answer yet (oracle config, chain): HTTP 503, the client retries. */
export class RelayerUnavailableError extends OperatorError {
  override name = "RelayerUnavailableError";
}
