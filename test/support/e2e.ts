/**
 * Helpers shared by the end-to-end tests in test/e2e: vault data dirs written the way another
 * tool (the Python operator) writes them, data-dir snapshots, the deposit CLI vectors and the
 * checks every failing CLI run must pass.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { lstat, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { type CliResult, TEST_MNEMONIC } from "./cli.ts";

/** Python's json.dumps(value) with default settings, for the small objects the tests write. */
export function pythonJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value);
}

/** "0x…" public key of validator 0 (m/12381/3600/0/0/0) of a mnemonic. */
export function firstPublicKeyOf(mnemonic: string): string {
  const seed = mnemonicToSeed(mnemonic);
  const key = deriveValidatorKey(seed, 0);
  return `0x${Buffer.from(key.publicKey).toString("hex")}`;
}

/** Secret key hex (no 0x) of validator `index` of a mnemonic. */
export function secretKeyHexOf(mnemonic: string, index: number): string {
  const seed = mnemonicToSeed(mnemonic);
  return Buffer.from(deriveValidatorKey(seed, index).secretKey.toBytes()).toString("hex");
}

/** Public key hex (no 0x) of validator `index` of a mnemonic. */
export function publicKeyHexOf(mnemonic: string, index: number): string {
  const seed = mnemonicToSeed(mnemonic);
  return Buffer.from(deriveValidatorKey(seed, index).publicKey).toString("hex");
}

export interface WriteVaultConfigOptions {
  /** Defaults to key 0 of the given mnemonic. */
  firstPublicKey?: string;
  mnemonic?: string;
}

/**
 * Writes `<dataDir>/<vault lower case>/config.json` the way the Python operator does
 * (json.dumps, field order network, mnemonic_next_index, first_public_key). Returns the vault dir.
 */
export async function writeVaultConfig(
  dataDir: string,
  vault: string,
  network: string,
  nextIndex: number,
  options: WriteVaultConfigOptions = {},
): Promise<string> {
  const vaultDir = join(dataDir, vault.toLowerCase());
  await mkdir(vaultDir, { recursive: true });
  const firstPublicKey = options.firstPublicKey ?? firstPublicKeyOf(options.mnemonic ?? TEST_MNEMONIC);
  await writeFile(
    join(vaultDir, "config.json"),
    pythonJson({ network, mnemonic_next_index: nextIndex, first_public_key: firstPublicKey }),
  );
  return vaultDir;
}

export interface VaultConfigJson {
  network: string;
  mnemonic_next_index: number;
  first_public_key: string;
}

export async function readVaultConfigJson(vaultDir: string): Promise<VaultConfigJson> {
  return JSON.parse(await readFile(join(vaultDir, "config.json"), "utf8")) as VaultConfigJson;
}

export interface SnapshotEntry {
  type: "file" | "dir" | "other";
  mode: number;
  sha256?: string;
}

/**
 * Relative path → type, mode and content hash of everything under `dir` (which may not exist:
 * then the snapshot is empty). `exclude` drops paths (and everything under them).
 */
export async function snapshotDir(
  dir: string,
  exclude: (relative: string) => boolean = () => false,
): Promise<Map<string, SnapshotEntry>> {
  const result = new Map<string, SnapshotEntry>();
  if (!existsSync(dir)) return result;
  const walk = async (relative: string): Promise<void> => {
    for (const name of (await readdir(join(dir, relative))).sort()) {
      const rel = relative === "" ? name : `${relative}/${name}`;
      if (exclude(rel)) continue;
      const full = join(dir, rel);
      const stat = await lstat(full);
      if (stat.isDirectory()) {
        result.set(rel, { type: "dir", mode: stat.mode & 0o777 });
        await walk(rel);
      } else if (stat.isFile()) {
        const sha256 = createHash("sha256")
          .update(await readFile(full))
          .digest("hex");
        result.set(rel, { type: "file", mode: stat.mode & 0o777, sha256 });
      } else {
        result.set(rel, { type: "other", mode: stat.mode & 0o777 });
      }
    }
  };
  await walk("");
  return result;
}

/** Excludes the create-keys scratch dir `<vault>/.tmp` (lock and staging) from a snapshot. */
export const excludeTmp = (relative: string): boolean => /(^|\/)\.tmp(\/|$)/.test(relative);

export function assertSameSnapshot(
  actual: Map<string, SnapshotEntry>,
  expected: Map<string, SnapshotEntry>,
  message?: string,
): void {
  assert.deepEqual(Object.fromEntries(actual), Object.fromEntries(expected), message);
}

/** test/vectors/ (sources in its README.md). */
export const VECTORS_DIR = fileURLToPath(new URL("../vectors/", import.meta.url));

export type DepositCliVectorName = "mainnet-scrypt" | "hoodi-scrypt" | "mainnet-start2-pbkdf2";

