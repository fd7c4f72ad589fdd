import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { UserInputError } from "../../lib/errors.ts";
import { fsErrorReason } from "../../lib/fs.ts";
import { toPythonJson } from "../../lib/python-json.ts";
import type { Hex } from "../sources/exit-signer.ts";
import { normalizePublicKey } from "../sources/keystore-index.ts";

/**
 * `remote_signer_config.json` of a vault dir (spec §1.4, §4.2): which key shares in the remote
 * signer belong to which validator. Share j (0-based) is the one oracle j of the protocol config
 * gets, x = j + 1. `{"pubkeys_to_shares": {"0x<pubkey>": ["0x<share pubkey>", …]}}`.
 */
export const REMOTE_SIGNER_CONFIG_FILE = "remote_signer_config.json";

export function remoteSignerConfigFile(vaultDir: string): string {
  return join(vaultDir, REMOTE_SIGNER_CONFIG_FILE);
}

/** Validator public key → its share public keys in oracle order; all 0x + lower-case hex. */
export type PubkeysToShares = ReadonlyMap<Hex, readonly Hex[]>;

/** Parses the file's text; errors name the file and the field and say how to fix it. */
export function parseRemoteSignerConfig(text: string, file: string): PubkeysToShares {
  const fix = `fix it or re-run "operator remote-signer-setup"`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserInputError(`remote signer config ${file} is not valid JSON: ${fix}`);
  }
  const fail = (field: string, problem: string): never => {
    throw new UserInputError(`remote signer config ${file}: field "${field}" ${problem}: ${fix}`);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("(root)", "must be an object");
  const root = json as Record<string, unknown>;
  const mapping = root.pubkeys_to_shares;
  if (typeof mapping !== "object" || mapping === null || Array.isArray(mapping)) {
    fail("pubkeys_to_shares", "must be an object of public key → list of share public keys");
  }
  const result = new Map<Hex, Hex[]>();
  for (const [key, value] of Object.entries(mapping as Record<string, unknown>)) {
    const field = `pubkeys_to_shares.${key}`;
    const publicKey = normalizePublicKey(key);
    if (!publicKey) return fail(field, "is not a 48-byte BLS public key in hex");
    if (result.has(publicKey)) fail(field, "appears twice");
    if (!Array.isArray(value) || value.length === 0) {
      return fail(field, "must be a non-empty list of share public keys");
    }
    const shares = value.map((share, j) => {
      const normalized = typeof share === "string" ? normalizePublicKey(share) : undefined;
      return normalized ?? fail(`${field}[${j}]`, "is not a 48-byte BLS public key in hex");
    });
    if (new Set(shares).size !== shares.length) fail(field, "lists a share public key twice");
    result.set(publicKey, shares);
  }
  if (result.size === 0) fail("pubkeys_to_shares", "is empty");
  return result;
}

/** Reads and parses the file; a missing file is a UserInputError naming the setup command. */
export async function readRemoteSignerConfig(file: string): Promise<PubkeysToShares> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new UserInputError(
        `remote signer config ${file} does not exist: run "operator remote-signer-setup" first`,
      );
    }
    throw new UserInputError(
      `cannot read remote signer config ${file} (${code ?? "error"}): check its permissions`,
    );
  }
  return parseRemoteSignerConfig(text, file);
}

/** Reads the file if it exists (for merging), else an empty map. */
export async function readRemoteSignerConfigIfExists(file: string): Promise<PubkeysToShares> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return new Map();
    throw new UserInputError(
      `cannot read remote signer config ${file} (${code ?? "error"}): check its permissions, or move it away to start a new one`,
      { cause: error },
    );
  }
  return parseRemoteSignerConfig(text, file);
}

export function serializeRemoteSignerConfig(config: PubkeysToShares): string {
  return toPythonJson({ pubkeys_to_shares: Object.fromEntries(config) });
}

/** Writes the file atomically (no secrets in it: public keys only). */
export async function writeRemoteSignerConfig(file: string, config: PubkeysToShares): Promise<void> {
  await writeFileAtomic(file, serializeRemoteSignerConfig(config), { mode: 0o644 });
}

/**
 * Removes a remote_signer_config.json where the signer holds whole keys: with it, `start` would
 * ask the signer for key shares it does not hold. Says so through `report` when there was one.
 */
export async function removeKeyShareConfig(file: string, report: (line: string) => void): Promise<void> {
  try {
    await rm(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    const reason = fsErrorReason(error);
    if (reason === undefined) throw error;
    throw new UserInputError(
      `cannot remove ${file} (${reason}): remove it, or start would ask the remote signer for key shares it does not hold`,
    );
  }
  report(`Removed ${file}: the remote signer holds whole validator keys, and start signs with them.`);
}
