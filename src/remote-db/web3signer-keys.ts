import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, rmdir } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { syncDir } from "../lib/atomic-file.ts";
import type { KeyCodec } from "./encryption-key.ts";
import type { RemoteDb } from "./remote-db.ts";
import { SecretKeyCollector, type SortedSecretKeys } from "./secret-key-set.ts";
import { packEncryptedRows } from "./stored-keys.ts";

/**
 * Decrypts all the vault's keys and shares, reading the table through a cursor `batchSize` rows
 * at a time: memory holds the keys (32 bytes each) and one batch. Returns them deduped and sorted,
 * the order `key_{i}.yaml` files are numbered in (spec §7.5). The caller wipes them.
 */
export async function decryptVaultKeys(
  db: RemoteDb,
  codec: KeyCodec,
  options: { batchSize?: number; expected?: number } = {},
): Promise<SortedSecretKeys> {
  const keys = new SecretKeyCollector(options.expected);
  try {
    for await (const rows of db.keypairBatches(options.batchSize ?? 5000)) {
      const plain = codec.decrypt(packEncryptedRows(rows, db.tables.keypairs));
      keys.add(plain);
      plain.fill(0);
    }
  } catch (error) {
    keys.wipe();
    throw error;
  }
  return keys.finish();
}

const YAML_HEAD = "keyType: BLS\nprivateKey: '0x";
const YAML_TAIL = "'\ntype: file-raw\n";

/**
 * One web3signer key file as the Python operator writes it (PyYAML `yaml.dump`: keys sorted, the
 * 0x-hex quoted since YAML 1.1 would read it as an integer).
 */
export function web3signerKeyYaml(privateKey: string): string {
  return `${YAML_HEAD}${privateKey.slice(2)}${YAML_TAIL}`;
}

/** The bytes of `web3signerKeyYaml`, filled in place for each key: no string holds a key. */
class KeyYamlBuffer {
  readonly bytes = Buffer.from(web3signerKeyYaml(`0x${"0".repeat(64)}`), "latin1");
  fill(keys: SortedSecretKeys, index: number): Buffer {
    keys.writeHex(index, this.bytes, YAML_HEAD.length);
    return this.bytes;
  }
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
export async function writeWeb3signerKeys(outputDir: string, keys: SortedSecretKeys): Promise<void> {
  const target = resolve(outputDir);
  const staging = await createStagingDir(target);
  const yaml = new KeyYamlBuffer();
  try {
    for (let i = 0; i < keys.count; i++) {
      const fd = openSync(join(staging, `key_${i}.yaml`), "wx", 0o600);
      try {
        writeSync(fd, yaml.fill(keys, i));
      } finally {
        closeSync(fd);
      }
      if (i % FILES_PER_SLICE === FILES_PER_SLICE - 1) await yieldToEventLoop();
    }
    await syncDir(staging);
    if (await replaceEmptyDir(target, staging)) return;
    for (let i = 0; i < keys.count; i++) {
      renameSync(join(staging, `key_${i}.yaml`), join(target, `key_${i}.yaml`));
      if (i % FILES_PER_SLICE === FILES_PER_SLICE - 1) await yieldToEventLoop();
    }
    for (const name of await readdir(target)) {
      const index = KEY_FILE.exec(name)?.[1];
      if (index !== undefined && Number(index) >= keys.count) await rm(join(target, name), { force: true });
    }
    await syncDir(target);
  } finally {
    yaml.bytes.fill(0);
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
