/**
 * A recovered vault dir is written in a staging dir and moved into place at the end, so an
 * interrupted or failed recover leaves the data dir as it was. An existing vault dir is only
 * replaced on request, and even then its keystores and config.json are moved to a backup dir
 * inside it, never deleted (they may hold keys of another mnemonic); the rest (hot wallet,
 * operator.db) stays.
 *
 * The staging dir is on the file system of its target, so that the final moves are renames: in
 * the data dir for a new vault dir, under the vault dir's `.tmp/` when it is replaced (the vault
 * dir may be a mount of its own).
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, rmdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { expandHome, type VaultPaths, vaultPaths } from "../../config/data-dir.ts";
import { syncDir } from "../../lib/atomic-file.ts";
import { OperatorError } from "../../lib/errors.ts";
import { makeDirs, pathExists } from "../../lib/fs.ts";

export interface RecoveryStaging {
  /** Removed by commit or discard. */
  root: string;
  /** The vault dir layout inside the staging root. */
  paths: VaultPaths;
}

/** A staging dir untouched this long was left by a killed run; a younger one may be in use. */
export const STALE_STAGING_MS = 60 * 60 * 1000;

export interface RecoveryStagingDeps {
  /** For tests; default Date.now. */
  now?: () => number;
}

/**
 * A fresh staging dir next to where the recovered files go (see the file comment). Staging dirs
 * of this vault that a killed run left (untouched for an hour) are removed first; younger ones
 * may belong to a recover that is still running, and are kept.
 */
export async function createRecoveryStaging(
  dataDir: string,
  vault: string,
  deps: RecoveryStagingDeps = {},
): Promise<RecoveryStaging> {
  const now = deps.now ?? Date.now;
  const parent = expandHome(dataDir);
  const target = vaultPaths(parent, vault);
  const prefix = `.recover-${vault.toLowerCase()}-`;
  await removeStaleStaging(parent, prefix, vault, now());
  await removeStaleStaging(target.tmpDir, prefix, vault, now());
  const home = (await pathExists(target.vaultDir)) ? target.tmpDir : parent;
  const root = join(home, `${prefix}${now()}-${randomBytes(4).toString("hex")}`);
  const paths = vaultPaths(root, vault);
  await makeDirs(paths.keystoresDir, { mode: 0o700 });
  return { root, paths };
}

async function removeStaleStaging(dir: string, prefix: string, vault: string, now: number): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const root = join(dir, name);
    // The keystores dir changes with every key written; the root only when it is made.
    const inside = vaultPaths(root, vault);
    const touched = await Promise.all(
      [root, inside.vaultDir, inside.keystoresDir].map((path) =>
        stat(path).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    );
    if (now - Math.max(...touched) >= STALE_STAGING_MS) await rm(root, { recursive: true, force: true });
  }
}

export async function discardRecoveryStaging(staging: RecoveryStaging): Promise<void> {
  await rm(staging.root, { recursive: true, force: true });
  // The vault dir's .tmp/ when it is empty now (create-keys stages there too).
  if (basename(dirname(staging.root)) === ".tmp") await rmdir(dirname(staging.root)).catch(() => {});
}

export interface CommittedRecovery {
  /** Where the replaced keystores and config.json went, when a vault dir was replaced. */
  backupDir: string | undefined;
}

export interface CommitRecoveryDeps {
  /** For tests; default fs.rename. */
  rename?: (from: string, to: string) => Promise<void>;
}

/**
 * Moves a fully written staging dir into `target` (see the file comment) and removes it. When a
 * move fails, the moves done are undone and the staging dir is removed: the data dir is as it
 * was. When undoing fails too, the staging dir is kept, and the error names it and the backup
 * dir, so no keystore is lost.
 */
export async function commitRecovery(
  staging: RecoveryStaging,
  target: VaultPaths,
  deps: CommitRecoveryDeps = {},
): Promise<CommittedRecovery> {
  const move = deps.rename ?? rename;
  await syncDir(staging.paths.keystoresDir);
  let backupDir: string | undefined;
  if (!(await pathExists(target.vaultDir))) {
    try {
      await move(staging.paths.vaultDir, target.vaultDir);
    } catch (error) {
      await discardRecoveryStaging(staging);
      throw new OperatorError(
        `cannot move the recovered vault dir into ${target.vaultDir} (${errorCode(error)}): nothing was changed; check the data dir's permissions and run recover again`,
        { cause: error },
      );
    }
    await syncDir(dirname(target.vaultDir));
  } else {
    backupDir = join(target.vaultDir, `recover-backup-${Date.now()}`);
    await replaceInVaultDir(staging, target, backupDir, move);
  }
  await discardRecoveryStaging(staging).catch(() => {});
  return { backupDir };
}

async function replaceInVaultDir(
  staging: RecoveryStaging,
  target: VaultPaths,
  backupDir: string,
  move: (from: string, to: string) => Promise<void>,
): Promise<void> {
  const done: [from: string, to: string][] = [];
  const step = async (from: string, to: string) => {
    await move(from, to);
    done.push([from, to]);
  };
  try {
    await mkdir(backupDir, { mode: 0o700 });
    if (await pathExists(target.keystoresDir)) await step(target.keystoresDir, join(backupDir, "keystores"));
    if (await pathExists(target.configFile)) await step(target.configFile, join(backupDir, "config.json"));
    await step(staging.paths.keystoresDir, target.keystoresDir);
    await step(staging.paths.configFile, target.configFile);
  } catch (error) {
    const cannot = `cannot move the recovered keystores into ${target.vaultDir} (${errorCode(error)})`;
    if (await undo(done, move)) {
      await rmdir(backupDir).catch(() => {});
      await discardRecoveryStaging(staging);
      throw new OperatorError(
        `${cannot}: the vault dir was left as it was; check its permissions and run recover again`,
        { cause: error },
      );
    }
    throw new OperatorError(
      `${cannot}, and moving the previous files back failed too: ${target.vaultDir} is partly replaced; the previous keystores and config.json not moved back are in ${backupDir}, the recovered ones not moved in are in ${staging.paths.vaultDir}; put the ones you want in place by hand`,
      { cause: error },
    );
  }
  await syncDir(target.vaultDir);
}

/** Undoes the moves, last first; false when one cannot be undone. */
async function undo(
  done: readonly [from: string, to: string][],
  move: (from: string, to: string) => Promise<void>,
): Promise<boolean> {
  for (const [from, to] of [...done].reverse()) {
    try {
      await move(to, from);
    } catch {
      return false;
    }
  }
  return true;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? "error";
}
