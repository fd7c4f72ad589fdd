/**
 * Turns arbitrary values into log-safe, JSON-safe values. It runs on EVERY log context value and
 * error message, so a secret passed by mistake is masked rather than written to disk:
 *
 * - any value under a secret-named key (password, secret, private, mnemonic, token, seed, api key,
 *   auth, cookie, …; plus the caller's `redactKeys`) is replaced by `[redacted]`; currencies named
 *   like tokens (`osToken`, `gasToken`, `tokenSymbol`) and keys that describe a secret
 *   (`passwordFile`) stay readable;
 * - a 32-byte hex string (0x optional) under a key-named key (`key`, `signingKey`, `privkey`, …)
 *   is replaced; other hex (public keys, roots, tx hashes) stays readable;
 * - in every string: URLs keep only scheme and host (`redactUrl`), `password=…` / `token: …` /
 *   `Bearer …` values are masked, and a run of 12 or more BIP-39-looking words (lower-case, 3–8
 *   letters each) is masked as a probable mnemonic;
 * - bytes are shown as their length only; long strings and arrays are truncated; cycles and deep
 *   nesting are cut; bigints become decimal strings.
 */

import { errorChain, errorLine } from "./errors.ts";

export const REDACTED = "[redacted]";
export const REDACTED_MNEMONIC = "[redacted mnemonic]";

const MAX_STRING = 2000;
const MAX_ARRAY = 100;
const MAX_DEPTH = 6;

/** Key words whose values are always secret. Matched against the words of a key (camelCase, snake_case, kebab). */
const SECRET_WORDS = new Set([
  "secret",
  "secrets",
  "private",
  "privkey",
  "password",
  "passwords",
  "passwd",
  "pwd",
  "passphrase",
  "mnemonic",
  "mnemonics",
  "token",
  "tokens",
  "seed",
  "phrase",
  "apikey",
  "auth",
  "authorization",
  "cookie",
  "jwt",
  "bearer",
  "credential",
]);

/** A key whose last word is one of these names a thing about a secret, not the secret itself. */
const DESCRIPTIVE_SUFFIXES = new Set([
  "path",
  "file",
  "dir",
  "address",
  "shares",
  "assets",
  "amount",
  "count",
  "length",
  "set",
  "present",
  "provided",
  "enabled",
  "required",
  "type",
  "config",
  "symbol",
]);

/** Words before "token" that make it a currency's name (osToken, gasToken), not a credential. */
const CURRENCY_TOKENS = new Set(["os", "gas"]);

const HEX32 = /^(0x)?[0-9a-fA-F]{64}$/;

type KeyClass = "plain" | "key" | "secret";

export interface SanitizeOptions {
  /** Extra key names (case-insensitive; a whole key or one of its words) whose values are always redacted. */
  redactKeys?: readonly string[];
}

