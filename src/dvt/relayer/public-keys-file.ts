import { readFile } from "node:fs/promises";
import { UserInputError } from "../../lib/errors.ts";
import { normalizeKey } from "./store.ts";

/** The DV public keys CSV (spec A.3): first column a 0x key, blank lines ignored, at least one key. */
export async function readPublicKeysFile(file: string): Promise<`0x${string}`[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UserInputError(`cannot read --public-keys-file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const keys: `0x${string}`[] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const first = line.split(",")[0]?.trim() ?? "";
    if (first === "") continue;
    if (!/^0x[0-9a-fA-F]{96}$/.test(first)) {
      throw new UserInputError(
        `--public-keys-file ${file} line ${i + 1}: "${first.slice(0, 20)}" is not a 48-byte 0x public key`,
      );
    }
    keys.push(normalizeKey(first));
  }
  if (keys.length === 0) throw new UserInputError(`--public-keys-file ${file} has no public keys`);
  return keys;
}
