/** Hex helpers for the two spellings used by the protocol's files: with and without "0x". */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

export function toPrefixedHex(bytes: Uint8Array): `0x${string}` {
  return `0x${toHex(bytes)}`;
}

const HEX = /^(0x)?([0-9a-fA-F]*)$/;

/** Parses hex with or without "0x"; returns undefined when it is not hex of `length` bytes. */
export function parseHex(text: string, length?: number): Uint8Array | undefined {
  const match = HEX.exec(text);
  const digits = match?.[2];
  if (digits === undefined || digits.length % 2 !== 0) return undefined;
  if (length !== undefined && digits.length !== length * 2) return undefined;
  return new Uint8Array(Buffer.from(digits, "hex"));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
