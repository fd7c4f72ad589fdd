import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { vaultPaths } from "../../config/data-dir.ts";
import { OperatorError } from "../../lib/errors.ts";
import {
  commitRecovery,
  createRecoveryStaging,
  discardRecoveryStaging,
  STALE_STAGING_MS,
} from "./recovered-dir.ts";

const VAULT = "0x3320ad928C20187602A2b2C04eeAA813Fa899468";

describe("recovered vault dir", () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "recovered-dir-"));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  const stage = async (text: string) => {
    const staging = await createRecoveryStaging(dataDir, VAULT);
    await writeFile(join(staging.paths.keystoresDir, "keystore-a.json"), text);
    await writeFile(staging.paths.configFile, text);
    return staging;
  };

  it("moves a new vault dir into place and leaves no staging dir", async () => {
    const target = vaultPaths(dataDir, VAULT);
    const { backupDir } = await commitRecovery(await stage("new"), target);
    assert.equal(backupDir, undefined);
    assert.equal(await readFile(join(target.keystoresDir, "keystore-a.json"), "utf8"), "new");
    assert.deepEqual(await readdir(dataDir), [VAULT.toLowerCase()]);
  });

  it("replaces keystores and config of an existing dir, keeping the old ones and the rest", async () => {
    const target = vaultPaths(dataDir, VAULT);
    await mkdir(target.walletDir, { recursive: true });
    await writeFile(target.walletFile, "wallet");
    const { backupDir } = await commitRecovery(await stage("newer"), target);
    assert.ok(backupDir);
    assert.equal(await readFile(join(backupDir, "keystores", "keystore-a.json"), "utf8"), "new");
    assert.equal(await readFile(join(backupDir, "config.json"), "utf8"), "new");
    assert.equal(await readFile(target.configFile, "utf8"), "newer");
    assert.equal(await readFile(target.walletFile, "utf8"), "wallet");
    assert.deepEqual(await readdir(dataDir), [VAULT.toLowerCase()]);
  });

  it("a new staging dir removes one a killed run left an hour ago, not a younger one", async () => {
    const old = await stage("killed");
    const young = await createRecoveryStaging(dataDir, VAULT, { now: () => Date.now() + 30 * 60 * 1000 });
    assert.equal(existsSync(old.root), true, "a staging dir touched half an hour ago may be in use");
    const staging = await createRecoveryStaging(dataDir, VAULT, {
      now: () => Date.now() + STALE_STAGING_MS + 1000,
    });
    assert.equal(existsSync(old.root), false);
    assert.equal(existsSync(young.root), false);
    assert.equal(existsSync(staging.paths.keystoresDir), true);
    await discardRecoveryStaging(staging);
  });

  it("discarding leaves the data dir as it was", async () => {
    const staging = await stage("discarded");
    await discardRecoveryStaging(staging);
    assert.equal(existsSync(staging.root), false);
    assert.equal(await readFile(vaultPaths(dataDir, VAULT).configFile, "utf8"), "newer");
  });

  it("stages beside the files it replaces: in the vault dir's .tmp when the vault dir exists", async () => {
    const target = vaultPaths(dataDir, VAULT);
    const staging = await stage("staged");
    assert.ok(staging.root.startsWith(join(target.vaultDir, ".tmp")), staging.root);
    await discardRecoveryStaging(staging);
    assert.equal(existsSync(target.tmpDir), false, "an empty .tmp goes too");
  });

  /** fs.rename, failing with `code` for the moves `fails` picks. */
  const renameFailing =
    (fails: (from: string, to: string) => boolean, code = "EXDEV") =>
    async (from: string, to: string) => {
      if (fails(from, to))
        throw Object.assign(new Error(`${code}: cross-device link not permitted`), { code });
      await rename(from, to);
    };

  it("a failed move puts the old files back and says the vault dir was left as it was", async () => {
    const target = vaultPaths(dataDir, VAULT);
    const before = await readFile(target.configFile, "utf8");
    const staging = await stage("exdev");
    await assert.rejects(
      commitRecovery(staging, target, {
        rename: renameFailing((from) => from === staging.paths.keystoresDir),
      }),
      (error: Error) => {
        assert.ok(error instanceof OperatorError);
        assert.equal(
          error.message,
          `cannot move the recovered keystores into ${target.vaultDir} (EXDEV): the vault dir was left as it was; check its permissions and run recover again`,
        );
        return true;
      },
    );
    assert.equal(await readFile(target.configFile, "utf8"), before);
    assert.equal(await readFile(join(target.keystoresDir, "keystore-a.json"), "utf8"), before);
    assert.equal(existsSync(staging.root), false);
    assert.deepEqual(
      (await readdir(target.vaultDir)).filter((name) => name.startsWith("recover-backup-")).length,
      1,
      "only the backup of the earlier successful replace",
    );
  });

  it("keeps the staging dir and names it and the backup when the old files cannot be put back", async () => {
    const target = vaultPaths(dataDir, VAULT);
    const staging = await stage("stuck");
    let backupDir = "";
    await assert.rejects(
      commitRecovery(staging, target, {
        rename: renameFailing((from, to) => {
          if (to.endsWith("keystores") && to !== target.keystoresDir) backupDir = join(to, "..");
          // The staged keystores cannot move in, nor the old ones back out of the backup.
          return from === staging.paths.keystoresDir || from.startsWith(`${backupDir}/`);
        }),
      }),
      (error: Error) => {
        assert.ok(error instanceof OperatorError);
        assert.match(error.message, /moving the previous files back failed too/);
        assert.ok(error.message.includes(backupDir), error.message);
        assert.ok(error.message.includes(staging.paths.vaultDir), error.message);
        return true;
      },
    );
    assert.equal(await readFile(join(staging.paths.keystoresDir, "keystore-a.json"), "utf8"), "stuck");
    assert.equal(existsSync(join(backupDir, "keystores", "keystore-a.json")), true);
  });
});
