import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { readVaultConfig, type VaultPaths, vaultPaths, writeVaultConfig } from "../config/data-dir.ts";
import { UserInputError } from "../lib/errors.ts";
import { pathExists } from "../lib/fs.ts";
import {
  acquireBatchLock,
  type BatchManifest,
  commitBatch,
  createStagingDir,
  recoverInterruptedBatches,
  type StagingDir,
  sealStagingDir,
  writeStagedSecret,
} from "./key-batch.ts";

const VAULT = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const FIRST_PUBLIC_KEY = `0x${"a1".repeat(48)}` as const;
const OLD_KEYSTORE = "keystore-m_12381_3600_0_0_0-1700000000.json";
const NEW_KEYSTORES = [
  "keystore-m_12381_3600_2_0_0-1800000000.json",
  "keystore-m_12381_3600_3_0_0-1800000000.json",
];
const OLD_DEPOSIT_DATA = '[{"pubkey": "old"}]';
const NEW_DEPOSIT_DATA = '[{"pubkey": "new-2"}, {"pubkey": "new-3"}]';
const STAGED_PASSWORD = "Staged-Password_1234";
const MANIFEST: BatchManifest = {
  fromIndex: 2,
  count: 2,
  nextIndex: 4,
  depositDataBackupName: "deposit_data-1800000000.backup.json",
};

