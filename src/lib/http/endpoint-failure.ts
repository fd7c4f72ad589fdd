/**
 * Why a request to one endpoint failed, in the few words an operator reads after the endpoint's
 * (redacted) URL: "http://127.0.0.1:8545 refused the connection". One vocabulary for every client
 * — execution JSON-RPC (viem), and over the HTTP layer (request.ts) Beacon API, IPFS gateways,
 * oracles, Web3Signer and HashiCorp Vault — whatever error type carried the failure:
 *
 *   refused the connection · cannot be resolved: DNS lookup failed · timed out after 10 s ·
 *   failed TLS: self-signed certificate · dropped the connection · cannot be reached: EHOSTUNREACH ·
 *   answered HTTP 503: <the server's short reason> · answered /path with HTML, not JSON ·
 *   answered JSON-RPC error -32005: limit exceeded ·
 *   is not an execution node: it answered HTTP 501 to eth_chainId (see notANode)
 *
 * The startup checks add their own: "is on the wrong chain (…)", "is syncing", "has no blocks yet".
 * Reasons are secret-free: bodies are cut short and pass sanitizeText.
 */
import { errorChain, errorLine } from "../errors.ts";
import { sanitizeText } from "../sanitize.ts";

export type EndpointFailureKind =
  /** No HTTP answer: refused, DNS, TLS, connection dropped. */
  | "network"
  | "timeout"
  /** An HTTP status of 300 or more. */
  | "http"
  /** A 2xx answer that is not JSON. */
  | "not-json"
  /** A JSON-RPC error object. */
  | "rpc-error"
  /** A well-formed answer with the wrong content (schema, hash, size). */
  | "invalid-response"
  | "other";

/** What the body of an HTTP answer looked like, when known. */
export type BodyForm = "json" | "html" | "text" | "empty";

export interface EndpointFailure {
  kind: EndpointFailureKind;
  /** What the endpoint did, in words that follow its URL ("refused the connection"). Secret-free. */
  reason: string;
  /** The HTTP status, for kind "http". */
  status?: number;
  /** The form of the answer's body, for kinds "http" and "not-json". */
  body?: BodyForm;
}

/** An error that carries its own classification (EndpointRequestError). */
export interface ClassifiedError {
  readonly failure: EndpointFailure;
}

export interface ClassifyOptions {
  /** The request's timeout, for "timed out after N s" (viem's TimeoutError does not carry it). */
  timeoutMs?: number;
}

/**
 * Classifies the failure of one request to one endpoint, looking through the whole cause chain: a
 * classified error's own classification, a timeout, a system error code (the innermost), an HTTP
 * status (viem's HttpRequestError), a JSON-RPC error, a body that is not JSON.
 * Anything else reads "failed: <the error's one line>".
 */
export function classifyFailure(error: unknown, options: ClassifyOptions = {}): EndpointFailure {
  const chain = errorChain(error);
  for (const e of chain) {
    if (isClassified(e)) return e.failure;
  }
  if (chain.some(isTimeout)) {
    const timeoutMs = options.timeoutMs ?? chain.map(timeoutOf).find((ms) => ms !== undefined);
    return { kind: "timeout", reason: timedOutAfter(timeoutMs) };
  }
  const coded = chain.filter((e) => systemCode(e) !== undefined).at(-1);
  if (coded !== undefined) return networkFailure(systemCode(coded) as string, coded);
  if (chain.some((e) => e instanceof Error && e.message === "bad port")) {
    // fetch refuses the ports of other protocols (1, 25, 6000, …) before connecting.
    return { kind: "network", reason: "uses a port that fetch refuses to connect to" };
  }
  for (const e of chain) {
    const rpc = rpcError(e);
    if (rpc) return rpc;
    const status = (e as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status >= 300) return httpFailure(status, bodyOf(e));
  }
  const syntax = chain.find((e) => e instanceof SyntaxError);
  if (syntax instanceof SyntaxError) {
    const html = /'<'|"<|^<|<!doctype|<html/i.test(syntax.message);
    return {
      kind: "not-json",
      body: html ? "html" : "text",
      reason: html ? "answered HTML, not JSON" : "answered text that is not JSON",
    };
  }
  return { kind: "other", reason: `failed: ${sanitizeText(errorLine(error))}` };
}

/** The reason alone, for one-line reports. */
export function failureReason(error: unknown, options: ClassifyOptions = {}): string {
  return classifyFailure(error, options).reason;
}

/** Statuses a server gives to a request it has no route or method for. */
const NO_SUCH_API = new Set([404, 405, 501]);

/**
 * "is not an execution node: it answered HTTP 501 to eth_chainId" when the failure shows that the
 * server is not the kind of node asked for: a 404/405/501 without a JSON body, or a 2xx answer that
 * is not JSON. Only for requests every such node serves (the startup checks'
 * eth_chainId or /eth/v1/config/deposit_contract); otherwise undefined.
 */
export function notANode(failure: EndpointFailure, node: string, request: string): string | undefined {
  let answered: string;
  if (failure.kind === "http" && failure.status !== undefined && NO_SUCH_API.has(failure.status)) {
    if (failure.body === "json") return undefined;
    answered = `HTTP ${failure.status}`;
  } else if (failure.kind === "not-json") {
    answered = failure.body === "html" ? "HTML" : "text that is not JSON";
  } else return undefined;
  return `is not ${node}: it answered ${answered} to ${request}`;
}

