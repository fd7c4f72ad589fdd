/**
 * The errors of the one HTTP layer (STYLE practice 9 and 10): a request to one endpoint failed
 * (EndpointRequestError), every endpoint of a list failed (AllEndpointsFailedError), and the one
 * rule of which failures are worth another try or another endpoint. Endpoints appear redacted.
 */
import { OperatorError } from "../errors.ts";
import {
  type ClassifiedError,
  classifyFailure,
  type EndpointFailure,
  type EndpointFailureKind,
} from "./endpoint-failure.ts";

/** HTTP statuses that say "try again, maybe elsewhere": 408, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * True for a failure another endpoint or a later try may not meet (network, timeout, 408/429/5xx):
 * an OperatorError flagged retryable.
 */
export function isRetryableFailure(error: unknown): boolean {
  return error instanceof OperatorError && error.retryable;
}

/**
 * One request to one endpoint failed. The message is the endpoint (redacted) and the reason:
 * "http://127.0.0.1:5052 refused the connection".
 */
export class EndpointRequestError extends OperatorError implements ClassifiedError {
  override name = "EndpointRequestError";
  /** Redacted. */
  readonly endpoint: string;
  readonly failure: EndpointFailure;
  readonly kind: EndpointFailureKind;
  /** The HTTP status, for kind "http". */
  readonly status: number | undefined;
  /** The path asked (without its query), when known: "/eth/v1/node/syncing". */
  readonly request: string | undefined;
  /** The start of the answer's body (sanitized), for kind "http": an API's own error fields. */
  readonly body: string | undefined;

  constructor(params: {
    /** Redacted. */
    endpoint: string;
    failure: EndpointFailure;
    request?: string | undefined;
    /** Sanitized. */
    body?: string | undefined;
    retryable: boolean;
    cause?: unknown;
  }) {
    super(`${params.endpoint} ${params.failure.reason}`, {
      retryable: params.retryable,
      cause: params.cause,
    });
    this.endpoint = params.endpoint;
    this.failure = params.failure;
    this.kind = params.failure.kind;
    this.status = params.failure.status;
    this.request = params.request;
    this.body = params.body;
  }
}

/** One endpoint tried and how it failed. `endpoint` is redacted. */
export interface EndpointAttempt {
  endpoint: string;
  error: unknown;
  /** Default: the classified reason of `error`. */
  reason?: string;
}

/**
 * Every endpoint failed. One line: "every consensus endpoint failed (http://a refused the
 * connection; http://b answered HTTP 503: busy)". `failures` keeps each endpoint's error in order;
 * the cause is the last one.
 */
export class AllEndpointsFailedError extends OperatorError {
  override name = "AllEndpointsFailedError";
  readonly failures: readonly unknown[];
  /** Redacted, in the order tried. */
  readonly endpoints: readonly string[];
  /** Each endpoint's reason, in the order tried. */
  readonly reasons: readonly string[];

  constructor(shortMessage: string, attempts: readonly EndpointAttempt[], options: { retryable: boolean }) {
    const reasons = attempts.map((a) => a.reason ?? classifyFailure(a.error).reason);
    super(shortMessage, {
      details: attempts.map((a, i) => `${a.endpoint} ${reasons[i]}`).join("; "),
      retryable: options.retryable,
      cause: attempts.at(-1)?.error,
    });
    this.failures = attempts.map((a) => a.error);
    this.endpoints = attempts.map((a) => a.endpoint);
    this.reasons = reasons;
  }
}
