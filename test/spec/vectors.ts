/**
 * Reads the test vectors in test/vectors/ (their sources are listed in its README.md). The
 * vectors are data only and are never regenerated with our own code.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const VECTORS_DIR = new URL("../vectors/", import.meta.url);

/** Absolute path of a file or folder under test/vectors/. */
export function vectorPath(relative: string): string {
  return fileURLToPath(new URL(relative, VECTORS_DIR));
}

export function readVectorText(relative: string): string {
  return readFileSync(vectorPath(relative), "utf8");
}

/** Parses a vector file; the caller states the shape it expects. */
export function readVectorJson<T>(relative: string): T {
  return JSON.parse(readVectorText(relative)) as T;
}

/** Names of the files in a vector folder, sorted, optionally filtered by a pattern. */
export function listVectorFiles(folder: string, pattern?: RegExp): string[] {
  return readdirSync(vectorPath(folder))
    .filter((name) => pattern === undefined || pattern.test(name))
    .sort();
}

/** Hex (with or without 0x, any case) to bytes; throws on malformed input so a bad vector is loud. */
export function hexBytes(text: string): Uint8Array {
  const digits = text.startsWith("0x") ? text.slice(2) : text;
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not hex: ${text}`);
  return new Uint8Array(Buffer.from(digits, "hex"));
}

/** Lower-case hex without 0x. */
export function bytesHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Lower-case hex with 0x. */
export function bytesHex0x(bytes: Uint8Array): string {
  return `0x${bytesHex(bytes)}`;
}

/** A 32-byte big-endian secret key as the decimal bigint the EIPs print. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytesHex(bytes)}`);
}

/** The test mnemonic of the deposit CLI vectors and of the spec's Appendix A. */
export const DEPOSIT_CLI_MNEMONIC =
  "legal winner thank year wave sausage worth useful legal winner thank yellow";
export const DEPOSIT_CLI_PASSWORD = "operator-test-pw";
export const DEPOSIT_CLI_WITHDRAWAL_ADDRESS = "0xeEFFFD4C23D2E8c845870e273861e7d60Df49663";
