/**
 * The SSV API client (`https://api.ssv.network/api/v4/{network}/…`): operator metadata the chain
 * does not hold (name, provider, location, clients, performance, status). Every request goes
 * through the one HTTP layer (lib/http/request.ts). The API is a convenience: the client only
 * throws (SsvApiError, retryable for network failures, timeouts, 408/429/5xx) and its callers
 * decide how to go on with on-chain data alone.
 */
import { z } from "zod";
import { OperatorError } from "../../lib/errors.ts";
import { EndpointRequestError } from "../../lib/http/errors.ts";
import { httpJson, parseAnswer } from "../../lib/http/request.ts";
import type { Logger } from "../../lib/logger.ts";
import { redactUrl, sanitizeText } from "../../lib/sanitize.ts";
import { parseSsvApiOperator, type SsvApiOperator } from "./operator-record.ts";

/** The API's largest page. */
export const SSV_API_PER_PAGE = 100;
/** Pages followed at most (100 operators each): a guard against an answer that never ends. */
const MAX_PAGES = 1000;
/** Requests in flight at once (per-id look-ups, pages after the first). */
const CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 10_000;

/** A request to the SSV API failed. `url` is redacted and carries no query. */
export class SsvApiError extends OperatorError {
  override name = "SsvApiError";
  readonly url: string;
  /** The HTTP status, when the API answered one. */
  readonly status: number | undefined;

  constructor(
    reason: string,
    params: { url: string; status?: number | undefined; retryable?: boolean; cause?: unknown },
  ) {
    super(`SSV API ${params.url} ${reason}`, { retryable: params.retryable ?? false, cause: params.cause });
    this.url = params.url;
    this.status = params.status;
  }
}

export interface SsvApiClientOptions {
  /** "https://api.ssv.network" (the API's paths are appended: /api/v4/{network}/operators). */
  baseUrl: string;
  /** The API's network name: "mainnet", "hoodi", … */
  network: string;
  logger?: Logger;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Default the global fetch (tests pass a double). */
  fetch?: typeof globalThis.fetch;
}

export interface SsvApiClient {
  /**
   * Without `ids`: every operator, following `pagination.pages` (100 a page) in `ordering`
   * (default "id:asc"), each operator once. With `ids`: those operators, in `ids` order, looked
   * up one by one (`/operators/{id}`, a few at a time); ids the API does not know are left out.
   */
  operators(params: {
    ids?: readonly bigint[];
    ordering?: string;
    signal?: AbortSignal;
  }): Promise<SsvApiOperator[]>;
  /** One operator; undefined when the API answers that it does not know the id (404). */
  operator(id: bigint, signal?: AbortSignal): Promise<SsvApiOperator | undefined>;
}

const PageSchema = z.object({
  operators: z.array(z.unknown()),
  pagination: z.looseObject({
    total: z.number().int().nonnegative(),
    page: z.number().int().positive(),
    pages: z.number().int().nonnegative(),
    per_page: z.number().int().positive(),
  }),
});

/**
 * Builds the client. Looking ids up one by one rather than filtering the list: a cluster names
 * 4-13 operators while mainnet lists thousands (tens of pages), and a 404 says plainly that an
 * id is unknown.
 */