/** "answered HTTP 503: busy"; the body gives the server's short reason and its form. */
export function httpFailure(status: number, body: string | undefined): EndpointFailure {
  const { form, text } = describeBody(body);
  return {
    kind: "http",
    status,
    body: form,
    reason: text ? `answered HTTP ${status}: ${text}` : `answered HTTP ${status}`,
  };
}

/** "timed out after 10 s", "timed out after 250 ms", "timed out". */
export function timedOutAfter(timeoutMs: number | undefined): string {
  if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return "timed out";
  if (timeoutMs < 1000) return `timed out after ${timeoutMs} ms`;
  const seconds = timeoutMs / 1000;
  return `timed out after ${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

const BODY_REASON_CHARS = 120;

/**
 * The form of a response body and a short, secret-free line from it: a JSON error's `message` (or
 * `error`), an HTML page's title, else the first line of the text.
 */
export function describeBody(body: string | undefined): { form: BodyForm; text: string } {
  const trimmed = (body ?? "").trim();
  if (trimmed === "") return { form: "empty", text: "" };
  if (/^<|<html|<!doctype/i.test(trimmed.slice(0, 200))) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return { form: "html", text: short(title ? `an HTML page titled "${title}"` : "an HTML page") };
  }
  try {
    const json: unknown = JSON.parse(trimmed);
    return { form: "json", text: short(messageOf(json) ?? trimmed) };
  } catch {
    return { form: "text", text: short(trimmed.split("\n")[0] ?? "") };
  }
}

function messageOf(json: unknown): string | undefined {
  if (typeof json === "string") return json;
  if (typeof json !== "object" || json === null) return undefined;
  const { message, error } = json as { message?: unknown; error?: unknown };
  if (typeof message === "string") return message;
  if (typeof error === "string") return error;
  return messageOf(error);
}

function short(text: string): string {
  const line = sanitizeText(text.replace(/\s+/g, " ").trim());
  return line.length > BODY_REASON_CHARS ? `${line.slice(0, BODY_REASON_CHARS - 1)}…` : line;
}

function isClassified(error: unknown): error is ClassifiedError {
  const failure = (error as { failure?: unknown } | null)?.failure;
  return (
    typeof failure === "object" &&
    failure !== null &&
    typeof (failure as EndpointFailure).reason === "string" &&
    typeof (failure as EndpointFailure).kind === "string"
  );
}

/** viem's TimeoutError, the DOMException of AbortSignal.timeout, a timeout error code. */
function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = systemCode(error);
  return error.name === "TimeoutError" || (code !== undefined && TIMEOUT_CODES.has(code));
}

function timeoutOf(error: unknown): number | undefined {
  const ms = (error as { timeoutMs?: unknown } | null)?.timeoutMs;
  return typeof ms === "number" ? ms : undefined;
}

/** A Node or undici error code (ECONNREFUSED, UND_ERR_SOCKET, CERT_HAS_EXPIRED); not a JSON-RPC code. */
function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]+$/.test(code) ? code : undefined;
}

const TIMEOUT_CODES = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL", "EAI_NODATA"]);
const DROPPED_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$)/;
const TLS_WORDS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed certificate in the chain",
  CERT_HAS_EXPIRED: "certificate has expired",
  CERT_NOT_YET_VALID: "certificate is not yet valid",
  ERR_TLS_CERT_ALTNAME_INVALID: "certificate is for another host name",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "certificate is not trusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "certificate is not trusted",
  ERR_SSL_WRONG_VERSION_NUMBER: "the server does not speak TLS (an http:// endpoint?)",
};

function networkFailure(code: string, error: unknown): EndpointFailure {
  if (code === "ECONNREFUSED") return { kind: "network", reason: "refused the connection" };
  if (DNS_CODES.has(code)) return { kind: "network", reason: "cannot be resolved: DNS lookup failed" };
  if (DROPPED_CODES.has(code)) return { kind: "network", reason: "dropped the connection" };
  if (TLS_CODE.test(code)) return { kind: "network", reason: `failed TLS: ${TLS_WORDS[code] ?? code}` };
  if (/^E[A-Z]+$/.test(code)) return { kind: "network", reason: `cannot be reached: ${code}` };
  return { kind: "network", reason: `cannot be reached: ${sanitizeText(errorLine(error))}` };
}

/** viem's RpcRequestError (a JSON-RPC error object, with or without an HTTP error status). */
function rpcError(error: unknown): EndpointFailure | undefined {
  if (!(error instanceof Error) || error.name !== "RpcRequestError") return undefined;
  const { code, details } = error as { code?: unknown; details?: unknown };
  const text = short(typeof details === "string" ? details : "");
  return {
    kind: "rpc-error",
    reason: `answered JSON-RPC error ${String(code)}${text ? `: ${text}` : ""}`,
  };
}

/**
 * The body of an HTTP error, as far as the error kept it: viem's HttpRequestError keeps a text
 * body JSON-quoted in `details` (else the status text).
 */
function bodyOf(error: unknown): string | undefined {
  const { details } = error as { details?: unknown };
  if (typeof details !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(details);
    return typeof parsed === "string" ? parsed : details;
  } catch {
    return details;
  }
}
