/**
 * `operator create-keys` end to end: deposit data byte-identical with the official deposit CLI,
 * keystores every EIP-2335 tool decrypts, index bookkeeping across runs, bad input, secrets kept
 * out of the output, interrupted runs and the per-vault lock.
 */
import assert from "node:assert/strict";
import { createDecipheriv, createHash, scrypt } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { decryptKeystore, type Keystore } from "../../src/crypto/keystore.ts";
import {
  type CliResult,
  collect,
  DEPOSIT_CLI_VAULT,
  runCli,
  startCli,
  TEST_MNEMONIC,
  tempDir,
} from "../support/cli.ts";
import {
  assertCleanError,
  assertNoSecrets,
  assertSameSnapshot,
  assertSuccess,
  DEPOSIT_CLI_PASSWORD,
  type DepositCliVector,
  type DepositDatumJsonEntry,
  excludeTmp,
  fileMode,
  keystoreIndex,
  listKeystores,
  normaliseDepositCliVersion,
  publicKeyHexOf,
  pythonJson,
  readDepositCliVector,
  readVaultConfigJson,
  type Secrets,
  secretKeyHexOf,
  snapshotDir,
  waitFor,
  writeVaultConfig,
} from "../support/e2e.ts";

const VAULT = DEPOSIT_CLI_VAULT;
const VAULT_DIR_NAME = VAULT.toLowerCase();
/** A valid mnemonic that is not the vault's (BIP-39 test vector 0). */
const OTHER_MNEMONIC =
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

// ---------------------------------------------------------------------------------------------
// EIP-2335 decryption written from the EIP text, independent of src/ and of @chainsafe/bls-keystore.

/** EIP-2335 password processing: NFKD, then drop C0, C1 and DEL control codes, then UTF-8. */
function eip2335Password(password: string): Buffer {
  const normalised = [...password.normalize("NFKD")]
    .filter((c) => {
      const code = c.codePointAt(0) as number;
      return !(code <= 0x1f || (code >= 0x7f && code <= 0x9f));
    })
    .join("");
  return Buffer.from(normalised, "utf8");
}

