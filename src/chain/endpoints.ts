import { errorChain, OperatorError, UserInputError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import { redactUrl } from "../lib/sanitize.ts";

/**
 * What the chain clients share beside the HTTP layer (lib/http/): the check of the endpoint URLs a
 * user gives, the scrubbing of viem's errors, the startup checks' verdict and the small logger
 * interface the clients report fall-throughs to.
 */

/** The part of a logger the chain clients use: a constant message, a context object, the error. */
export type ChainLogger = Pick<Logger, "warn">;

/** True when the URL carries anything redactUrl masks. */
export function urlHasSecrets(url: string): boolean {
  try {
    const parsed = new URL(url);
    return Boolean(
      parsed.username || parsed.password || (parsed.pathname && parsed.pathname !== "/") || parsed.search,
    );
  } catch {
    return true;
  }
}

/**
 * Checks a list of endpoint URLs given by the user: at least one, each an http(s) URL. The
 * message names the flag and the endpoint (redacted).
 */
export function assertEndpointUrls(endpoints: readonly string[], what: string): void {
  if (endpoints.length === 0) throw new UserInputError(`no ${what} endpoint given`);
  for (const endpoint of endpoints) {
    let protocol: string;
    try {
      protocol = new URL(endpoint).protocol;
    } catch {
      throw new UserInputError(`${what} endpoint ${redactUrl(endpoint)} is not a URL`);
    }
    if (protocol !== "http:" && protocol !== "https:") {
      throw new UserInputError(`${what} endpoint ${redactUrl(endpoint)} must be an http(s) URL`);
    }
  }
}

/**
 * Replaces every spelling of `url` (as given, normalised by URL, and without its user info, as
 * viem prints it) in the string fields of `error` and its causes with its redacted form. viem's
 * errors name the endpoint they failed on; this keeps API keys in paths out of the logs.
 */
export function scrubUrlFromError<T>(error: T, url: string): T {
  if (!urlHasSecrets(url)) return error;
  const safe = redactUrl(url);
  const spellings = new Set<string>([url]);
  try {
    const parsed = new URL(url);
    spellings.add(parsed.toString());
    parsed.username = "";
    parsed.password = "";
    spellings.add(parsed.toString());
    spellings.add(parsed.toString().replace(/\/$/, ""));
  } catch {
    // Not a URL: only the text as given.
  }
  const ordered = [...spellings].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const scrub = (text: string) => ordered.reduce((t, s) => t.split(s).join(safe), text);
  for (const current of errorChain(error)) {
    if (typeof current !== "object" || current === null) continue;
    const record = current as Record<string, unknown>;
    for (const key of ["message", "shortMessage", "details", "url", "stack"]) {
      const value = record[key];
      if (typeof value === "string") {
        try {
          record[key] = scrub(value);
        } catch {
          // A read-only field: leave it.
        }
      }
    }
    const meta = record.metaMessages;
    if (Array.isArray(meta)) {
      record.metaMessages = meta.map((m) => (typeof m === "string" ? scrub(m) : m));
    }
  }
  return error;
}

/** One endpoint's state in a startup check. */
export interface EndpointStatus {
  /** The endpoint, redacted (scheme, host and port only). */
  endpoint: string;
  healthy: boolean;
  /**
   * Why the endpoint is not healthy, in words that follow its URL: "refused the connection",
   * "is syncing" (see lib/http/endpoint-failure.ts).
   */
  problem?: string;
  error?: unknown;
}

/**
 * Throws a retryable error when no endpoint is healthy, one line listing every endpoint and its
 * problem: "no execution endpoint is ready (http://a refused the connection; http://b is
 * syncing)". The cause is the first endpoint's error, if any; `statuses` on the error keeps all.
 */
export function assertOneHealthy(what: string, statuses: readonly EndpointStatus[]): void {
  if (statuses.some((s) => s.healthy)) return;
  throw new NoEndpointReadyError(what, statuses);
}

/** No endpoint passed the startup check. Retryable: nodes come up and finish syncing. */
export class NoEndpointReadyError extends OperatorError {
  override name = "NoEndpointReadyError";
  readonly statuses: readonly EndpointStatus[];
  constructor(what: string, statuses: readonly EndpointStatus[]) {
    super(`no ${what} endpoint is ready`, {
      details: statuses.map((s) => `${s.endpoint} ${s.problem ?? "is not ready"}`).join("; "),
      retryable: true,
      cause: statuses.find((s) => s.error !== undefined)?.error,
    });
    this.statuses = statuses;
  }
}
