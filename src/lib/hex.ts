/** Hex helpers for the two spellings used by the protocol's files: with and without "0x". */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

export function toPrefixedHex(bytes: Uint8Array): `0x${string}` {
  return `0x${toHex(bytes)}`;
}

/**
 * Parses hex with or without "0x"; returns undefined when it is not hex (of `length` bytes when
 * given). Buffer.from stops at the first non-hex pair, so a length check validates every digit.
 */
export function parseHex(text: string, length?: number): Uint8Array | undefined {
  const digits = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text;
  if (digits.length % 2 !== 0) return undefined;
  if (length !== undefined && digits.length !== length * 2) return undefined;
  const bytes = Buffer.from(digits, "hex");
  if (bytes.length * 2 !== digits.length) return undefined;
  // A copy: Buffer.from may return a view into Node's shared pool.
  return new Uint8Array(bytes);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

const HEX_DIGITS = Buffer.from("0123456789abcdef", "latin1");

/**
 * Writes the lowercase hex digits of `source[from, from + length)` into `target` at `offset`, as
 * ASCII bytes; returns the offset after them. For secrets and bulk output: no string is made.
 */
export function writeHexDigits(
  source: Uint8Array,
  from: number,
  length: number,
  target: Uint8Array,
  offset: number,
): number {
  let at = offset;
  for (let i = from; i < from + length; i++) {
    const byte = source[i] as number;
    target[at++] = HEX_DIGITS[byte >> 4] as number;
    target[at++] = HEX_DIGITS[byte & 15] as number;
  }
  return at;
}
