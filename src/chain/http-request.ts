/**
 * Plain HTTP for the REST clients here (Beacon API, IPFS gateways): one request to one endpoint
 * with a timeout and typed failures, and a failover helper that walks an ordered endpoint list.
 * Endpoints appear in errors and logs redacted (see endpoints.ts).
 */
import type { z } from "zod";
import { OperatorError } from "../lib/errors.ts";
import { redactUrl } from "../lib/sanitize.ts";
import {
  type ClassifiedError,
  classifyFailure,
  describeBody,
  type EndpointFailure,
  type EndpointFailureKind,
  httpFailure,
  timedOutAfter,
} from "./endpoint-failure.ts";
import { type ChainLogger, isRetryableStatus } from "./endpoints.ts";

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

  constructor(params: {
    /** Redacted. */
    endpoint: string;
    failure: EndpointFailure;
    request?: string;
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

/** True for a failure another endpoint or a later try may not meet (network, timeout, 408/429/5xx). */
export function isRetryableFailure(error: unknown): boolean {
  return error instanceof OperatorError && error.retryable;
}

export interface HttpRequestOptions {
  method?: "GET" | "POST";
  /** Sent as JSON. */
  json?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Largest body accepted (default 32 MiB). */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/**
 * `path` (with its query) appended to `base`: the base's path is kept as a prefix and its query
 * parameters (an API key, say) are kept too.
 */
export function joinUrl(base: string, path: string): URL {
  const url = new URL(base);
  const [pathname = "", query = ""] = path.split("?", 2);
  const prefix = url.pathname.replace(/\/+$/, "");
  const rest = pathname.replace(/^\/+/, "");
  // An empty path asks for the base itself, as given (an oracle's URL), without a trailing slash.
  url.pathname = rest === "" && prefix !== "" ? prefix : `${prefix}/${rest}`;
  // Kept as written: Beacon API lists are comma-separated (id=1,2), commas stay unescaped.
  url.search = [url.search.slice(1), query].filter(Boolean).join("&");
  return url;
}

/**
 * One request. Resolves with any HTTP status below 300; 3xx–5xx and transport failures reject
 * with an EndpointRequestError (retryable for network errors, timeouts, 408, 429 and 5xx).
 * Aborting `signal` rejects with the signal's reason, never an EndpointRequestError.
 */
export async function httpRequest(
  base: string,
  path: string,
  options: HttpRequestOptions,
): Promise<HttpResponse> {
  const endpoint = redactUrl(base);
  const url = joinUrl(base, path);
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  options.signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const request = path.split("?")[0] || "/";
  const fail = (failure: EndpointFailure, retryable: boolean, cause?: unknown) =>
    new EndpointRequestError({ endpoint, failure, request, retryable, cause });
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  try {
    const response = await fetch(url, {
      method: options.method ?? "GET",
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
      redirect: "follow",
    });
    const bytes = await readBody(response, maxBytes);
    if (bytes === undefined) {
      const reason = `answered ${request} with more than ${sizeText(maxBytes)}`;
      throw fail({ kind: "invalid-response", reason }, false);
    }
    if (response.status >= 300) {
      const text = new TextDecoder().decode(bytes.subarray(0, 4096));
      throw fail(httpFailure(response.status, text), isRetryableStatus(response.status));
    }
    return { status: response.status, headers: response.headers, body: bytes };
  } catch (error) {
    if (error instanceof EndpointRequestError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw fail({ kind: "timeout", reason: timedOutAfter(options.timeoutMs) }, true, error);
    }
    const { reason } = classifyFailure(error);
    throw fail({ kind: "network", reason }, true, error);
  }
}

/** One request whose answer must be JSON; a 2xx answer that is not JSON fails (not retryable). */
export async function httpJson(base: string, path: string, options: HttpRequestOptions): Promise<unknown> {
  const response = await httpRequest(base, path, options);
  if (response.body.length === 0) return undefined;
  const text = new TextDecoder().decode(response.body);
  try {
    return JSON.parse(text);
  } catch (error) {
    const request = path.split("?")[0] || "/";
    const html = describeBody(text.slice(0, 4096)).form === "html";
    throw new EndpointRequestError({
      endpoint: redactUrl(base),
      failure: {
        kind: "not-json",
        body: html ? "html" : "text",
        reason: html
          ? `answered ${request} with HTML, not JSON`
          : `answered ${request} with text that is not JSON`,
      },
      request,
      retryable: false,
      cause: error,
    });
  }
}

/**
 * An endpoint's answer validated by `schema` (STYLE practice 8); one that does not match is an
 * EndpointRequestError of that endpoint (not retryable) naming the first wrong field.
 */
export function parseAnswer<S extends z.ZodType>(
  schema: S,
  endpoint: string,
  path: string,
  json: unknown,
): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") || "(root)";
  throw invalidAnswer(endpoint, path, `field "${field}" ${issue?.message ?? "is invalid"}`);
}

/** "http://node answered /eth/v1/x unexpectedly: <reason>", not retryable. */
export function invalidAnswer(endpoint: string, path: string, reason: string): EndpointRequestError {
  const request = path.split("?")[0] || "/";
  return new EndpointRequestError({
    endpoint: redactUrl(endpoint),
    failure: { kind: "invalid-response", reason: `answered ${request} unexpectedly: ${reason}` },
    request,
    retryable: false,
  });
}

async function readBody(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

export interface FailoverOptions {
  /** What the endpoints are, for messages ("consensus", "IPFS gateway"). */
  what: string;
  logger?: ChainLogger | undefined;
  signal?: AbortSignal | undefined;
  /** Whether a failure moves on to the next endpoint (default: retryable failures only). */
  fallThrough?: (error: unknown) => boolean;
}

/**
 * Runs `attempt` against each endpoint in order until one succeeds. A failure that does not fall
 * through is thrown as it is; when every endpoint failed, an AllEndpointsFailedError keeps each
 * endpoint's failure.
 */
export async function withFailover<T>(
  endpoints: readonly string[],
  attempt: (endpoint: string, index: number) => Promise<T>,
  options: FailoverOptions,
): Promise<T> {
  const fallThrough = options.fallThrough ?? isRetryableFailure;
  const attempts: EndpointAttempt[] = [];
  for (const [index, url] of endpoints.entries()) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(url, index);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (!fallThrough(error)) throw error;
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