export interface DepositDatumJsonEntry {
  pubkey: string;
  withdrawal_credentials: string;
  amount: number;
  signature: string;
  deposit_message_root: string;
  deposit_data_root: string;
  fork_version: string;
  network_name: string;
  deposit_cli_version: string;
}

export interface DepositCliVector {
  dir: string;
  depositDataFile: string;
  depositDataText: string;
  entries: DepositDatumJsonEntry[];
  /** Keystore file names, sorted by path index. */
  keystoreFiles: string[];
}

/** The deposit CLI's files of one folder of test/vectors/deposit-cli. */
export async function readDepositCliVector(name: DepositCliVectorName): Promise<DepositCliVector> {
  const dir = join(VECTORS_DIR, "deposit-cli", name);
  const names = readdirSync(dir).sort();
  const depositName = names.find((n) => /^deposit_data-\d+\.json$/.test(n));
  assert.ok(depositName, `no deposit_data-*.json in ${dir}`);
  const depositDataFile = join(dir, depositName);
  const depositDataText = await readFile(depositDataFile, "utf8");
  return {
    dir,
    depositDataFile,
    depositDataText,
    entries: JSON.parse(depositDataText) as DepositDatumJsonEntry[],
    keystoreFiles: names.filter((n) => n.startsWith("keystore-")),
  };
}

/** The keystore password of the deposit CLI vectors. */
export const DEPOSIT_CLI_PASSWORD = "operator-test-pw";

/** Replaces every deposit_cli_version value so files of different tool versions compare equal. */
export function normaliseDepositCliVersion(text: string): string {
  return text.replace(/"deposit_cli_version": "[^"]*"/g, '"deposit_cli_version": "X"');
}

/**
 * A failed run: non-zero exit, stderr is ONE line starting with "Error:", no stack trace, and
 * the line matches every given pattern. Returns the error line.
 */
export function assertCleanError(result: CliResult, ...patterns: RegExp[]): string {
  const context = `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
  assert.notEqual(result.code, 0, `expected a failure\n${context}`);
  assert.equal(result.signal, null, context);
  const lines = result.stderr.split("\n").filter((l) => l.trim().length > 0);
  assert.equal(lines.length, 1, `expected one stderr line\n${context}`);
  const line = lines[0] as string;
  assert.match(line, /^Error: /, context);
  assert.doesNotMatch(result.stderr, /\n\s+at /, `stack trace in stderr\n${context}`);
  assert.doesNotMatch(result.stdout, /\n\s+at .*:\d+/, `stack trace in stdout\n${context}`);
  for (const pattern of patterns) assert.match(line, pattern, context);
  return line;
}

export function assertSuccess(result: CliResult): void {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
}

/** Escapes text for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface Secrets {
  mnemonic?: string;
  passwords?: readonly string[];
  /** Hex of secret keys (no 0x); checked with and without 0x, any case. */
  secretKeysHex?: readonly string[];
}

/**
 * Asserts that no secret shows in the text: the mnemonic as a whole, any 3 consecutive words of
 * it, any password, any secret key.
 */
export function assertNoSecrets(text: string, secrets: Secrets, label = "output"): void {
  const lower = text.toLowerCase();
  const collapsed = lower.replace(/\s+/g, " ");
  if (secrets.mnemonic !== undefined) {
    const words = secrets.mnemonic.trim().toLowerCase().split(/\s+/);
    assert.ok(!collapsed.includes(words.join(" ")), `${label} contains the mnemonic`);
    for (let i = 0; i + 3 <= words.length; i++) {
      const triple = words.slice(i, i + 3);
      const pattern = new RegExp(triple.map(escapeRegExp).join("[\\s,;\"']+"), "u");
      assert.doesNotMatch(lower, pattern, `${label} contains 3 consecutive mnemonic words`);
    }
  }
  for (const password of secrets.passwords ?? []) {
    assert.ok(password.length > 0);
    assert.ok(!text.includes(password), `${label} contains a password`);
  }
  for (const key of secrets.secretKeysHex ?? []) {
    assert.ok(!lower.includes(key.toLowerCase()), `${label} contains a secret key`);
  }
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined. */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 50, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Index i of a keystore name keystore-m_12381_3600_<i>_0_0-<ts>.json (undefined if not one). */
export function keystoreIndex(name: string): number | undefined {
  const match = /^keystore-m_12381_3600_(\d+)_0_0-\d+\.json$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Keystore JSON files in a keystores dir, sorted by index. */
export async function listKeystores(keystoresDir: string): Promise<string[]> {
  if (!existsSync(keystoresDir)) return [];
  return (await readdir(keystoresDir))
    .filter((n) => keystoreIndex(n) !== undefined)
    .sort((a, b) => (keystoreIndex(a) as number) - (keystoreIndex(b) as number));
}

export async function fileMode(path: string): Promise<number> {
  return (await lstat(path)).mode & 0o777;
}
