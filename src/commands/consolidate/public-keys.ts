import { readFile } from "node:fs/promises";
import { UserInputError } from "../../lib/errors.ts";
import { InvalidValueError, type ValueParser } from "../../lib/values.ts";

const PUBLIC_KEY = /^(0x)?[0-9a-fA-F]{96}$/;

function normalise(text: string): `0x${string}` | undefined {
  const trimmed = text.trim();
  if (!PUBLIC_KEY.test(trimmed)) return undefined;
  return `0x${trimmed.replace(/^0x/, "").toLowerCase()}`;
}

/** One validator public key, 48 bytes of hex, with or without 0x (a ValueParser). */
export const publicKeyValue: ValueParser<`0x${string}`> = (text) => {
  const key = normalise(text);
  if (!key) throw new InvalidValueError("is not a validator public key: use 96 hex digits (48 bytes)");
  return key;
};

/** A comma-separated list of validator public keys (a ValueParser). */
export const publicKeysValue: ValueParser<`0x${string}`[]> = (text) => {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) throw new InvalidValueError("is empty: list at least one validator public key");
  return parts.map((part) => {
    const key = normalise(part);
    if (!key) {
      throw new InvalidValueError(
        `holds ${part.slice(0, 14)}…, not a validator public key: use 96 hex digits each, comma-separated`,
      );
    }
    return key;
  });
};

/** A file of public keys, one a line (as the Python operator reads it); blank lines are skipped. */
export async function readPublicKeysFile(file: string, flag: string): Promise<`0x${string}`[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UserInputError(`${flag} ${file} cannot be read: pass a file with one public key a line`, {
      cause: error,
    });
  }
  const keys: `0x${string}`[] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === "") continue;
    const key = normalise(line);
    if (!key)
      throw new UserInputError(
        `${flag} ${file} line ${i + 1} is not a validator public key: use 96 hex digits a line`,
      );
    keys.push(key);
  }
  if (keys.length === 0)
    throw new UserInputError(`${flag} ${file} holds no public key: put one public key a line`);
  return keys;
}