/** Splits `privateKey`, `private_key`, `PRIVATE-KEY`, `APIKey` into lower-case words. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

function classifyKey(key: string, extra: ReadonlySet<string>): KeyClass {
  const lower = key.toLowerCase();
  const words = keyWords(key);
  if (extra.has(lower) || words.some((word) => extra.has(word))) return "secret";
  const last = words[words.length - 1] ?? "";
  const descriptive = DESCRIPTIVE_SUFFIXES.has(last);
  if (!descriptive) {
    // StakeWise's "osToken" and the chain's "gasToken" are currencies, not credentials.
    const isSecretWord = (word: string, i: number) =>
      SECRET_WORDS.has(word) && !(word.startsWith("token") && CURRENCY_TOKENS.has(words[i - 1] ?? ""));
    if (words.some(isSecretWord)) return "secret";
    if (lower.includes("apikey") || lower.includes("api_key") || lower.includes("privatekey"))
      return "secret";
  }
  if (words.some((word) => word === "key" || word === "keys" || word.endsWith("key"))) return "key";
  return "plain";
}

/**
 * Keeps the scheme and host (with port) of a URL and masks everything an operator's provider may
 * have put a credential in: `https://user:pass@host:8545/v3/abc?apikey=x` → `https://***@host:8545/***`.
 * A string that does not parse as a URL is masked after its scheme.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
    return scheme ? `${scheme[1]}://***` : "***";
  }
  const userinfo = parsed.username !== "" || parsed.password !== "" ? "***@" : "";
  const hasPath =
    (parsed.pathname !== "" && parsed.pathname !== "/") || parsed.search !== "" || parsed.hash !== "";
  return `${parsed.protocol}//${userinfo}${parsed.host}${hasPath ? "/***" : ""}`;
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const TRAILING_PUNCTUATION = /[).,;:!?\]}]+$/;
const SECRET_ASSIGNMENT =
  /\b([\w-]*?(?:secret|password|passwd|passphrase|mnemonic|private[_-]?key|api[_-]?key|access[_-]?token|auth[_-]?token|token)["']?\s*[:=]\s*["']?)([^\s"',;&]+)/gi;
const HEX_AFTER_SECRET_WORD =
  /\b((?:private|secret|signing)[ _-]?key|privkey|seed)(\W{1,5})(?:0x)?[0-9a-fA-F]{64}\b/gi;
const AUTH_SCHEME = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
const MNEMONIC_RUN = /\b(?:[a-z]{3,8}[ \t\r\n]+){11,}[a-z]{3,8}\b/g;

/** Masks URLs, `secret=value` assignments, auth headers and mnemonic-looking word runs in free text. */
export function sanitizeText(text: string): string {
  return text
    .replace(URL_IN_TEXT, (match) => {
      const trailing = TRAILING_PUNCTUATION.exec(match)?.[0] ?? "";
      return redactUrl(match.slice(0, match.length - trailing.length)) + trailing;
    })
    .replace(SECRET_ASSIGNMENT, (_match, prefix: string) => `${prefix}${REDACTED}`)
    .replace(HEX_AFTER_SECRET_WORD, (_match, word: string, gap: string) => `${word}${gap}${REDACTED}`)
    .replace(AUTH_SCHEME, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(MNEMONIC_RUN, REDACTED_MNEMONIC);
}

function truncate(text: string): string {
  return text.length > MAX_STRING
    ? `${text.slice(0, MAX_STRING)}…(${text.length - MAX_STRING} more chars)`
    : text;
}

/** The log view of an error: one line each for it and its causes, no secrets, no stack unless asked for. */
export interface SerializedError {
  name: string;
  /** One line: errorLine() of the error (never a request body or viem's metaMessages), sanitized. */
  message: string;
  retryable?: boolean;
  /**
   * The `cause` chain, nearest first, each as "Name: one line", sanitized:
   * `["HttpRequestError: HTTP request failed: fetch failed", "TypeError: fetch failed"]`.
   */
  causes?: string[];
  /** Only when the logger runs at debug level: each error's line and stack frames, causes included. */
  stack?: string;
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name || "Error";
  if (error === null) return "null";
  return typeof error;
}

/** One line for an error or a thrown non-error, sanitized. */
function oneLine(error: unknown): string {
  const line = error instanceof Error ? errorLine(error) : errorLine(describeNonError(error));
  return sanitizeText(line);
}

export function serializeError(error: unknown, options: { stack?: boolean } = {}): SerializedError {
  const out: SerializedError = { name: errorName(error), message: oneLine(error) };
  if (!(error instanceof Error)) return out;
  const retryable = (error as { retryable?: unknown }).retryable;
  if (typeof retryable === "boolean") out.retryable = retryable;
  const causes = errorChain(error).slice(1);
  if (causes.length > 0) out.causes = causes.map((cause) => `${errorName(cause)}: ${oneLine(cause)}`);
  if (options.stack) {
    const stacks = errorChain(error).map((e, i) => {
      const head = `${i === 0 ? "" : "caused by: "}${errorName(e)}: ${oneLine(e)}`;
      return [head, ...stackFrames(e)].join("\n");
    });
    out.stack = sanitizeText(stacks.join("\n"));
  }
  return out;
}

/** The "    at …" lines of an error's stack: its message (viem's spans many lines) is left out. */
function stackFrames(error: unknown): string[] {
  if (!(error instanceof Error) || typeof error.stack !== "string") return [];
  return error.stack.split("\n").filter((line) => /^\s+at /.test(line));
}

function describeNonError(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(sanitizeValue(value)) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Returns a sanitized, JSON-safe copy of `value`. */
export function sanitizeValue(value: unknown, options: SanitizeOptions = {}): unknown {
  const extra = new Set((options.redactKeys ?? []).map((key) => key.toLowerCase()));
  return sanitize(value, "plain", 0, new Set(), extra);
}

/** Sanitizes each value of a log context object, keeping its keys. */
export function sanitizeContext(
  context: Record<string, unknown>,
  options: SanitizeOptions = {},
): Record<string, unknown> {
  const sanitized = sanitizeValue(context, options);
  return typeof sanitized === "object" && sanitized !== null ? (sanitized as Record<string, unknown>) : {};
}

function sanitize(
  value: unknown,
  keyClass: KeyClass,
  depth: number,
  seen: Set<object>,
  extra: ReadonlySet<string>,
): unknown {
  if (value === null || value === undefined || typeof value === "boolean") return value;
  if (keyClass === "secret") return REDACTED;
  switch (typeof value) {
    case "string":
      if (keyClass === "key" && HEX32.test(value)) return REDACTED;
      return truncate(sanitizeText(value));
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "bigint":
      return value.toString();
    case "symbol":
      return value.toString();
    case "function":
      return `[function ${value.name || "anonymous"}]`;
  }
  const object = value as object;
  if (object instanceof Error) return serializeError(object);
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? "Invalid Date" : object.toISOString();
  if (object instanceof URL) return redactUrl(object.href);
  if (ArrayBuffer.isView(object)) return `[${object.byteLength} bytes]`;
  if (object instanceof ArrayBuffer) return `[${object.byteLength} bytes]`;
  if (seen.has(object)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(object);
  try {
    if (Array.isArray(object) || object instanceof Set) {
      const items = [...(object as Iterable<unknown>)];
      const out = items.slice(0, MAX_ARRAY).map((item) => sanitize(item, keyClass, depth + 1, seen, extra));
      if (items.length > MAX_ARRAY) out.push(`…(${items.length - MAX_ARRAY} more items)`);
      return out;
    }
    const entries = object instanceof Map ? [...object.entries()] : Object.entries(object);
    const out: Record<string, unknown> = {};
    for (const [rawKey, item] of entries) {
      const key = String(rawKey);
      out[key] = sanitize(item, classifyKey(key, extra), depth + 1, seen, extra);
    }
    return out;
  } finally {
    seen.delete(object);
  }
}
