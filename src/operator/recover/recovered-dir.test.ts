import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { vaultPaths } from "../../config/data-dir.ts";
import { commitRecovery, createRecoveryStaging, discardRecoveryStaging } from "./recovered-dir.ts";

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

  it("a new staging dir replaces one a killed run left", async () => {
    const left = await stage("killed");
    const staging = await createRecoveryStaging(dataDir, VAULT);
    assert.equal(existsSync(left.root), false);
    assert.equal(existsSync(staging.paths.keystoresDir), true);
    await discardRecoveryStaging(staging);
  });

  it("discarding leaves the data dir as it was", async () => {
    const staging = await stage("discarded");
    await discardRecoveryStaging(staging);
    assert.equal(existsSync(staging.root), false);
    assert.equal(await readFile(vaultPaths(dataDir, VAULT).configFile, "utf8"), "newer");
  });
});
