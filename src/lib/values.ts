/**
 * Text values of flags, env vars and prompts: one parser per kind of value, and one message when
 * a value is refused. A parser throws an {@link InvalidValueError} whose reason says what the
 * value is not and what is accepted ("is not a port: use a whole number from 1 to 65535");
 * {@link invalidValueMessage} puts the input's name (and, unless it is secret, the value) in
 * front of it:
 *
 *   --metrics-port 99999 is not a port: use a whole number from 1 to 65535
 *   METRICS_PORT="99999" (for --metrics-port) is not a port: use a whole number from 1 to 65535
 */
import { UserInputError } from "./errors.ts";
import { sanitizeText } from "./sanitize.ts";

/** A value refused by a parser; `reason` starts with a verb ("is not …", "has …"). */
export class InvalidValueError extends UserInputError {
  override name = "InvalidValueError";
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

/** Parses one text value; throws an InvalidValueError. */
export type ValueParser<T> = (text: string) => T;

/** Where a value came from, for the message that refuses it. */
export interface ValueOrigin {
  /** The flag the value is for ("--metrics-port"); absent for an env-only setting. */
  flag?: string;
  /** Set when the value came from this env var. */
  envVar?: string;
  /** Never show the value (mnemonics, keys, tokens). */
  secret?: boolean;
}

/** Longest value shown in a message. */
const MAX_SHOWN = 60;

/** The value as a message shows it: quoted when empty or spaced, cut when long, URLs redacted. */
function shown(text: string): string {
  const cut = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
  const safe = sanitizeText(cut);
  return safe === "" || /[\s"']/.test(safe) ? JSON.stringify(safe) : safe;
}

/** The one line refusing `text` from `origin` (see the file comment). */
export function invalidValueMessage(origin: ValueOrigin, text: string, reason: string): string {
  const value = shown(text);
  if (origin.envVar !== undefined) {
    const name = origin.secret
      ? origin.envVar
      : `${origin.envVar}=${value.startsWith('"') ? value : `"${value}"`}`;
    return origin.flag !== undefined ? `${name} (for ${origin.flag}) ${reason}` : `${name} ${reason}`;
  }
  const name = origin.flag ?? "the value";
  return origin.secret ? `${name} ${reason}` : `${name} ${value} ${reason}`;
}

/** Runs `parse`; an InvalidValueError becomes a UserInputError naming the input (see above). */
export function parseValue<T>(parse: ValueParser<T>, text: string, origin: ValueOrigin): T {
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof InvalidValueError)) throw error;
    throw new UserInputError(invalidValueMessage(origin, text, error.reason));
  }
}

/**
 * An env-only setting: `fallback` when the variable is unset or empty, else its parsed value; a
 * bad value names the variable (`ORACLES_VALIDATORS_TIMEOUT="abc" is not …`).
 */
export function parseEnvValue<T>(
  env: NodeJS.ProcessEnv,
  envVar: string,
  parse: ValueParser<T>,
  fallback: T,
): T {
  const text = env[envVar];
  return text === undefined || text.trim() === "" ? fallback : parseValue(parse, text, { envVar });
}

/** A whole number from `min` to `max`; `what` names it in the reason ("a port"). */
export function wholeNumber(what: string, min: number, max = Number.MAX_SAFE_INTEGER): ValueParser<number> {
  const range =
    max === Number.MAX_SAFE_INTEGER
      ? `a whole number of at least ${min}`
      : `a whole number from ${min} to ${max}`;
  return (text) => {
    const value = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
      throw new InvalidValueError(`is not ${what}: use ${range}`);
    }
    return value;
  };
}

/** A decimal number above 0 ("30", "1.5"); `hint` says what to use ("a number of gwei, e.g. 30"). */
export function positiveNumber(what: string, hint: string): ValueParser<number> {
  return (text) => {
    const value = Number(text.trim());
    if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(value > 0) || !Number.isFinite(value)) {
      throw new InvalidValueError(`is not ${what}: use ${hint}`);
    }
    return value;
  };
}

/** One of `values`, in any case; `what` names it in the reason ("a log level"). */
export function oneOf<T extends string>(what: string, values: readonly T[]): ValueParser<T> {
  const list =
    values.length > 1
      ? `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`
      : String(values[0]);
  return (text) => {
    const value = text.trim().toLowerCase();
    const found = values.find((v) => v.toLowerCase() === value);
    if (found === undefined) throw new InvalidValueError(`is not ${what}: use ${list}`);
    return found;
  };
}

/** An http:// or https:// URL, returned trimmed and without trailing slashes. */
export function httpUrl(example: string): ValueParser<string> {
  return (text) => {
    const value = text.trim();
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== "http:" && protocol !== "https:") {
      throw new InvalidValueError(`is not an http(s) URL: use e.g. ${example}`);
    }
    return value.replace(/\/+$/, "");
  };
}

/** Comma-separated http(s) URLs (endpoints, gateways), at least one; each returned trimmed. */
export function httpUrlList(example: string): ValueParser<string[]> {
  const url = httpUrl(example);
  return (text) => {
    const items = text
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "");
    if (items.length === 0)
      throw new InvalidValueError(`is empty: use comma-separated URLs, e.g. ${example}`);
    for (const item of items) {
      try {
        url(item);
      } catch {
        throw new InvalidValueError(
          `is not a list of http(s) URLs (${sanitizeText(item)} is not one): use comma-separated URLs, e.g. ${example}`,
        );
      }
    }
    return items;
  };
}

/**
 * A whole number as a bigint, from `min` to `max` (no upper bound when absent): amounts in gwei
 * reach past Number.MAX_SAFE_INTEGER once they are multiplied into wei, so they stay exact.
 * `accepted` says what to use ("a whole number of gwei of at least 1000000000 (1 ETH)").
 */
export function wholeBigInt(what: string, accepted: string, min: bigint, max?: bigint): ValueParser<bigint> {
  return (text) => {
    const trimmed = text.trim();
    const value = /^\d+$/.test(trimmed) ? BigInt(trimmed) : undefined;
    if (value === undefined || value < min || (max !== undefined && value > max)) {
      throw new InvalidValueError(`is not ${what}: use ${accepted}`);
    }
    return value;
  };
}
