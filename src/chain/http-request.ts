/**
 * Plain HTTP for the REST clients here (Beacon API, IPFS gateways): one request to one endpoint
 * with a timeout and typed failures, and a failover helper that walks an ordered endpoint list.
 * Endpoints appear in errors and logs redacted (see endpoints.ts).
 */
import { OperatorError } from "../lib/errors.ts";
import { redactUrl } from "../lib/sanitize.ts";
import { type ChainLogger, failureReason, isRetryableStatus } from "./endpoints.ts";

export type EndpointFailureKind = "network" | "timeout" | "http" | "invalid-response";

/** One request to one endpoint failed. `endpoint` is redacted. */
export class EndpointRequestError extends OperatorError {
  override name = "EndpointRequestError";
  readonly endpoint: string;
  readonly kind: EndpointFailureKind;
  /** The HTTP status, for kind "http". */
  readonly status: number | undefined;

  constructor(
    shortMessage: string,
    params: {
      endpoint: string;
      kind: EndpointFailureKind;
      status?: number;
      retryable: boolean;
      cause?: unknown;
    },
  ) {
    super(shortMessage, { retryable: params.retryable, cause: params.cause });
    this.endpoint = params.endpoint;
    this.kind = params.kind;
    this.status = params.status;
  }
}

/** Every endpoint failed; `failures` keeps each endpoint's error in order. */
export class AllEndpointsFailedError extends OperatorError {
  override name = "AllEndpointsFailedError";
  readonly failures: readonly unknown[];

  constructor(shortMessage: string, failures: readonly unknown[], endpoints: readonly string[]) {
    super(shortMessage, {
      details: failures.map((f, i) => `${endpoints[i] ?? "?"}: ${failureReason(f)}`).join("; "),
      retryable: failures.some(isRetryableFailure),
      cause: failures[failures.length - 1],
    });
    this.failures = failures;
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
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${pathname.replace(/^\/+/, "")}`;
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
  const fail = (
    message: string,
    kind: EndpointFailureKind,
    retryable: boolean,
    cause?: unknown,
    status?: number,
  ) =>
    new EndpointRequestError(message, {
      endpoint,
      kind,
      retryable,
      cause,
      ...(status === undefined ? {} : { status }),
    });
  try {
    const response = await fetch(url, {
      method: options.method ?? "GET",
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
      redirect: "follow",
    });
    const bytes = await readBody(response, options.maxBytes ?? 32 * 1024 * 1024);
    if (bytes === undefined) {
      throw fail(`${endpoint} answered a body larger than allowed`, "invalid-response", false);
    }
    if (response.status >= 300) {
      const reason = errorMessageOf(bytes);
      throw fail(
        `${endpoint} answered HTTP ${response.status}${reason ? `: ${reason}` : ""}`,
        "http",
        isRetryableStatus(response.status),
        undefined,
        response.status,
      );
    }
    return { status: response.status, headers: response.headers, body: bytes };
  } catch (error) {
    if (error instanceof EndpointRequestError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted)
      throw fail(`${endpoint} did not answer within ${options.timeoutMs} ms`, "timeout", true, error);
    throw fail(`${endpoint} cannot be reached (${failureReason(error)})`, "network", true, error);
  }
}

/** One request whose answer must be JSON. */
export async function httpJson(base: string, path: string, options: HttpRequestOptions): Promise<unknown> {
  const response = await httpRequest(base, path, options);
  if (response.body.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(response.body));
  } catch (error) {
    throw new EndpointRequestError(
      `${redactUrl(base)} answered ${path.split("?")[0]} with text that is not JSON`,
      {
        endpoint: redactUrl(base),
        kind: "invalid-response",
        retryable: false,
        cause: error,
      },
    );
  }
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

/** The `message` of a Beacon API error body `{"code", "message"}`, or a short text body. */
function errorMessageOf(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  const text = new TextDecoder().decode(bytes.subarray(0, 2048));
  try {
    const json = JSON.parse(text) as { message?: unknown };
    if (typeof json.message === "string") return truncate(json.message);
  } catch {
    // Not JSON: the text itself.
  }
  return truncate(text.trim().split("\n")[0] ?? "");
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
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
  const failures: unknown[] = [];
  for (const [index, endpoint] of endpoints.entries()) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(endpoint, index);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (!fallThrough(error)) throw error;
      failures.push(error);
      options.logger?.warn(`${options.what} endpoint failed`, { endpoint: redactUrl(endpoint) }, error);
    }
  }
  throw new AllEndpointsFailedError(
    endpoints.length === 1 ? `the ${options.what} endpoint failed` : `every ${options.what} endpoint failed`,
    failures,
    endpoints.map(redactUrl),
  );
}
