/**
 * The one multi-endpoint policy (STYLE practice 9): endpoints in order, the next one only after a
 * failure that falls through (by default a retryable one), every failure kept, endpoints redacted.
 */
import { isAbortError } from "../aborted.ts";
import { OperatorError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { redactUrl } from "../sanitize.ts";
import { classifyFailure } from "./endpoint-failure.ts";
import { AllEndpointsFailedError, type EndpointAttempt, isRetryableFailure } from "./errors.ts";

export interface FailoverOptions {
  /** What the endpoints are, for messages ("consensus", "IPFS gateway"). */
  what: string;
  /** Receives one warning per failure that falls through. */
  logger?: Pick<Logger, "warn"> | undefined;
  signal?: AbortSignal | undefined;
  /** Whether a failure moves on to the next endpoint (default: retryable failures only). */
  fallThrough?: (error: unknown) => boolean;
}

/**
 * Runs `attempt` against each endpoint in order until one succeeds (an empty list is refused). A failure that does not fall
 * through is thrown as it is, and so is an abort (the signal's reason, or an abort error of the
 * attempt's own); when every endpoint failed, an AllEndpointsFailedError keeps each endpoint's
 * failure.
 */
export async function withFailover<T>(
  endpoints: readonly string[],
  attempt: (endpoint: string, index: number) => Promise<T>,
  options: FailoverOptions,
): Promise<T> {
  if (endpoints.length === 0) throw new OperatorError(`no ${options.what} endpoint configured`);
  const fallThrough = options.fallThrough ?? isRetryableFailure;
  const attempts: EndpointAttempt[] = [];
  for (const [index, url] of endpoints.entries()) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(url, index);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (isAbortError(error) || !fallThrough(error)) throw error;
      const endpoint = redactUrl(url);
      const reason = classifyFailure(error).reason;
      attempts.push({ endpoint, error, reason });
      options.logger?.warn(`${options.what} endpoint failed`, { endpoint, reason }, error);
    }
  }
  throw new AllEndpointsFailedError(
    endpoints.length === 1 ? `the ${options.what} endpoint failed` : `every ${options.what} endpoint failed`,
    attempts,
    { retryable: attempts.some((a) => isRetryableFailure(a.error)) },
  );
}
