/**
 * A recovered vault dir is written in a staging dir next to it and moved into place at the end,
 * so an interrupted or failed recover leaves the data dir as it was. An existing vault dir is
 * only replaced on request, and even then its keystores and config.json are moved to a backup
 * dir inside it, never deleted (they may hold keys of another mnemonic); the rest (hot wallet,
 * operator.db) stays.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { expandHome, type VaultPaths, vaultPaths } from "../../config/data-dir.ts";
import { syncDir } from "../../lib/atomic-file.ts";
import { pathExists } from "../../lib/fs.ts";

export interface RecoveryStaging {
  /** Removed by commit or discard. */
  root: string;
  /** The vault dir layout inside the staging root. */
  paths: VaultPaths;
}

/**
 * A fresh staging dir in the data dir. Staging dirs of this vault left by a killed run are
 * removed first (they were never moved into place, so nothing refers to them).
 */
export async function createRecoveryStaging(dataDir: string, vault: string): Promise<RecoveryStaging> {
  const parent = expandHome(dataDir);
  const prefix = `.recover-${vault.toLowerCase()}-`;
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (name.startsWith(prefix)) await rm(join(parent, name), { recursive: true, force: true });
  }
  const root = join(parent, `${prefix}${Date.now()}-${randomBytes(4).toString("hex")}`);
  const paths = vaultPaths(root, vault);
  await mkdir(paths.keystoresDir, { recursive: true, mode: 0o700 });
  return { root, paths };
}

export async function discardRecoveryStaging(staging: RecoveryStaging): Promise<void> {
  await rm(staging.root, { recursive: true, force: true });
}

export interface CommittedRecovery {
  /** Where the replaced keystores and config.json went, when a vault dir was replaced. */
  backupDir: string | undefined;
}

/** Moves a fully written staging dir into `target` (see the file comment). */
export async function commitRecovery(
  staging: RecoveryStaging,
  target: VaultPaths,
): Promise<CommittedRecovery> {
  await syncDir(staging.paths.keystoresDir);
  let backupDir: string | undefined;
  if (!(await pathExists(target.vaultDir))) {
    await rename(staging.paths.vaultDir, target.vaultDir);
    await syncDir(dirname(target.vaultDir));
  } else {
    backupDir = join(target.vaultDir, `recover-backup-${Date.now()}`);
    await mkdir(backupDir, { mode: 0o700 });
    if (await pathExists(target.keystoresDir))
      await rename(target.keystoresDir, join(backupDir, "keystores"));
    if (await pathExists(target.configFile)) await rename(target.configFile, join(backupDir, "config.json"));
    await rename(staging.paths.keystoresDir, target.keystoresDir);
    await rename(staging.paths.configFile, target.configFile);
    await syncDir(target.vaultDir);
  }
  await discardRecoveryStaging(staging);
  return { backupDir };
}
