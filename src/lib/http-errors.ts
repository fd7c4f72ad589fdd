import { OperatorError } from "./errors.ts";
import { redactUrl, sanitizeText } from "./sanitize.ts";

/**
 * The errors of one HTTP call. Every message names the method and the REDACTED URL (scheme and
 * host only), so they are safe to log and to print. `retryable` drives retry and fallback:
 * 408, 429, 5xx, network failures and timeouts may succeed later; other statuses and invalid
 * responses will not.
 */
interface RequestInfo {
  method: string;
  /** The URL as given; stored and shown redacted. */
  url: string;
}

const BODY_EXCERPT = 300;

/** A short, sanitized, single-line excerpt of a response body. */
export function bodyExcerpt(body: string): string {
  const line = sanitizeText(body.replace(/\s+/g, " ").trim());
  return line.length > BODY_EXCERPT ? `${line.slice(0, BODY_EXCERPT)}…` : line;
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export class HttpError extends OperatorError {
  override name = "HttpError";
  readonly status: number;
  readonly method: string;
  readonly url: string;
  /** Sanitized excerpt of the response body. */
  readonly body: string;
  /** From a `Retry-After` header (429/503), when the server sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(request: RequestInfo & { status: number; body: string; retryAfterMs?: number }) {
    const url = redactUrl(request.url);
    const body = bodyExcerpt(request.body);
    super(`${request.method} ${url} returned HTTP ${request.status}`, {
      retryable: isRetryableStatus(request.status),
      ...(body ? { details: `body: ${body}` } : {}),
    });
    this.status = request.status;
    this.method = request.method;
    this.url = url;
    this.body = body;
    this.retryAfterMs = request.retryAfterMs;
  }
}

/** No HTTP response at all: DNS, connection refused or reset, TLS. */
export class NetworkError extends OperatorError {
  override name = "NetworkError";
  readonly method: string;
  readonly url: string;

  constructor(request: RequestInfo & { cause: unknown }) {
    const url = redactUrl(request.url);
    super(`${request.method} ${url} failed: ${networkReason(request.cause)}`, {
      retryable: true,
      cause: request.cause,
    });
    this.method = request.method;
    this.url = url;
  }
}

export class TimeoutError extends OperatorError {
  override name = "TimeoutError";
  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;

  constructor(request: RequestInfo & { timeoutMs: number; cause?: unknown }) {
    const url = redactUrl(request.url);
    super(`${request.method} ${url} timed out after ${request.timeoutMs} ms`, {
      retryable: true,
      cause: request.cause,
    });
    this.method = request.method;
    this.url = url;
    this.timeoutMs = request.timeoutMs;
  }
}

/** A 2xx response that is not JSON or does not match the expected schema. */
export class InvalidResponseError extends OperatorError {
  override name = "InvalidResponseError";
  readonly method: string;
  readonly url: string;

  constructor(request: RequestInfo & { reason: string; cause?: unknown }) {
    const url = redactUrl(request.url);
    super(`${request.method} ${url} returned an invalid response`, {
      details: sanitizeText(request.reason),
      retryable: false,
      cause: request.cause,
    });
    this.method = request.method;
    this.url = url;
  }
}

/** `fetch failed` says nothing; the system error code under it does (`ECONNREFUSED`). */
function networkReason(cause: unknown): string {
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    if (current.cause === undefined) break;
    current = current.cause;
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return sanitizeText(message).slice(0, 200);
}
