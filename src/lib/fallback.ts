import { AbortedError, isAbortError, throwIfAborted } from "./aborted.ts";
import { OperatorError } from "./errors.ts";
import { isRetryableError } from "./retry.ts";
import { redactUrl, sanitizeText } from "./sanitize.ts";

/**
 * Every endpoint failed with a retryable error. Keeps each cause (`errors[i]` for
 * `endpoints[i]`); the message lists them with redacted URLs. Retryable: the next round may work.
 */
export class AllEndpointsFailedError extends OperatorError {
  override name = "AllEndpointsFailedError";
  /** Redacted descriptions, in the order tried. */
  readonly endpoints: readonly string[];
  readonly errors: readonly unknown[];

  constructor(endpoints: readonly string[], errors: readonly unknown[]) {
    const lines = errors.map((error, i) => `[${i + 1}] ${endpoints[i] ?? "?"}: ${summary(error)}`);
    super(`all ${errors.length} endpoints failed`, {
      details: lines.join("; "),
      retryable: true,
      cause: errors[errors.length - 1],
    });
    this.endpoints = endpoints;
    this.errors = errors;
  }
}

function summary(error: unknown): string {
  const text =
    error instanceof OperatorError
      ? error.shortMessage
      : error instanceof Error
        ? error.message
        : String(error);
  const clean = sanitizeText(text.replace(/\s+/g, " "));
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

export interface FallbackOptions<E> {
  /** Which errors move on to the next endpoint. Default `isRetryableError` (5xx, 408, 429, network, timeout). */
  isRetryable?: (error: unknown) => boolean;
  /** Names an endpoint in errors and events; default: a string is `redactUrl`ed, else `endpoint N`. */
  describe?: (endpoint: E, index: number) => string;
  signal?: AbortSignal;
  /** Called when an endpoint failed and the next one is tried (log it, count it). */
  onFallback?: (event: { error: unknown; endpoint: string; index: number }) => void;
}

/**
 * Calls `call(endpoint)` for each endpoint in order until one succeeds. Falls through ONLY on
 * retryable errors: a non-retryable one (a 404, a schema mismatch, a revert) is the answer and
 * is thrown as is. When all fail, throws `AllEndpointsFailedError` with every cause.
 * Aborting never falls through: it rejects with `AbortedError`.
 */
export async function withFallback<E, T>(
  endpoints: readonly E[],
  call: (endpoint: E, index: number) => Promise<T>,
  options: FallbackOptions<E> = {},
): Promise<T> {
  if (endpoints.length === 0) throw new OperatorError("no endpoints configured");
  const isRetryable = options.isRetryable ?? isRetryableError;
  const describe = options.describe ?? defaultDescribe;
  const errors: unknown[] = [];
  const names: string[] = [];
  for (const [index, endpoint] of endpoints.entries()) {
    throwIfAborted(options.signal);
    try {
      return await call(endpoint, index);
    } catch (error) {
      if (options.signal?.aborted) throw isAbortError(error) ? error : new AbortedError({ cause: error });
      if (isAbortError(error) || !isRetryable(error)) throw error;
      errors.push(error);
      names.push(describe(endpoint, index));
      if (index < endpoints.length - 1) {
        options.onFallback?.({ error, endpoint: names[index] ?? "", index });
      }
    }
  }
  throw new AllEndpointsFailedError(names, errors);
}

function defaultDescribe(endpoint: unknown, index: number): string {
  return typeof endpoint === "string" ? redactUrl(endpoint) : `endpoint ${index + 1}`;
}
