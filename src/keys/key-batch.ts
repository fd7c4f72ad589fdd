import { randomBytes } from "node:crypto";
import { open, readdir, readFile, rename, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { readVaultConfig, type VaultPaths, writeVaultConfig } from "../config/data-dir.ts";
import { syncDir, writeFileAtomic } from "../lib/atomic-file.ts";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { makeDirs, pathExists } from "../lib/fs.ts";

/**
 * A batch of new keys is made in a staging dir under `<vault>/.tmp/` and only then committed into
 * the vault dir. The commit is a journal: `commit.json` is written last in the staging dir, and
 * every commit step can be repeated. So at any crash point the vault dir is either untouched
 * (no commit.json: the staging dir is thrown away) or the commit is finished on the next run.
 */
export interface BatchManifest {
  fromIndex: number;
  count: number;
  /** mnemonic_next_index after the commit. */
  nextIndex: number;
  /** Name the replaced deposit_data.json is kept under, if there was one. */
  depositDataBackupName: string;
}

const MANIFEST = "commit.json";
const STAGED_KEYSTORES = "keystores";
const STAGED_DEPOSIT_DATA = "deposit_data.json";
const STAGED_PASSWORD = "password.txt";
const LOCK = "create-keys.lock";

export interface StagingDir {
  dir: string;
  keystoresDir: string;
  depositDataFile: string;
  passwordFile: string;
}

export async function createStagingDir(paths: VaultPaths): Promise<StagingDir> {
  const dir = join(paths.tmpDir, `create-keys-${Date.now()}-${randomBytes(4).toString("hex")}`);
  await makeDirs(join(dir, STAGED_KEYSTORES), { mode: 0o700 });
  return {
    dir,
    keystoresDir: join(dir, STAGED_KEYSTORES),
    depositDataFile: join(dir, STAGED_DEPOSIT_DATA),
    passwordFile: join(dir, STAGED_PASSWORD),
  };
}

/** Marks a fully written staging dir as ready to commit. */
export async function sealStagingDir(staging: StagingDir, manifest: BatchManifest): Promise<void> {
  await syncDir(staging.keystoresDir);
  await writeFileAtomic(join(staging.dir, MANIFEST), JSON.stringify(manifest), { mode: 0o600 });
}

/** Moves a sealed batch into the vault dir. Every step is idempotent. */
export interface CommittedBatch extends BatchManifest {
  /** The replaced deposit_data.json was kept under this name (in the vault dir). */
  depositDataBackup: string | undefined;
}

export async function commitBatch(
  paths: VaultPaths,
  stagingDir: string,
  vault: string,
): Promise<CommittedBatch> {
  const manifest = JSON.parse(await readFile(join(stagingDir, MANIFEST), "utf8")) as BatchManifest;
  await makeDirs(paths.keystoresDir, { mode: 0o700 });

  const stagedPassword = join(stagingDir, STAGED_PASSWORD);
  if ((await pathExists(stagedPassword)) && !(await pathExists(paths.keystoresPasswordFile))) {
    await rename(stagedPassword, paths.keystoresPasswordFile);
  }
  const stagedKeystores = join(stagingDir, STAGED_KEYSTORES);
  for (const name of await listOrEmpty(stagedKeystores)) {
    await rename(join(stagedKeystores, name), join(paths.keystoresDir, name));
  }
  await syncDir(paths.keystoresDir);

  const stagedDepositData = join(stagingDir, STAGED_DEPOSIT_DATA);
  let backup = join(paths.vaultDir, manifest.depositDataBackupName);
  if (await pathExists(stagedDepositData)) {
    // deposit_data.json still there means it was not backed up yet (the backup rename removes
    // it), so a file already under the backup name belongs to an earlier run: pick a free name.
    if (await pathExists(paths.depositDataFile)) {
      for (let n = 2; await pathExists(backup); n++) {
        backup = join(
          paths.vaultDir,
          manifest.depositDataBackupName.replace(/\.backup\.json$/, `-${n}.backup.json`),
        );
      }
      await rename(paths.depositDataFile, backup);
    }
    await rename(stagedDepositData, paths.depositDataFile);
    await syncDir(paths.vaultDir);
  }

  const config = await readVaultConfig(paths, vault);
  if (config.mnemonic_next_index < manifest.nextIndex) {
    await writeVaultConfig(paths, { ...config, mnemonic_next_index: manifest.nextIndex });
  }
  await rm(stagingDir, { recursive: true, force: true });
  return { ...manifest, depositDataBackup: (await pathExists(backup)) ? backup : undefined };
}

/**
 * Finishes or discards what an interrupted run left in `<vault>/.tmp/`: sealed batches are
 * committed, unsealed ones removed. Returns the batches it committed.
 */
export async function recoverInterruptedBatches(paths: VaultPaths, vault: string): Promise<CommittedBatch[]> {
  const committed: CommittedBatch[] = [];
  for (const name of await listOrEmpty(paths.tmpDir)) {
    if (!name.startsWith("create-keys-")) continue;
    const dir = join(paths.tmpDir, name);
    if (await pathExists(join(dir, MANIFEST))) committed.push(await commitBatch(paths, dir, vault));
    else await rm(dir, { recursive: true, force: true });
  }
  return committed;
}

/**
 * Takes the vault's create-keys lock so two runs never hand out the same indexes. A lock left by
 * a process that no longer exists is taken over.
 */
export async function acquireBatchLock(paths: VaultPaths): Promise<() => Promise<void>> {
  await makeDirs(paths.tmpDir, { mode: 0o700 });
  const lockFile = join(paths.tmpDir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, "wx", 0o600);
      await handle.writeFile(`${process.pid} ${PROCESS_STARTED_AT}`);
      await handle.close();
      return async () => {
        await rm(lockFile, { force: true });
        await rmdir(paths.tmpDir).catch(() => {}); // only when empty
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const [pidText, startedText] = (await readFile(lockFile, "utf8").catch(() => "")).trim().split(" ");
      const holder = Number.parseInt(pidText ?? "", 10);
      if (Number.isInteger(holder) && holder > 0 && isHolding(holder, startedText)) {
        throw new UserInputError(
          `another create-keys (pid ${holder}) is running for this vault; wait for it to finish (lock: ${lockFile})`,
        );
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new OperatorError(`cannot take the create-keys lock ${lockFile}`);
}

/** When this process started (ms since epoch): tells our own lock from a dead process's same pid. */
const PROCESS_STARTED_AT = Math.round(Date.now() - process.uptime() * 1000);

/**
 * Whether the process named in a lock still holds it. Our own pid counts only if the lock was
 * written by this very process: containers reuse pids, so a crashed run's lock may carry ours.
 */
function isHolding(pid: number, startedText: string | undefined): boolean {
  if (pid === process.pid) return Number(startedText) === PROCESS_STARTED_AT;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * Writes a secret file (0600) in a staging dir; staging dirs are private, so no rename is needed.
 * It is fsynced: once the staging dir is moved into place, a power loss must not leave an empty
 * keystore behind a config that counts it (the scrypt that made it takes far longer than this).
 */
export async function writeStagedSecret(path: string, text: string): Promise<void> {
  const handle = await open(path, "wx", 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
