/**
 * The one HTTP client of the code base: every REST client (Beacon API, IPFS gateways, oracles,
 * Web3Signer, HashiCorp Vault) sends its requests through `httpRequest` / `httpJson`. One request
 * to one endpoint, with a timeout and typed failures (errors.ts); an endpoint list is walked by
 * `withFailover` (failover.ts). Endpoints appear in errors and logs redacted, credentials in a URL
 * travel as a Basic authorization header, and no header ever appears in an error.
 */
import type { z } from "zod";
import { OperatorError } from "../errors.ts";
import { redactUrl, sanitizeText } from "../sanitize.ts";
import {
  classifyFailure,
  describeBody,
  type EndpointFailure,
  httpFailure,
  timedOutAfter,
} from "./endpoint-failure.ts";
import { EndpointRequestError, isRetryableStatus } from "./errors.ts";

export interface HttpRequestOptions {
  method?: "GET" | "POST" | "DELETE";
  /** Sent as JSON. */
  json?: unknown;
  headers?: Record<string, string>;
  /** For the whole request, the body included. */
  timeoutMs: number;
  /** The caller's shutdown signal: aborting rejects with its reason, never a timeout. */
  signal?: AbortSignal | undefined;
  /** Largest body accepted (default 32 MiB). */
  maxBytes?: number;
  /** Default the global fetch; tests pass a double. */
  fetch?: typeof globalThis.fetch | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** Bytes of an error answer kept (for its reason and EndpointRequestError.body). */
const ERROR_BODY_BYTES = 4096;

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
  let url: URL;
  try {
    url = joinUrl(base, path);
  } catch {
    // Not the platform's error as cause: it keeps the URL as given, credentials and all.
    throw new OperatorError(`invalid URL ${endpoint}`);
  }
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  if (options.json !== undefined && (options.method ?? "GET") === "GET") {
    throw new OperatorError(`a GET request cannot have a body (${endpoint})`);
  }
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  options.signal?.throwIfAborted();
  const request = path.split("?")[0] || "/";
  const fail = (
    failure: EndpointFailure,
    retryable: boolean,
    more: { cause?: unknown; body?: string } = {},
  ) => new EndpointRequestError({ endpoint, failure, request, retryable, ...more });
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  // One controller per request, its timer and listener removed at the end: nothing is left on a
  // shutdown signal that lives as long as the process (AbortSignal.any would leave that to GC).
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(options.timeoutMs)
    ? setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, options.timeoutMs)
    : undefined;
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: options.method ?? "GET",
      headers,
      ...(body === undefined ? {} : { body }),
      signal: controller.signal,
      redirect: "follow",
    });
    const bytes = await readBody(response, maxBytes);
    if (bytes === undefined) {
      const reason = `answered ${request} with more than ${sizeText(maxBytes)}`;
      throw fail({ kind: "invalid-response", reason }, false);
    }
    if (response.status >= 300) {
      const text = new TextDecoder().decode(bytes.subarray(0, ERROR_BODY_BYTES));
      throw fail(httpFailure(response.status, text), isRetryableStatus(response.status), {
        body: sanitizeText(text),
      });
    }
    return { status: response.status, headers: response.headers, body: bytes };
  } catch (error) {
    if (error instanceof EndpointRequestError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    if (timedOut) {
      throw fail({ kind: "timeout", reason: timedOutAfter(options.timeoutMs) }, true, { cause: error });
    }
    const { reason } = classifyFailure(error);
    throw fail({ kind: "network", reason }, true, { cause: error });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
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