function scryptAsync(
  password: Buffer,
  salt: Buffer,
  params: { n: number; r: number; p: number; dklen: number },
) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password,
      salt,
      params.dklen,
      { N: params.n, r: params.r, p: params.p, maxmem: 1024 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

interface Eip2335Keystore {
  crypto: {
    kdf: { function: string; params: { dklen: number; n: number; r: number; p: number; salt: string } };
    checksum: { function: string; message: string };
    cipher: { function: string; params: { iv: string }; message: string };
  };
  pubkey: string;
  path: string;
  uuid: string;
  version: number;
}

/** Decrypts an EIP-2335 scrypt / sha256 / aes-128-ctr keystore; throws on a wrong password. */
async function independentDecrypt(keystore: Eip2335Keystore, password: string): Promise<Buffer> {
  const { kdf, checksum, cipher } = keystore.crypto;
  assert.equal(kdf.function, "scrypt");
  assert.equal(checksum.function, "sha256");
  assert.equal(cipher.function, "aes-128-ctr");
  const dk = await scryptAsync(eip2335Password(password), Buffer.from(kdf.params.salt, "hex"), kdf.params);
  const ciphertext = Buffer.from(cipher.message, "hex");
  const sum = createHash("sha256")
    .update(Buffer.concat([dk.subarray(16, 32), ciphertext]))
    .digest("hex");
  if (sum !== checksum.message) throw new Error("checksum mismatch: wrong password");
  const decipher = createDecipheriv("aes-128-ctr", dk.subarray(0, 16), Buffer.from(cipher.params.iv, "hex"));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

function publicKeyOfSecret(secret: Uint8Array): string {
  return Buffer.from(SecretKey.fromBytes(secret).toPublicKey().toBytes(true)).toString("hex");
}

// ---------------------------------------------------------------------------------------------

async function createKeys(
  dataDir: string,
  count: number | string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return runCli(
    ["create-keys", "--vault", VAULT, "--count", String(count), "--data-dir", dataDir, ...extra],
    { env: { MNEMONIC: TEST_MNEMONIC, ...env } },
  );
}

async function readDepositData(
  vaultDir: string,
): Promise<{ text: string; entries: DepositDatumJsonEntry[] }> {
  const text = await readFile(join(vaultDir, "deposit_data.json"), "utf8");
  return { text, entries: JSON.parse(text) as DepositDatumJsonEntry[] };
}

/** Field-by-field equality except deposit_cli_version, then text equality once versions are normalised. */
function assertSameDepositData(
  actualText: string,
  expected: { text: string; entries: DepositDatumJsonEntry[] },
) {
  const actual = JSON.parse(actualText) as DepositDatumJsonEntry[];
  assert.equal(actual.length, expected.entries.length);
  actual.forEach((entry, i) => {
    const { deposit_cli_version: ours, ...fields } = entry;
    const { deposit_cli_version: theirs, ...expectedFields } = expected.entries[i] as DepositDatumJsonEntry;
    assert.deepEqual(fields, expectedFields, `entry ${i}`);
    assert.equal(typeof ours, "string");
    assert.equal(typeof theirs, "string");
  });
  assert.equal(normaliseDepositCliVersion(actualText), normaliseDepositCliVersion(expected.text));
}

/** Every secret of the vault's mnemonic for the given indexes, plus the keystore passwords. */
function vaultSecrets(indexes: readonly number[], passwords: readonly string[] = []): Secrets {
  return {
    mnemonic: TEST_MNEMONIC,
    passwords,
    secretKeysHex: indexes.map((i) => secretKeyHexOf(TEST_MNEMONIC, i)),
  };
}

function assertOutputHasNoSecrets(result: CliResult, secrets: Secrets): void {
  assertNoSecrets(result.stdout, secrets, "stdout");
  assertNoSecrets(result.stderr, secrets, "stderr");
}

async function readKeystore(dir: string, name: string): Promise<Eip2335Keystore & Keystore> {
  return JSON.parse(await readFile(join(dir, name), "utf8")) as Eip2335Keystore & Keystore;
}

/** Keystores in the dir: index from the file name, pubkey and path from the JSON. */
async function keystoreSummaries(keystoresDir: string) {
  const names = await listKeystores(keystoresDir);
  return Promise.all(
    names.map(async (name) => {
      const keystore = await readKeystore(keystoresDir, name);
      return { name, index: keystoreIndex(name) as number, pubkey: keystore.pubkey, path: keystore.path };
    }),
  );
}

/** Names under <vault>/.tmp that are left-overs of a run (staging dirs, the lock). */
async function tmpLeftovers(vaultDir: string): Promise<string[]> {
  const tmp = join(vaultDir, ".tmp");
  return existsSync(tmp) ? readdir(tmp) : [];
}

describe("create-keys", () => {
  let root: { path: string; cleanup: () => Promise<void> };
  let counter = 0;
  const newDataDir = async () => {
    const path = join(root.path, `data-${counter++}`);
    await mkdir(path);
    return path;
  };
  let mainnetVector: DepositCliVector;

  /** Data dir of a first run: TEST_MNEMONIC, mainnet, 4 keys (shared by several tests, never changed). */
  let mainnetData: string;
  let mainnetVaultDir: string;
  let mainnetRun: CliResult;

  before(async () => {
    root = await tempDir("e2e-create-keys-");
    mainnetVector = await readDepositCliVector("mainnet-scrypt");
    mainnetData = await newDataDir();
    mainnetVaultDir = await writeVaultConfig(mainnetData, VAULT, "mainnet", 0);
    // Inputs by env vars (MNEMONIC, COUNT, VAULT, DATA_DIR), the way a container runs it.
    mainnetRun = await runCli(["create-keys"], {
      env: { MNEMONIC: TEST_MNEMONIC, COUNT: "4", VAULT, DATA_DIR: mainnetData },
    });
  });
  after(async () => {
    await root.cleanup();
  });

  describe("deposit data is byte-identical with the official deposit CLI", () => {
    it("mainnet, keys 0-3", async () => {
      assertSuccess(mainnetRun);
      assert.match(
        mainnetRun.stdout,
        /Done\. Generated 4 keys for 0xeEFFFD4C23D2E8c845870e273861e7d60Df49663 vault\./,
      );
      const { text } = await readDepositData(mainnetVaultDir);
      assertSameDepositData(text, { text: mainnetVector.depositDataText, entries: mainnetVector.entries });
      assert.equal((await readVaultConfigJson(mainnetVaultDir)).mnemonic_next_index, 4);
    });

    it("hoodi, keys 0-3", async () => {
      const vector = await readDepositCliVector("hoodi-scrypt");
      const data = await newDataDir();
      const vaultDir = await writeVaultConfig(data, VAULT, "hoodi", 0);
      const result = await createKeys(data, 4);
      assertSuccess(result);
      assertOutputHasNoSecrets(result, vaultSecrets([0, 1, 2, 3]));
      const { text } = await readDepositData(vaultDir);
      assertSameDepositData(text, { text: vector.depositDataText, entries: vector.entries });
    });

    it("mainnet from mnemonic_next_index 2, 2 keys (the pbkdf2 vector: the KDF does not change deposit data)", async () => {
      const vector = await readDepositCliVector("mainnet-start2-pbkdf2");
      const data = await newDataDir();
      const vaultDir = await writeVaultConfig(data, VAULT, "mainnet", 2);
      const result = await createKeys(data, 2);
      assertSuccess(result);
      const { text } = await readDepositData(vaultDir);
      assertSameDepositData(text, { text: vector.depositDataText, entries: vector.entries });
      const config = await readVaultConfigJson(vaultDir);
      assert.equal(config.mnemonic_next_index, 4);
      assert.deepEqual(
        (await listKeystores(join(vaultDir, "keystores"))).map(keystoreIndex),
        [2, 3],
        "keystores of indexes 2 and 3 only",
      );
    });
  });

  describe("keystores", () => {
    it("are named keystore-m_12381_3600_<i>_0_0-<ts>.json, one timestamp, and carry the right pubkey and path", async () => {
      const keystoresDir = join(mainnetVaultDir, "keystores");
      const names = (await readdir(keystoresDir)).sort();
      assert.equal(names.length, 5, names.join(", "));
      assert.ok(names.includes("password.txt"));
      const keystores = names.filter((n) => n !== "password.txt");
      const timestamps = new Set<string>();
      for (const [i, name] of keystores.entries()) {
        const match = /^keystore-m_12381_3600_(\d+)_0_0-(\d+)\.json$/.exec(name);
        assert.ok(match, name);
        assert.equal(Number(match[1]), i);
        timestamps.add(match[2] as string);
        const keystore = await readKeystore(keystoresDir, name);
        assert.equal(keystore.path, `m/12381/3600/${i}/0/0`);
        assert.equal(keystore.pubkey, publicKeyHexOf(TEST_MNEMONIC, i));
        assert.equal(keystore.pubkey, mainnetVector.entries[i]?.pubkey);
        assert.equal(keystore.version, 4);
        assert.match(keystore.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.deepEqual(
          { ...keystore.crypto.kdf.params, salt: undefined },
          { dklen: 32, n: 262144, r: 8, p: 1, salt: undefined },
          "the deposit CLI's scrypt parameters",
        );
      }
      assert.equal(timestamps.size, 1, "one timestamp per run");
    });

    it("keystores, password.txt and the keystores dir are private (0600 / 0700)", async () => {
      const keystoresDir = join(mainnetVaultDir, "keystores");
      assert.equal(await fileMode(keystoresDir), 0o700);
      for (const name of await readdir(keystoresDir)) {
        assert.equal(await fileMode(join(keystoresDir, name)), 0o600, name);
      }
    });

    it("decrypt with password.txt to the key whose pubkey they carry (independent EIP-2335 code and src)", async () => {
      // The independent implementation first proves itself on the deposit CLI's own keystore.
      const vectorKeystore = JSON.parse(
        await readFile(join(mainnetVector.dir, mainnetVector.keystoreFiles[0] as string), "utf8"),
      ) as Eip2335Keystore;
      const vectorSecret = await independentDecrypt(vectorKeystore, DEPOSIT_CLI_PASSWORD);
      assert.equal(publicKeyOfSecret(vectorSecret), vectorKeystore.pubkey);

      const keystoresDir = join(mainnetVaultDir, "keystores");
      const password = await readFile(join(keystoresDir, "password.txt"), "utf8");
      assert.match(password, /^[A-Za-z0-9!@#$%^&*()_]{20}$/);
      const names = await listKeystores(keystoresDir);

      const first = await readKeystore(keystoresDir, names[0] as string);
      const secret0 = await independentDecrypt(first, password);
      assert.equal(publicKeyOfSecret(secret0), first.pubkey);
      assert.equal(secret0.toString("hex"), secretKeyHexOf(TEST_MNEMONIC, 0));
      await assert.rejects(independentDecrypt(first, `${password}x`), /checksum/);

      const last = await readKeystore(keystoresDir, names[3] as string);
      const secret3 = await decryptKeystore(last, password);
      assert.equal(publicKeyOfSecret(secret3), last.pubkey);
    });

    it("the run's output holds no mnemonic, password or secret key", async () => {
      const password = await readFile(join(mainnetVaultDir, "keystores", "password.txt"), "utf8");
      assertOutputHasNoSecrets(mainnetRun, vaultSecrets([0, 1, 2, 3], [password]));
    });
  });

  describe("running again", () => {
    it("continues at mnemonic_next_index, keeps the previous deposit data, never repeats a key; --per-keystore-password", async () => {
      const data = await newDataDir();
      await cp(mainnetData, data, { recursive: true });
      const vaultDir = join(data, VAULT_DIR_NAME);
      const previousDepositData = await readFile(join(vaultDir, "deposit_data.json"), "utf8");
      const sharedPassword = await readFile(join(vaultDir, "keystores", "password.txt"), "utf8");

      const result = await createKeys(data, 1, ["--per-keystore-password"]);
      assertSuccess(result);
      assert.match(result.stdout, /keys 4\.\.4/);

      // Config advanced; deposit data holds only the new key; the old file is kept.
      assert.equal((await readVaultConfigJson(vaultDir)).mnemonic_next_index, 5);
      const { entries } = await readDepositData(vaultDir);
      assert.deepEqual(
        entries.map((e) => e.pubkey),
        [publicKeyHexOf(TEST_MNEMONIC, 4)],
      );
      const backups = (await readdir(vaultDir)).filter((n) => /^deposit_data-[\d-]+\.backup\.json$/.test(n));
      assert.equal(backups.length, 1, (await readdir(vaultDir)).join(", "));
      assert.equal(await readFile(join(vaultDir, backups[0] as string), "utf8"), previousDepositData);

      // Keys 0-4, each once; the old password file untouched; the new keystore has its own password file.
      const keystoresDir = join(vaultDir, "keystores");
      const summaries = await keystoreSummaries(keystoresDir);
      assert.deepEqual(
        summaries.map((s) => s.index),
        [0, 1, 2, 3, 4],
      );
      assert.equal(new Set(summaries.map((s) => s.pubkey)).size, 5);
      assert.equal(new Set(summaries.map((s) => s.path)).size, 5);
      assert.equal(await readFile(join(keystoresDir, "password.txt"), "utf8"), sharedPassword);
      const newName = summaries[4]?.name as string;
      const ownPasswordFile = join(keystoresDir, newName.replace(/\.json$/, ".txt"));
      assert.equal(await fileMode(ownPasswordFile), 0o600);
      const ownPassword = await readFile(ownPasswordFile, "utf8");
      assert.notEqual(ownPassword, sharedPassword);
      const txtFiles = (await readdir(keystoresDir)).filter((n) => n.endsWith(".txt"));
      assert.equal(txtFiles.length, 2, "password.txt and one per-keystore password file");
      const keystore = await readKeystore(keystoresDir, newName);
      assert.equal(publicKeyOfSecret(await decryptKeystore(keystore, ownPassword)), keystore.pubkey);

      assertOutputHasNoSecrets(result, vaultSecrets([0, 1, 2, 3, 4], [sharedPassword, ownPassword]));
    });

    it("PER_KEYSTORE_PASSWORD=false is not truthy: one shared password.txt, no per-keystore password files", async () => {
      const data = await newDataDir();
      const vaultDir = await writeVaultConfig(data, VAULT, "mainnet", 0);
      const result = await createKeys(data, 1, [], { PER_KEYSTORE_PASSWORD: "false" });
      assertSuccess(result);
      const names = (await readdir(join(vaultDir, "keystores"))).sort();
      assert.deepEqual(
        names.filter((n) => n.endsWith(".txt")),
        ["password.txt"],
      );
    });
  });

  describe("refuses bad input with one Error line naming the input, and writes nothing", () => {
    let data: string;
    before(async () => {
      data = await newDataDir();
      await writeVaultConfig(data, VAULT, "mainnet", 0);
    });

    async function refuses(
      args: { count?: string; mnemonic?: string; vault?: string; dataDir?: string },
      patterns: RegExp[],
      dir = data,
    ): Promise<void> {
      const before = await snapshotDir(dir);
      const result = await runCli([
        "create-keys",
        "--vault",
        args.vault ?? VAULT,
        "--count",
        args.count ?? "1",
        "--data-dir",
        args.dataDir ?? dir,
        "--mnemonic",
        args.mnemonic ?? TEST_MNEMONIC,
      ]);
      assertCleanError(result, ...patterns);
      assertSameSnapshot(await snapshotDir(dir), before, "create-keys wrote something");
      assertOutputHasNoSecrets(result, vaultSecrets([0, 1]));
      if (args.mnemonic) assertOutputHasNoSecrets(result, { mnemonic: args.mnemonic });
    }

    it("mnemonic with a bad checksum", async () => {
      await refuses({ mnemonic: TEST_MNEMONIC.replace(/yellow$/, "year") }, [
        /--mnemonic/,
        /checksum/,
        /check it against your written copy/,
      ]);
    });

    it("mnemonic with a word in no word list", async () => {
      await refuses({ mnemonic: TEST_MNEMONIC.replace("sausage", "sausagex") }, [
        /--mnemonic/,
        /word 6/,
        /spelling/,
      ]);
    });

    it("mnemonic of another vault (first_public_key mismatch)", async () => {
      await refuses({ mnemonic: OTHER_MNEMONIC }, [/Invalid mnemonic/, /first_public_key/, /config\.json/]);
    });

    for (const count of ["0", "-1", "abc", "1000000"]) {
      it(`--count ${count}`, async () => {
        await refuses({ count }, [/--count/, new RegExp(count === "-1" ? "-1" : count)]);
      });
    }

    it("vault never initialized", async () => {
      const empty = await newDataDir();
      await refuses({}, [/no config/, /operator init/, /--data-dir/], empty);
    });

    it("malformed config.json", async () => {
      const dir = await newDataDir();
      const vaultDir = await writeVaultConfig(dir, VAULT, "mainnet", 0);
      await writeFile(join(vaultDir, "config.json"), '{"network": "mainnet", "mnemonic_next_index": 0,');
      await refuses({}, [/config\.json/, /not valid JSON/], dir);
    });

    it("unknown network in config.json", async () => {
      const dir = await newDataDir();
      await writeVaultConfig(dir, VAULT, "goerli", 0);
      await refuses({}, [/config\.json/, /network/], dir);
    });

    it("a mnemonic passed unquoted (one argv entry per word) is refused without echoing the words", async () => {
      const before = await snapshotDir(data);
      const result = await runCli([
        "create-keys",
        "--vault",
        VAULT,
        "--count",
        "1",
        "--data-dir",
        data,
        "--mnemonic",
        ...TEST_MNEMONIC.split(" "),
      ]);
      assert.notEqual(result.code, 0);
      assertSameSnapshot(await snapshotDir(data), before);
      assertOutputHasNoSecrets(result, vaultSecrets([0]));
    });

    it("an empty keystores/password.txt (its keystores could not be decrypted any more)", async () => {
      const dir = await newDataDir();
      const vaultDir = await writeVaultConfig(dir, VAULT, "mainnet", 0);
      await mkdir(join(vaultDir, "keystores"), { mode: 0o700 });
      await writeFile(join(vaultDir, "keystores", "password.txt"), "", { mode: 0o600 });
      const before = await snapshotDir(vaultDir, excludeTmp);
      const result = await createKeys(dir, 1);
      assertCleanError(result, /password\.txt/, /empty/, /--per-keystore-password/);
      assertSameSnapshot(await snapshotDir(vaultDir, excludeTmp), before);
      assert.deepEqual(await tmpLeftovers(vaultDir), [], "staging dir and lock are gone");
    });
  });

  describe("interrupted runs change nothing", () => {
    /**
     * A vault the deposit CLI started: key 0's keystore and deposit data from the vector, the
     * vector's keystore password, mnemonic_next_index 1.
     */
    async function vaultWithKeyZero(): Promise<{ data: string; vaultDir: string }> {
      const data = await newDataDir();
      const vaultDir = await writeVaultConfig(data, VAULT, "mainnet", 1);
      const keystoresDir = join(vaultDir, "keystores");
      await mkdir(keystoresDir, { mode: 0o700 });
      const keystoreName = mainnetVector.keystoreFiles[0] as string;
      await writeFile(
        join(keystoresDir, keystoreName),
        await readFile(join(mainnetVector.dir, keystoreName)),
        {
          mode: 0o600,
        },
      );
      await writeFile(join(keystoresDir, "password.txt"), DEPOSIT_CLI_PASSWORD, { mode: 0o600 });
      await writeFile(join(vaultDir, "deposit_data.json"), pythonJson([mainnetVector.entries[0]]));
      return { data, vaultDir };
    }

    /**
     * Starts create-keys --count 8 and resolves once its first keystore is in the staging dir. The
     * mnemonic goes by MNEMONIC, or by --mnemonic when `mnemonicFlag`.
     */
    async function startAndWaitForStagedKeystore(data: string, vaultDir: string, mnemonicFlag = false) {
      const args = ["create-keys", "--vault", VAULT, "--count", "8", "--data-dir", data];
      const child = mnemonicFlag
        ? startCli([...args, "--mnemonic", TEST_MNEMONIC])
        : startCli(args, { env: { MNEMONIC: TEST_MNEMONIC } });
      const done = collect(child);
      const staged = await waitFor(
        async () => {
          for (const name of await tmpLeftovers(vaultDir)) {
            if (!name.startsWith("create-keys-")) continue;
            const dir = join(vaultDir, ".tmp", name, "keystores");
            const files = existsSync(dir) ? await readdir(dir) : [];
            if (files.some((f) => f.startsWith("keystore-"))) return join(vaultDir, ".tmp", name);
          }
          if (child.exitCode !== null) throw new Error(`create-keys ended early (${child.exitCode})`);
          return undefined;
        },
        { what: "a staged keystore" },
      );
      return { child, done, staged };
    }

    it("SIGKILL: the vault dir is untouched; the next run discards the staging dir and continues without duplicates", async () => {
      const { data, vaultDir } = await vaultWithKeyZero();
      const before = await snapshotDir(vaultDir, excludeTmp);

      const { child, done, staged } = await startAndWaitForStagedKeystore(data, vaultDir);
      child.kill("SIGKILL");
      const killed = await done;
      assert.equal(killed.signal, "SIGKILL");
      assertSameSnapshot(
        await snapshotDir(vaultDir, excludeTmp),
        before,
        "a killed run changed the vault dir",
      );
      assert.ok(existsSync(staged), "the killed run's staging dir is still there");

      const result = await createKeys(data, 2);
      assertSuccess(result);
      assert.deepEqual(await tmpLeftovers(vaultDir), [], "staging dir and lock are gone");

      const config = await readVaultConfigJson(vaultDir);
      assert.equal(config.mnemonic_next_index, 3);
      const summaries = await keystoreSummaries(join(vaultDir, "keystores"));
      assert.deepEqual(
        summaries.map((s) => s.index),
        [0, 1, 2],
      );
      assert.equal(new Set(summaries.map((s) => s.pubkey)).size, 3, "every keystore pubkey distinct");
      assert.equal(new Set(summaries.map((s) => s.path)).size, 3, "every keystore path distinct");
      summaries.forEach((s) => {
        assert.equal(s.pubkey, publicKeyHexOf(TEST_MNEMONIC, s.index));
      });

      // Deposit data = keys 1 and 2 = the deposit CLI's entries 1 and 2.
      const { text } = await readDepositData(vaultDir);
      const expected = mainnetVector.entries.slice(1, 3);
      assertSameDepositData(text, { text: pythonJson(expected), entries: expected });

      // The new keystores reuse the vault's existing password.txt.
      const keystore = await readKeystore(join(vaultDir, "keystores"), summaries[1]?.name as string);
      assert.equal(publicKeyOfSecret(await decryptKeystore(keystore, DEPOSIT_CLI_PASSWORD)), keystore.pubkey);
      assertOutputHasNoSecrets(killed, vaultSecrets([0, 1, 2, 3], [DEPOSIT_CLI_PASSWORD]));
      assertOutputHasNoSecrets(result, vaultSecrets([0, 1, 2, 3], [DEPOSIT_CLI_PASSWORD]));
    });

    it("SIGINT: exit code 130, says it was interrupted, the vault dir is untouched, staging removed", async () => {
      const { data, vaultDir } = await vaultWithKeyZero();
      const before = await snapshotDir(vaultDir, excludeTmp);

      const { child, done, staged } = await startAndWaitForStagedKeystore(data, vaultDir);
      child.kill("SIGINT");
      const result = await done;
      assert.equal(result.code, 130, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
      assert.match(result.stderr, /Interrupted/);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
      assertSameSnapshot(
        await snapshotDir(vaultDir, excludeTmp),
        before,
        "an interrupted run changed the vault dir",
      );
      assert.equal(existsSync(staged), false, "staging dir removed");
      assert.deepEqual(await tmpLeftovers(vaultDir), [], "staging dir and lock are gone");
      assertOutputHasNoSecrets(result, vaultSecrets([0, 1, 2, 3, 4, 5, 6, 7, 8], [DEPOSIT_CLI_PASSWORD]));
    });

    it("a second create-keys on the same vault fails clearly (lock) while the first runs", async () => {
      const { data, vaultDir } = await vaultWithKeyZero();
      const before = await snapshotDir(vaultDir, excludeTmp);
      const { child, done } = await startAndWaitForStagedKeystore(data, vaultDir, true);
      try {
        // --mnemonic is hidden from other local users: the process title replaces the argv.
        const cmdline = `/proc/${child.pid}/cmdline`;
        if (existsSync(cmdline)) {
          const text = (await readFile(cmdline, "utf8")).replaceAll("\0", " ");
          assertNoSecrets(text, { mnemonic: TEST_MNEMONIC }, cmdline);
          assert.match(text, /operator create-keys/);
        }
        const second = await createKeys(data, 1);
        assertCleanError(second, /another create-keys/, /running/, /lock/);
        assert.ok(child.exitCode === null, "the first run was still running");
      } finally {
        child.kill("SIGINT");
      }
      const first = await done;
      assert.equal(first.code, 130);
      assertSameSnapshot(await snapshotDir(vaultDir, excludeTmp), before);
      assert.deepEqual(await tmpLeftovers(vaultDir), []);
    });

    it("a stale lock naming the new run's own pid (pid reuse after a crash, e.g. pid 1 in a restarted container) is taken over", async () => {
      const data = await newDataDir();
      const vaultDir = await writeVaultConfig(data, VAULT, "mainnet", 0);
      await mkdir(join(vaultDir, ".tmp"), { mode: 0o700 });
      const child = startCli(["create-keys", "--vault", VAULT, "--count", "1", "--data-dir", data], {
        env: { MNEMONIC: TEST_MNEMONIC },
      });
      const done = collect(child);
      // Written before the child has even loaded its modules (hundreds of ms).
      await writeFile(join(vaultDir, ".tmp", "create-keys.lock"), String(child.pid), { mode: 0o600 });
      const result = await done;
      assertSuccess(result);
      assert.equal((await readVaultConfigJson(vaultDir)).mnemonic_next_index, 1);
      assert.deepEqual(await tmpLeftovers(vaultDir), []);
    });
  });
});
