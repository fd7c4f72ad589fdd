import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { syncDir } from "../lib/atomic-file.ts";
import { UserInputError } from "../lib/errors.ts";
import { fsErrorReason, makeDirs } from "../lib/fs.ts";
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
 * web3signer reads. An existing `outputDir` (a mounted volume, a symlink to one) stays as it is,
 * with its owner and mode: the files are written into a hidden directory inside it, on the same
 * filesystem, then renamed into place, and key files of an earlier run beyond the new count are
 * removed. A missing `outputDir` is made in a new directory beside it and renamed into place.
 * Files are not fsynced one by one (120,000 fsyncs take minutes): after a crash, running the
 * command again rewrites them all. Filesystem failures are one line naming `outputDir`.
 */
export async function writeWeb3signerKeys(outputDir: string, keys: SortedSecretKeys): Promise<void> {
  const target = resolve(outputDir);
  try {
    await writeKeyFiles(target, keys);
  } catch (error) {
    const reason = fsErrorReason(error);
    if (reason === undefined) throw error;
    throw new UserInputError(
      `cannot write the web3signer key files to ${outputDir} (${reason}): fix --output-dir or its permissions and run the command again`,
    );
  }
}

async function writeKeyFiles(target: string, keys: SortedSecretKeys): Promise<void> {
  const existing = await isDirectory(target);
  const staging = existing ? await mkdtemp(join(target, ".keys-")) : await createStagingBeside(target);
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
    if (!existing) {
      await rename(staging, target);
      await syncDir(dirname(target));
      return;
    }
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

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

async function createStagingBeside(target: string): Promise<string> {
  const parent = dirname(target);
  await makeDirs(parent);
  return await mkdtemp(join(parent, `.${basename(target)}-keys-`));
}