export function createSsvApiClient(options: SsvApiClientOptions): SsvApiClient {
  const base = options.baseUrl;
  const root = `/api/v4/${encodeURIComponent(options.network)}`;
  const logger = options.logger?.child({ module: "ssv-api" });

  async function get(path: string, signal: AbortSignal | undefined): Promise<unknown> {
    try {
      return await httpJson(base, path, {
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal,
        fetch: options.fetch,
      });
    } catch (error) {
      throw asSsvApiError(error, base, path);
    }
  }

  async function page(n: number, ordering: string, signal: AbortSignal | undefined) {
    const path = `${root}/operators?page=${n}&perPage=${SSV_API_PER_PAGE}&ordering=${encodeURIComponent(ordering)}`;
    const json = await get(path, signal);
    let answer: z.output<typeof PageSchema>;
    try {
      answer = parseAnswer(PageSchema, base, path, json);
    } catch (error) {
      throw asSsvApiError(error, base, path);
    }
    if (answer.pagination.page !== n) {
      throw invalid(base, path, `page ${answer.pagination.page} instead of page ${n}`);
    }
    return { pages: answer.pagination.pages, operators: answer.operators.map((r) => record(r, path)) };
  }

  function record(json: unknown, path: string): SsvApiOperator {
    const parsed = parseSsvApiOperator(json);
    if (!parsed.ok) throw invalid(base, path, parsed.reason);
    return parsed.operator;
  }

  async function operator(id: bigint, signal?: AbortSignal): Promise<SsvApiOperator | undefined> {
    const path = `${root}/operators/${id}`;
    let json: unknown;
    try {
      json = await get(path, signal);
    } catch (error) {
      // The API's own JSON 404; an HTML 404 is a wrong base URL, not an unknown operator.
      const answer = error instanceof SsvApiError ? error.cause : undefined;
      if (answer instanceof EndpointRequestError && answer.status === 404 && answer.failure.body === "json") {
        return undefined;
      }
      throw error;
    }
    const found = record(json, path);
    if (found.id !== id) throw invalid(base, path, `operator ${found.id} instead of operator ${id}`);
    return found;
  }

  async function allOperators(ordering: string, signal: AbortSignal | undefined): Promise<SsvApiOperator[]> {
    const first = await page(1, ordering, signal);
    const pages = Math.min(first.pages, MAX_PAGES);
    const rest = await mapLimited(
      Array.from({ length: Math.max(0, pages - 1) }, (_, i) => i + 2),
      (n) => page(n, ordering, signal),
    );
    // An operator registered while we page through may push another onto the next page twice.
    const seen = new Set<bigint>();
    const operators = [first, ...rest]
      .flatMap((p) => p.operators)
      .filter((o) => !seen.has(o.id) && seen.add(o.id));
    logger?.debug("SSV API operators read", { pages, operators: operators.length });
    return operators;
  }

  return {
    operator,
    async operators({ ids, ordering = "id:asc", signal }) {
      if (ids === undefined) return allOperators(ordering, signal);
      const found = await mapLimited(ids, (id) => operator(id, signal));
      const known = found.filter((o): o is SsvApiOperator => o !== undefined);
      if (known.length < ids.length) {
        const missing = ids.filter((id) => !known.some((o) => o.id === id));
        logger?.debug("SSV API does not know some operators", { missing: missing.map(String) });
      }
      return known;
    },
  };
}

/** `fn` over `items`, at most CONCURRENCY at a time, results in `items` order; the first failure rejects. */
async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}

/** "https://api.ssv.network/api/v4/mainnet/operators": the base redacted, the query dropped. */
function urlText(base: string, path: string): string {
  return `${redactUrl(base)}${path.split("?")[0]}`;
}

function invalid(base: string, path: string, reason: string): SsvApiError {
  return new SsvApiError(`answered unexpectedly: ${reason}`, { url: urlText(base, path) });
}

/**
 * The HTTP layer's error as an SsvApiError: "SSV API <url> answered HTTP 404: operator 9 not
 * found", the API's own message read from its error body `{"error":{"code","message"}}`.
 */
function asSsvApiError(error: unknown, base: string, path: string): unknown {
  if (!(error instanceof EndpointRequestError)) return error;
  const url = urlText(base, path);
  let reason = error.failure.reason.replace(/^answered \S+ (unexpectedly|with)/, "answered $1");
  if (error.status !== undefined) {
    const message = apiMessage(error.body);
    reason = message ? `answered HTTP ${error.status}: ${message}` : error.failure.reason;
  }
  return new SsvApiError(reason, { url, status: error.status, retryable: error.retryable, cause: error });
}

/** The message of the API's error body; its `message` is a string or `{error, status}`. */
function apiMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const { error } = JSON.parse(body) as { error?: { message?: unknown } };
    const message = error?.message;
    const text =
      typeof message === "string"
        ? message
        : typeof (message as { error?: unknown } | undefined)?.error === "string"
          ? (message as { error: string }).error
          : undefined;
    return text === undefined ? undefined : sanitizeText(text.replace(/\s+/g, " ").trim()).slice(0, 200);
  } catch {
    return undefined;
  }
}
