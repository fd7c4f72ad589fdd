import type { z } from "zod";
import { AbortedError } from "./aborted.ts";
import { OperatorError } from "./errors.ts";
import { bodyExcerpt, HttpError, InvalidResponseError, NetworkError, TimeoutError } from "./http-errors.ts";
import { redactUrl } from "./sanitize.ts";

export interface FetchJsonOptions {
  /** Default GET. */
  method?: string;
  /** Sent as JSON (`content-type: application/json`). */
  body?: unknown;
  headers?: Record<string, string>;
  /** For the whole call, body included. Default 10 s; `Infinity` for none. */
  timeoutMs?: number;
  /** The caller's shutdown signal: aborting rejects with `AbortedError`, not `TimeoutError`. */
  signal?: AbortSignal;
}

export interface FetchJsonDeps {
  fetch?: typeof globalThis.fetch;
  /** For `Retry-After` dates. */
  now?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One JSON request over global `fetch`, with typed errors:
 * `HttpError` (non-2xx; retryable for 408/429/5xx), `NetworkError` and `TimeoutError` (retryable),
 * `InvalidResponseError` (not JSON, or `schema` rejected it; not retryable), `AbortedError`.
 *
 * With `schema`, returns the parsed (typed) value. An empty 2xx body (Beacon API POSTs answer
 * `200` with no body) is returned as `undefined`, so a schema must accept it for such calls.
 * Credentials in the URL (`https://user:pass@host`) are sent as a Basic `Authorization` header
 * (`fetch` refuses such URLs) and never appear in errors.
 */
export function fetchJson<S extends z.ZodType>(
  url: string,
  options: FetchJsonOptions & { schema: S },
  deps?: FetchJsonDeps,
): Promise<z.output<S>>;
export function fetchJson(url: string, options?: FetchJsonOptions, deps?: FetchJsonDeps): Promise<unknown>;
export async function fetchJson(
  url: string,
  options: FetchJsonOptions & { schema?: z.ZodType } = {},
  deps: FetchJsonDeps = {},
): Promise<unknown> {
  const method = (options.method ?? "GET").toUpperCase();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetch = deps.fetch ?? globalThis.fetch;
  const { target, headers } = prepare(url, method, options);

  if (options.signal?.aborted) throw new AbortedError({ cause: options.signal.reason });
  // One controller per call, its timer and listener removed in `finally`: no reliance on GC, as
  // `AbortSignal.any` with a process-long shutdown signal would need for months of calls.
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(
        () => {
          timedOut = true;
          controller.abort();
        },
        Math.max(1, timeoutMs),
      )
    : undefined;
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  let response: Response;
  let text: string;
  try {
    response = await fetch(target, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: controller.signal,
      redirect: "follow",
    });
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw new AbortedError({ cause: error });
    if (timedOut) throw new TimeoutError({ method, url, timeoutMs, cause: error });
    throw new NetworkError({ method, url, cause: error });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }

  if (!response.ok) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), deps.now ?? Date.now);
    throw new HttpError({
      method,
      url,
      status: response.status,
      body: text,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  let data: unknown;
  if (text.trim() !== "") {
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new InvalidResponseError({
        method,
        url,
        reason: `not JSON: ${bodyExcerpt(text).slice(0, 100)}`,
        cause: error,
      });
    }
  }
  if (!options.schema) return data;
  const parsed = options.schema.safeParse(data);
  if (!parsed.success) {
    throw new InvalidResponseError({
      method,
      url,
      reason: describeIssues(parsed.error.issues),
      cause: parsed.error,
    });
  }
  return parsed.data;
}

function prepare(
  url: string,
  method: string,
  options: FetchJsonOptions,
): { target: string; headers: Headers } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new OperatorError(`invalid URL ${redactUrl(url)}`, { cause: error });
  }
  const headers = new Headers(options.headers);
  if (!headers.has("accept")) headers.set("accept", "application/json");
  if (options.body !== undefined && !headers.has("content-type"))
    headers.set("content-type", "application/json");
  if (parsed.username !== "" || parsed.password !== "") {
    if (!headers.has("authorization")) {
      const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
      headers.set("authorization", `Basic ${Buffer.from(credentials).toString("base64")}`);
    }
    parsed.username = "";
    parsed.password = "";
  }
  if (method === "GET" && options.body !== undefined) {
    throw new OperatorError(`a GET request cannot have a body (${redactUrl(url)})`);
  }
  return { target: parsed.href, headers };
}

/** `Retry-After: 120` or an HTTP date. */
export function parseRetryAfter(value: string | null, now: () => number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues
    .slice(0, 5)
    .map(
      (issue) => `${issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)"}: ${issue.message}`,
    );
  if (issues.length > 5) shown.push(`…and ${issues.length - 5} more`);
  return shown.join("; ");
}