/** Every file under `dir` (relative path → content), skipping the top-level `.tmp`. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      const rel = relative(dir, path);
      if (rel === ".tmp") continue;
      if (entry.isDirectory()) await walk(path);
      else files[rel] = await readFile(path, "utf8");
    }
  };
  await walk(dir);
  return files;
}

async function stagingEntries(paths: VaultPaths): Promise<string[]> {
  if (!(await pathExists(paths.tmpDir))) return [];
  return (await readdir(paths.tmpDir)).filter((name) => name.startsWith("create-keys-"));
}

describe("key batches", () => {
  let dataDir: string;
  let paths: VaultPaths;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "key-batch-test-"));
    paths = vaultPaths(dataDir, VAULT);
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A vault with one key committed earlier and an old deposit_data.json. */
  async function makeVault(options: { depositData?: boolean; password?: string } = {}): Promise<void> {
    await writeVaultConfig(paths, {
      network: "hoodi",
      mnemonic_next_index: 2,
      first_public_key: FIRST_PUBLIC_KEY,
    });
    await mkdir(paths.keystoresDir, { recursive: true });
    await writeFile(join(paths.keystoresDir, OLD_KEYSTORE), "old keystore");
    if (options.depositData !== false) await writeFile(paths.depositDataFile, OLD_DEPOSIT_DATA);
    if (options.password !== undefined) await writeFile(paths.keystoresPasswordFile, options.password);
  }

  /** A fully written staging dir with two keystores, the new deposit data and a password. */
  async function makeStaging(): Promise<StagingDir> {
    const staging = await createStagingDir(paths);
    for (const name of NEW_KEYSTORES)
      await writeStagedSecret(join(staging.keystoresDir, name), `content of ${name}`);
    await writeFile(staging.depositDataFile, NEW_DEPOSIT_DATA);
    await writeStagedSecret(staging.passwordFile, STAGED_PASSWORD);
    return staging;
  }

  async function assertCommitted(): Promise<void> {
    assert.deepEqual(await snapshot(paths.vaultDir), {
      "config.json": `{"network": "hoodi", "mnemonic_next_index": 4, "first_public_key": "${FIRST_PUBLIC_KEY}"}`,
      "deposit_data.json": NEW_DEPOSIT_DATA,
      [MANIFEST.depositDataBackupName]: OLD_DEPOSIT_DATA,
      [join("keystores", OLD_KEYSTORE)]: "old keystore",
      [join("keystores", NEW_KEYSTORES[0] as string)]: `content of ${NEW_KEYSTORES[0]}`,
      [join("keystores", NEW_KEYSTORES[1] as string)]: `content of ${NEW_KEYSTORES[1]}`,
      [join("keystores", "password.txt")]: STAGED_PASSWORD,
    });
    assert.equal((await readVaultConfig(paths, VAULT)).mnemonic_next_index, MANIFEST.nextIndex);
    assert.deepEqual(await stagingEntries(paths), []);
  }

  describe("createStagingDir", () => {
    it("makes a private staging dir under the vault's .tmp", async () => {
      const staging = await createStagingDir(paths);
      assert.ok(staging.dir.startsWith(`${paths.tmpDir}/create-keys-`));
      assert.equal(staging.keystoresDir, join(staging.dir, "keystores"));
      assert.equal(staging.depositDataFile, join(staging.dir, "deposit_data.json"));
      assert.equal(staging.passwordFile, join(staging.dir, "password.txt"));
      assert.ok((await stat(staging.keystoresDir)).isDirectory());
      assert.equal((await stat(staging.keystoresDir)).mode & 0o077, 0);
    });

    it("makes a new dir each time", async () => {
      const a = await createStagingDir(paths);
      const b = await createStagingDir(paths);
      assert.notEqual(a.dir, b.dir);
    });
  });

  describe("writeStagedSecret", () => {
    it("writes a 0600 file and refuses to overwrite", async () => {
      const staging = await createStagingDir(paths);
      const file = join(staging.dir, "secret.txt");
      await writeStagedSecret(file, "s");
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      await assert.rejects(writeStagedSecret(file, "t"), { code: "EEXIST" });
      assert.equal(await readFile(file, "utf8"), "s");
    });
  });

  describe("commitBatch", () => {
    it("moves a sealed batch into the vault and reports the backup", async () => {
      await makeVault();
      const staging = await makeStaging();
      await sealStagingDir(staging, MANIFEST);
      const committed = await commitBatch(paths, staging.dir, VAULT);
      assert.deepEqual(committed, {
        ...MANIFEST,
        depositDataBackup: join(paths.vaultDir, MANIFEST.depositDataBackupName),
      });
      await assertCommitted();
      assert.equal(await pathExists(staging.dir), false);
    });

    it("keeps no backup when the vault had no deposit data", async () => {
      await makeVault({ depositData: false });
      const staging = await makeStaging();
      await sealStagingDir(staging, MANIFEST);
      const committed = await commitBatch(paths, staging.dir, VAULT);
      assert.equal(committed.depositDataBackup, undefined);
      assert.equal(await readFile(paths.depositDataFile, "utf8"), NEW_DEPOSIT_DATA);
      assert.equal(await pathExists(join(paths.vaultDir, MANIFEST.depositDataBackupName)), false);
    });

    it("does not overwrite an existing keystores/password.txt", async () => {
      await makeVault({ password: "Existing-Password_99" });
      const staging = await makeStaging();
      await sealStagingDir(staging, MANIFEST);
      await commitBatch(paths, staging.dir, VAULT);
      assert.equal(await readFile(paths.keystoresPasswordFile, "utf8"), "Existing-Password_99");
      for (const name of NEW_KEYSTORES) assert.ok(await pathExists(join(paths.keystoresDir, name)));
    });

    it("keeps the replaced deposit data when an earlier batch's backup already has the same name", async () => {
      await makeVault();
      const backup = join(paths.vaultDir, MANIFEST.depositDataBackupName);
      await writeFile(backup, "backup of an earlier batch");
      await writeFile(paths.depositDataFile, "deposit data of the previous batch");
      const staging = await makeStaging();
      await sealStagingDir(staging, MANIFEST);
      await commitBatch(paths, staging.dir, VAULT);
      const contents = Object.values(await snapshot(paths.vaultDir));
      assert.ok(contents.includes("backup of an earlier batch"));
      assert.ok(contents.includes("deposit data of the previous batch"), "the replaced deposit data is lost");
    });

    it("never lowers mnemonic_next_index", async () => {
      await makeVault();
      await writeVaultConfig(paths, {
        network: "hoodi",
        mnemonic_next_index: 10,
        first_public_key: FIRST_PUBLIC_KEY,
      });
      const staging = await makeStaging();
      await sealStagingDir(staging, MANIFEST);
      await commitBatch(paths, staging.dir, VAULT);
      assert.equal((await readVaultConfig(paths, VAULT)).mnemonic_next_index, 10);
    });

    it("creates the keystores dir when the vault has none", async () => {
      await writeVaultConfig(paths, {
        network: "hoodi",
        mnemonic_next_index: 2,
        first_public_key: FIRST_PUBLIC_KEY,
      });
      const staging = await makeStaging();
      await sealStagingDir(staging, MANIFEST);
      await commitBatch(paths, staging.dir, VAULT);
      assert.deepEqual((await readdir(paths.keystoresDir)).sort(), [...NEW_KEYSTORES, "password.txt"].sort());
    });
  });

  describe("recoverInterruptedBatches", () => {
    /** The commit steps of commitBatch, in order, done by hand to simulate a crash after each. */
    function commitSteps(staging: StagingDir): Array<[string, () => Promise<void>]> {
      return [
        ["move the password", () => rename(staging.passwordFile, paths.keystoresPasswordFile)],
        ...NEW_KEYSTORES.map((name, i): [string, () => Promise<void>] => [
          `move keystore ${i}`,
          () => rename(join(staging.keystoresDir, name), join(paths.keystoresDir, name)),
        ]),
        [
          "back up the old deposit data",
          () => rename(paths.depositDataFile, join(paths.vaultDir, MANIFEST.depositDataBackupName)),
        ],
        ["move the new deposit data", () => rename(staging.depositDataFile, paths.depositDataFile)],
        [
          "update config.json",
          () =>
            writeVaultConfig(paths, {
              network: "hoodi",
              mnemonic_next_index: MANIFEST.nextIndex,
              first_public_key: FIRST_PUBLIC_KEY,
            }),
        ],
        // rm -r of the staging dir may remove commit.json before the rest of it.
        ["remove commit.json", () => rm(join(staging.dir, "commit.json"))],
        ["remove the staging dir", () => rm(staging.dir, { recursive: true, force: true })],
      ];
    }

    const STEP_COUNT = 8;

    for (let k = 0; k <= STEP_COUNT; k++) {
      it(`finishes a commit interrupted after ${k} step(s)`, async () => {
        await makeVault();
        const staging = await makeStaging();
        await sealStagingDir(staging, MANIFEST);
        const steps = commitSteps(staging);
        assert.equal(steps.length, STEP_COUNT);
        for (const [, step] of steps.slice(0, k)) await step();

        const committed = await recoverInterruptedBatches(paths, VAULT);
        await assertCommitted();
        if (k <= 6) {
          assert.deepEqual(committed, [
            { ...MANIFEST, depositDataBackup: join(paths.vaultDir, MANIFEST.depositDataBackupName) },
          ]);
        } else {
          assert.deepEqual(committed, []);
        }

        const before = await snapshot(paths.vaultDir);
        assert.deepEqual(await recoverInterruptedBatches(paths, VAULT), []);
        assert.deepEqual(await snapshot(paths.vaultDir), before);
      });
    }

    it("throws away an unsealed staging dir and leaves the vault unchanged", async () => {
      await makeVault();
      const before = await snapshot(paths.vaultDir);
      const staging = await makeStaging();
      assert.deepEqual(await recoverInterruptedBatches(paths, VAULT), []);
      assert.equal(await pathExists(staging.dir), false);
      assert.deepEqual(await snapshot(paths.vaultDir), before);
      assert.equal((await readVaultConfig(paths, VAULT)).mnemonic_next_index, 2);
    });

    it("is a no-op without a .tmp dir", async () => {
      await makeVault();
      const before = await snapshot(paths.vaultDir);
      assert.deepEqual(await recoverInterruptedBatches(paths, VAULT), []);
      assert.deepEqual(await snapshot(paths.vaultDir), before);
    });

    it("leaves other entries of .tmp alone, the lock included", async () => {
      await makeVault();
      const release = await acquireBatchLock(paths);
      await writeFile(join(paths.tmpDir, "unrelated.txt"), "keep me");
      await recoverInterruptedBatches(paths, VAULT);
      assert.deepEqual((await readdir(paths.tmpDir)).sort(), ["create-keys.lock", "unrelated.txt"]);
      await release();
    });
  });

  describe("acquireBatchLock", () => {
    it("refuses a second lock while the first is held, naming the holder", async () => {
      const release = await acquireBatchLock(paths);
      await assert.rejects(acquireBatchLock(paths), (error: unknown) => {
        assert.ok(error instanceof UserInputError);
        assert.match(error.message, new RegExp(`pid ${process.pid}`));
        assert.ok(error.message.includes(join(paths.tmpDir, "create-keys.lock")));
        return true;
      });
      await release();
    });

    it("writes the pid in a private lock file, and release removes it", async () => {
      const lockFile = join(paths.tmpDir, "create-keys.lock");
      const release = await acquireBatchLock(paths);
      assert.match(await readFile(lockFile, "utf8"), new RegExp(`^${process.pid} \\d+$`));
      assert.equal((await stat(lockFile)).mode & 0o777, 0o600);
      await release();
      assert.equal(await pathExists(lockFile), false);
      const again = await acquireBatchLock(paths);
      await again();
    });

    it("takes over a stale lock of a dead process", async () => {
      const lockFile = join(paths.tmpDir, "create-keys.lock");
      await mkdir(paths.tmpDir, { recursive: true });
      await writeFile(lockFile, "999999");
      const release = await acquireBatchLock(paths);
      assert.match(await readFile(lockFile, "utf8"), new RegExp(`^${process.pid} \\d+$`));
      await release();
    });

    it("takes over a lock file with garbage in it", async () => {
      const lockFile = join(paths.tmpDir, "create-keys.lock");
      await mkdir(paths.tmpDir, { recursive: true });
      await writeFile(lockFile, "");
      const release = await acquireBatchLock(paths);
      assert.match(await readFile(lockFile, "utf8"), new RegExp(`^${process.pid} \\d+$`));
      await release();
    });
  });
});
