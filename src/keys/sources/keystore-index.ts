import { constants, type Dirent, readFileSync } from "node:fs";
import { access, readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { isKeystore } from "../../crypto/keystore.ts";
import { UserInputError } from "../../lib/errors.ts";
import { toHex } from "../../lib/hex.ts";
import { DuplicateKeystoreError, InvalidKeystoreError, KeystorePasswordFileError } from "./errors.ts";

/** One keystore file, found and parsed but not decrypted. */
export interface IndexedKeystore {
  /** 0x + 96 lower-case hex digits, from the keystore's `pubkey` field. */
  publicKey: `0x${string}`;
  /** Absolute path of the keystore file. */
  file: string;
  /** The account index i of an EIP-2334 path m/12381/3600/i/0/0; undefined for any other path. */
  index: number | undefined;
  /** The file that holds this keystore's password (spec §1.4 lookup order). */
  passwordFile: string;
}

export interface IndexKeystoresOptions {
  keystoresDir: string;
  /** The shared password file (--keystores-password-file; usually `<keystoresDir>/password.txt`). */
  passwordFile: string;
  /** KEYSTORES_PASSWORD_DIR, searched first for `<keystore name>.txt`; defaults to the keystores dir. */
  passwordDir?: string;
}

export type PublicKeyLike = string | Uint8Array;

/** 0x + lower-case hex of a 48-byte public key given as bytes or hex (with or without 0x). */
export function normalizePublicKey(publicKey: PublicKeyLike): `0x${string}` | undefined {
  if (typeof publicKey !== "string") return publicKey.length === 48 ? `0x${toHex(publicKey)}` : undefined;
  const digits = publicKey.startsWith("0x") || publicKey.startsWith("0X") ? publicKey.slice(2) : publicKey;
  return /^[0-9a-fA-F]{96}$/.test(digits) ? `0x${digits.toLowerCase()}` : undefined;
}

/**
 * The keystores of a directory, indexed by public key and sorted by derivation index (as the
 * Python operator v4 orders them). Holds paths and public keys only: 10,000 keystores cost a few
 * MiB, and building the index reads and parses each file once without running any KDF.
 */
export class KeystoreIndex {
  /** Sorted by derivation index, then by file path. */
  readonly entries: readonly IndexedKeystore[];
  readonly #byPublicKey: ReadonlyMap<string, IndexedKeystore>;

  constructor(entries: readonly IndexedKeystore[]) {
    this.entries = entries;
    this.#byPublicKey = new Map(entries.map((entry) => [entry.publicKey, entry]));
  }

  get size(): number {
    return this.entries.length;
  }

  get(publicKey: PublicKeyLike): IndexedKeystore | undefined {
    const key = normalizePublicKey(publicKey);
    return key === undefined ? undefined : this.#byPublicKey.get(key);
  }
}

/**
 * Files read between two yields to the event loop. Synchronous reads of small files are about
 * three times faster than fs/promises (one syscall each instead of four thread-pool round trips);
 * 200 of them block the loop for a few milliseconds.
 */
const FILES_PER_SLICE = 200;

/**
 * Finds every `keystore*.json` under `keystoresDir` (recursively, like the Python operator v4),
 * validates and indexes it, and resolves each one's password file:
 * `<passwordDir>/<name>.txt`, else `<name>.txt` beside the keystore, else the shared file.
 * Passwords are not read here; the shared password file must exist when any keystore uses it.
 */
export async function indexKeystores(options: IndexKeystoresOptions): Promise<KeystoreIndex> {
  const keystoresDir = resolve(options.keystoresDir);
  const passwordDir = resolve(options.passwordDir ?? keystoresDir);
  const sharedPasswordFile = resolve(options.passwordFile);

  const { keystoreFiles, textFiles } = await walkKeystoresDir(keystoresDir);
  if (keystoreFiles.length === 0) {
    throw new UserInputError(
      `no keystore files (keystore*.json) in ${keystoresDir}: run "operator create-keys" or pass --keystores-dir`,
    );
  }
  if (passwordDir !== keystoresDir) {
    for (const file of await listTextFiles(passwordDir)) textFiles.add(file);
  }

  const passwordFileFor = (file: string): string => {
    const name = `${basename(file).slice(0, -".json".length)}.txt`;
    const inPasswordDir = join(passwordDir, name);
    if (textFiles.has(inPasswordDir)) return inPasswordDir;
    const beside = join(dirname(file), name);
    if (textFiles.has(beside)) return beside;
    return sharedPasswordFile;
  };

  const entries: IndexedKeystore[] = [];
  for (const file of keystoreFiles) {
    if (entries.length > 0 && entries.length % FILES_PER_SLICE === 0) await yieldToEventLoop();
    const { publicKey, index } = readKeystoreHeader(file);
    entries.push({ publicKey, file, index, passwordFile: passwordFileFor(file) });
  }
  entries.sort(compareEntries);

  const seen = new Map<string, string>();
  for (const entry of entries) {
    const other = seen.get(entry.publicKey);
    if (other !== undefined) {
      throw new DuplicateKeystoreError(
        `keystores ${other} and ${entry.file} hold the same public key ${entry.publicKey}: remove one of the two files`,
      );
    }
    seen.set(entry.publicKey, entry.file);
  }

  const usingShared = entries.filter((entry) => entry.passwordFile === sharedPasswordFile);
  if (usingShared.length > 0) await assertReadable(sharedPasswordFile, usingShared, passwordDir);
  return new KeystoreIndex(entries);
}

/** Reads one keystore file and returns what the index keeps; throws InvalidKeystoreError. */
export function readKeystoreHeader(file: string): { publicKey: `0x${string}`; index: number | undefined } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InvalidKeystoreError(file, `cannot be read: ${(error as NodeJS.ErrnoException).code}`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidKeystoreError(file, "not valid JSON", error);
  }
  if (!isKeystore(json)) throw new InvalidKeystoreError(file, "does not match the EIP-2335 keystore schema");
  if (json.pubkey === undefined) throw new InvalidKeystoreError(file, 'has no "pubkey" field');
  return { publicKey: `0x${json.pubkey.toLowerCase()}`, index: eip2334AccountIndex(json.path) };
}

