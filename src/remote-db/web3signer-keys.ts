import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, rmdir } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { syncDir } from "../lib/atomic-file.ts";
import { type KeyCodec, SECRET_KEY_LENGTH } from "./encryption-key.ts";
import type { RemoteDb } from "./remote-db.ts";
import { packEncryptedRows } from "./stored-keys.ts";

/**
 * Decrypts all the vault's keys and shares, reading the table through a cursor `batchSize` rows
 * at a time: memory holds the distinct private keys (0x-hex) and one batch. Returns them deduped
 * and sorted by hex, the order `key_{i}.yaml` files are numbered in.
 */
export async function decryptVaultKeys(db: RemoteDb, codec: KeyCodec, batchSize = 5000): Promise<string[]> {
  const keys = new Set<string>();
  for await (const rows of db.keypairBatches(batchSize)) {
    const plain = codec.decrypt(packEncryptedRows(rows, db.tables.keypairs));
    for (let i = 0; i < rows.length; i++) {
      keys.add(
        `0x${Buffer.from(plain.buffer, plain.byteOffset + i * SECRET_KEY_LENGTH, SECRET_KEY_LENGTH).toString("hex")}`,
      );
    }
    plain.fill(0);
  }
  return [...keys].sort();
}

/**
 * One web3signer key file as the Python operator writes it (PyYAML `yaml.dump`: keys sorted, the
 * 0x-hex quoted since YAML 1.1 would read it as an integer).
 */
export function web3signerKeyYaml(privateKey: string): string {
  return `keyType: BLS\nprivateKey: '${privateKey}'\ntype: file-raw\n`;
}

const KEY_FILE = /^key_(\d+)\.yaml$/;
const FILES_PER_SLICE = 500;

/**
 * Writes `key_{i}.yaml` (mode 0600) for every key, never leaving a half-written file where
 * web3signer reads: the files are written into a new directory beside `outputDir` (or inside it
 * when its parent is not writable) and then moved in. A missing or empty `outputDir` is replaced
 * by that directory in one rename; otherwise the files are renamed in one by one and key files of
 * an earlier run beyond the new count are removed. Files are not fsynced one by one (120,000
 * fsyncs take minutes): after a crash, running the command again rewrites them all.
 */
export async function writeWeb3signerKeys(outputDir: string, keys: readonly string[]): Promise<void> {
  const target = resolve(outputDir);
  const staging = await createStagingDir(target);
  try {
    for (let i = 0; i < keys.length; i++) {
      const fd = openSync(join(staging, `key_${i}.yaml`), "wx", 0o600);
      try {
        writeSync(fd, web3signerKeyYaml(keys[i] as string));
      } finally {
        closeSync(fd);
      }
      if (i % FILES_PER_SLICE === FILES_PER_SLICE - 1) await yieldToEventLoop();
    }
    await syncDir(staging);
    if (await replaceEmptyDir(target, staging)) return;
    for (let i = 0; i < keys.length; i++) {
      renameSync(join(staging, `key_${i}.yaml`), join(target, `key_${i}.yaml`));
      if (i % FILES_PER_SLICE === FILES_PER_SLICE - 1) await yieldToEventLoop();
    }
    for (const name of await readdir(target)) {
      const index = KEY_FILE.exec(name)?.[1];
      if (index !== undefined && Number(index) >= keys.length) await rm(join(target, name), { force: true });
    }
    await syncDir(target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function createStagingDir(target: string): Promise<string> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  try {
    return await mkdtemp(join(parent, `.${basename(target)}-keys-`));
  } catch {
    // A read-only parent (a mounted volume as the output dir): stage inside the output dir.
    await mkdir(target, { recursive: true, mode: 0o700 });
    return await mkdtemp(join(target, ".keys-"));
  }
}

/** Puts `staging` in place of a missing or empty `target` with one rename; false when it cannot. */
async function replaceEmptyDir(target: string, staging: string): Promise<boolean> {
  if (dirname(staging) !== dirname(target)) return false;
  try {
    await rmdir(target);
  } catch (error) {
    // ENOENT: nothing to replace. ENOTEMPTY, EBUSY (a mount point), EACCES: move the files in.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") return false;
  }
  try {
    await rename(staging, target);
  } catch {
    await mkdir(target, { recursive: true, mode: 0o700 });
    return false;
  }
  await syncDir(dirname(target));
  return true;
}