/** i of m/12381/3600/i/0/0 (the 4th segment, as the Python operator parses it). */
export function eip2334AccountIndex(path: string): number | undefined {
  const match = /^m\/12381\/3600\/(\d{1,10})\/0\/0$/.exec(path);
  if (!match) return undefined;
  const index = Number(match[1]);
  return index < 2 ** 32 ? index : undefined;
}

function compareEntries(a: IndexedKeystore, b: IndexedKeystore): number {
  const ai = a.index ?? Number.POSITIVE_INFINITY;
  const bi = b.index ?? Number.POSITIVE_INFINITY;
  if (ai !== bi) return ai < bi ? -1 : 1;
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

async function walkKeystoresDir(root: string): Promise<{ keystoreFiles: string[]; textFiles: Set<string> }> {
  const keystoreFiles: string[] = [];
  const textFiles = new Set<string>();
  const pending = [root];
  let first = true;
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let dirents: Dirent[];
    try {
      dirents = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (first && code === "ENOENT") {
        throw new UserInputError(
          `keystores dir ${root} does not exist: run "operator create-keys" or pass --keystores-dir`,
        );
      }
      throw new UserInputError(
        `cannot read keystores dir ${dir} (${code ?? "error"}): check its permissions`,
      );
    }
    first = false;
    for (const dirent of dirents) {
      const path = join(dir, dirent.name);
      if (dirent.isDirectory()) {
        pending.push(path);
        continue;
      }
      if (!(await isFile(dirent, path))) continue;
      if (dirent.name.startsWith("keystore") && dirent.name.endsWith(".json")) keystoreFiles.push(path);
      else if (dirent.name.endsWith(".txt")) textFiles.add(path);
    }
  }
  return { keystoreFiles, textFiles };
}

async function listTextFiles(dir: string): Promise<string[]> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError(
      code === "ENOENT"
        ? `keystores password dir ${dir} does not exist: fix KEYSTORES_PASSWORD_DIR or unset it`
        : `cannot read keystores password dir ${dir} (${code ?? "error"}): check its permissions`,
    );
  }
  const files: string[] = [];
  for (const dirent of dirents) {
    const path = join(dir, dirent.name);
    if (dirent.name.endsWith(".txt") && (await isFile(dirent, path))) files.push(path);
  }
  return files;
}

/** A regular file, or a symlink to one (Python's Path.is_file follows links). */
async function isFile(dirent: Dirent, path: string): Promise<boolean> {
  if (dirent.isFile()) return true;
  if (!dirent.isSymbolicLink()) return false;
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function assertReadable(
  passwordFile: string,
  users: readonly IndexedKeystore[],
  passwordDir: string,
): Promise<void> {
  try {
    await access(passwordFile, constants.R_OK);
  } catch (error) {
    const first = users[0] as IndexedKeystore;
    const others = users.length > 1 ? ` and ${users.length - 1} other keystores` : "";
    const name = `${basename(first.file).slice(0, -".json".length)}.txt`;
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeystorePasswordFileError(
      code === "ENOENT"
        ? `no password file for keystore ${first.file}${others}: create ${passwordFile} (or pass --keystores-password-file), or put ${name} beside the keystore or in ${passwordDir} (KEYSTORES_PASSWORD_DIR)`
        : `cannot read keystores password file ${passwordFile} (${code ?? "error"}): check its permissions`,
      { cause: error },
    );
  }
}
