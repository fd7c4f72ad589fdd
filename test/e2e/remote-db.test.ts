/**
 * `operator remote-db` against a real PostgreSQL (127.0.0.1:5432, trust auth; `.ci/run` starts it)
 * and the in-process devnet: setup → upload-keypairs → setup-web3signer → setup-validator →
 * setup-operator as the seeds show them, then the failures (wrong key, no tables, another vault)
 * and rows written the Python operator's way. The file works in its own database, dropped at the end.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import type { Address } from "viem";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { runCreateKeys } from "../../src/commands/create-keys/handler.ts";
import { validatorsRootOfFile } from "../../src/commands/get-validators-root/handler.ts";
import { parseMnemonic } from "../../src/crypto/mnemonic.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { toPrefixedHex } from "../../src/lib/hex.ts";
import { toPythonJson } from "../../src/lib/python-json.ts";
import { createConfigsTableSql, createKeypairsTableSql, remoteDbTables } from "../../src/remote-db/tables.ts";
import { runCli, TEST_MNEMONIC, tempDir } from "../support/cli.ts";
import { quietCommandContext } from "../support/command-context.ts";
import {
  assertCleanError,
  assertSuccess,
  publicKeyHexOf,
  secretKeyHexOf,
  writeVaultConfig,
} from "../support/e2e.ts";

const ADMIN_URL = process.env.REMOTE_DB_TEST_ADMIN_URL ?? "postgresql://postgres:@127.0.0.1:5432/postgres";
const OTHER_VAULT = "0x1111111111111111111111111111111111111111";
const PYTHON_VAULT = "0x8189aF89A7718C1baB5628399FC0ba50C6949bCc";
const FEE_RECIPIENT = "0xb793c3D2Cec1d0F35fF88BCA7655B88A44669e4B";

/** AES-256 EAX rows made with PyCryptodome, the Python operator's library (test/spec). */
const INDEPENDENT_VECTORS = JSON.parse(
  readFileSync(new URL("../spec/remote-db-eax-vectors.json", import.meta.url), "utf8"),
) as {
  encryptionKey: string;
  keypairs: { publicKey: string; secretKey: string; nonce: string; ciphertext: string }[];
};

/** `setup-validator` for all the keys (validator client 0 of 1), with `extra` flags. */
const allKeysValidatorArgs = (outputDir: string, extra: readonly string[] = []) => [
  "setup-validator",
  "--validator-index",
  "0",
  "--total-validators",
  "1",
  "--web3signer-endpoint",
  "http://web3signer:9000",
  "--fee-recipient",
  FEE_RECIPIENT,
  ...extra,
  "--output-dir",
  outputDir,
];

/** The web3signer key files in `dir` are exactly `secrets` (0x-hex), numbered in hex order. */
async function assertKeyFiles(dir: string, secrets: readonly string[]): Promise<void> {
  const sorted = [...secrets].sort();
  assert.equal((await readdir(dir)).length, sorted.length);
  for (const [i, secret] of sorted.entries()) {
    assert.equal(
      await readFile(join(dir, `key_${i}.yaml`), "utf8"),
      `keyType: BLS\nprivateKey: '${secret}'\ntype: file-raw\n`,
    );
  }
}

/** The encryption key `setup` printed, its stdout checked line by line. */
function setupKey(result: { stdout: string }): string {
  const match =
    /^Successfully configured remote database\.\nEncryption key: ([A-Za-z0-9+/]{43}=)\nNB! You must store your encryption in a secure cold storage!\n$/.exec(
      result.stdout,
    );
  assert.ok(match, result.stdout);
  return match[1] as string;
}

interface Row {
  vault: string;
  parent_public_key: string | null;
  public_key: string;
  private_key: string;
  nonce: string;
}

describe("operator remote-db", () => {
  let devnet: Devnet;
  let dataDir: string;
  let cleanupDir: () => Promise<void>;
  let vault: Address;
  let vaultDir: string;
  let depositDataFile: string;
  let admin: postgres.Sql;
  let sql: postgres.Sql;
  let dbName: string;
  let dbUrl: string;
  let key: string;
  let out: string;

  /** Runs `operator remote-db` with the group flags of this file's database. */
  const remoteDb = (
    args: readonly string[],
    options: { vault?: string; network?: string; url?: string } = {},
  ) =>
    runCli(
      [
        "remote-db",
        "--db-url",
        options.url ?? dbUrl,
        "--vault",
        options.vault ?? vault,
        "--data-dir",
        dataDir,
        ...(options.network ? ["--network", options.network] : []),
        ...args,
      ],
      // The compile cache makes the CLI start about twice as fast from its second run.
      {
        env: { IPFS_FETCH_ENDPOINTS: devnet.ipfsUrl, NODE_COMPILE_CACHE: join(dataDir, ".node-cache") },
        timeoutMs: 60_000,
      },
    );
  /** `remote-db upload-keypairs` against the devnet, with `extra` flags and another keystores dir. */
  const uploadKeypairs = (
    encryptKey: string,
    extra: readonly string[] = [],
    options: { keystoresDir?: string; url?: string } = {},
  ) =>
    remoteDb(
      [
        ...(options.keystoresDir ? ["--keystores-dir", options.keystoresDir] : []),
        "upload-keypairs",
        "--encrypt-key",
        encryptKey,
        "--execution-endpoints",
        devnet.executionUrl,
        ...extra,
      ],
      options.url ? { url: options.url } : {},
    );
  const rows = () => sql<Row[]>`SELECT * FROM devnet_keypairs ORDER BY public_key`;
  /** A database of its own for one layout's tests: made before them, dropped after. */
  const layoutDatabase = (suffix: string) => {
    const db = { name: "", url: "", sql: undefined as unknown as postgres.Sql };
    before(async () => {
      db.name = `${dbName}_${suffix}`;
      await admin.unsafe(`CREATE DATABASE ${db.name}`);
      db.url = ADMIN_URL.replace(/\/postgres$/, `/${db.name}`);
      db.sql = postgres(db.url, { max: 1, onnotice: () => {} });
    });
    after(async () => {
      await db.sql?.end();
      await admin?.unsafe(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
    });
    return db;
  };
  /** The two devnet keys, 0x-hex. */
  const devnetKeys = () => ({
    secrets: [0, 1].map((i) => `0x${secretKeyHexOf(TEST_MNEMONIC, i)}`),
    publicKeys: [0, 1].map((i) => `0x${publicKeyHexOf(TEST_MNEMONIC, i)}`),
  });
  /** The keys of the PyCryptodome rows, 0x-hex. */
  const vectorKeys = () => ({
    secrets: INDEPENDENT_VECTORS.keypairs.map((k) => k.secretKey),
    publicKeys: INDEPENDENT_VECTORS.keypairs.map((k) => k.publicKey),
  });
  /**
   * setup-web3signer and setup-validator (through `run`, into `<name>-…` dirs) read `keys` as
   * whole validator keys, every row one (no key shares), and name the layout with `note` on stderr.
   */
  const assertWholeKeysRead = async (
    run: (args: readonly string[]) => ReturnType<typeof runCli>,
    name: string,
    encryptKey: string,
    keys: { secrets: readonly string[]; publicKeys: readonly string[] },
    note: string,
  ) => {
    const keysDir = join(out, `${name}-web3signer`);
    const web3signer = await run(["setup-web3signer", "--encrypt-key", encryptKey, "--output-dir", keysDir]);
    assertSuccess(web3signer);
    assert.equal(web3signer.stderr, note);
    await assertKeyFiles(keysDir, keys.secrets);
    const validatorDir = join(out, `${name}-validator`);
    const validator = await run(allKeysValidatorArgs(validatorDir));
    assertSuccess(validator);
    assert.equal(validator.stderr, note);
    const publicKeys = keys.publicKeys.map((k) => `"${k}"`).sort();
    assert.equal(
      await readFile(join(validatorDir, "signer_keys.yml"), "utf8"),
      `validators-external-signer-public-keys: [${publicKeys.join(",")}]`,
      "every row is a validator key",
    );
  };
  const columnsOf = async (db: postgres.Sql, table: string) =>
    (
      await db<{ name: string }[]>`
        SELECT column_name AS name FROM information_schema.columns
        WHERE table_name = ${table} ORDER BY ordinal_position`
    ).map((c) => c.name);

  before(async () => {
    dbName = `vault_operator_rdb_${randomBytes(6).toString("hex")}`;
    admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    dbUrl = ADMIN_URL.replace(/\/postgres$/, `/${dbName}`);
    sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
    ({ path: dataDir, cleanup: cleanupDir } = await tempDir("vault-operator-remote-db-"));
    out = join(dataDir, "out");
    devnet = await startDevnet({ outputDir: join(dataDir, "devnet") });
    vault = devnet.vault.address;
    vaultDir = await writeVaultConfig(dataDir, vault, "devnet", 0);
    depositDataFile = join(vaultDir, "deposit_data.json");
    // Keystores with a light scrypt (the deposit CLI's takes ~1 s per key to make and to open).
    await runCreateKeys(
      {
        vault,
        count: 2,
        mnemonic: parseMnemonic(TEST_MNEMONIC),
        dataDir,
        perKeystorePassword: false,
        kdf: { function: "scrypt", n: 1024, r: 8, p: 1 },
      },
      quietCommandContext(),
    );
    const root = await validatorsRootOfFile(depositDataFile, vault, devnet.network);
    const hash = await devnet.clients.keysManager.writeContract({
      address: vault,
      abi: vaultAbi,
      functionName: "setValidatorsRoot",
      args: [toPrefixedHex(root)],
    });
    await devnet.clients.keysManager.waitForTransactionReceipt({ hash });
  });
  after(async () => {
    await sql?.end();
    await admin?.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin?.end();
    await devnet?.stop();
    await cleanupDir?.();
  });

  it("a database without the tables: run setup first", async () => {
    const result = await remoteDb(["setup-web3signer", "--encrypt-key", INDEPENDENT_VECTORS.encryptionKey], {
      vault: PYTHON_VAULT,
      network: "mainnet",
    });
    assertCleanError(
      result,
      /has no mainnet_keypairs and mainnet_configs tables: run "operator remote-db setup" first/,
    );
    assert.doesNotMatch(result.stderr, /postgres:@/, "the URL is redacted");
  });

  it("setup creates the tables and prints a new key", async () => {
    // The v1.0.x layout (keys and key shares); new databases get v1.1+ by default (below).
    const result = await remoteDb(["setup", "--layout", "v1.0"]);
    assertSuccess(result);
    key = setupKey(result);
    assert.equal((await rows()).length, 0);
  });

  it("upload-keypairs stores the keys and one share per oracle, in the Python layout", async () => {
    const result = await uploadKeypairs(key);
    assertSuccess(result);
    assert.equal(
      result.stdout,
      `Loading keystores from ${join(vaultDir, "keystores")}...\n` +
        "Fetching oracles config...\n" +
        "Calculating and encrypting shares for 2 keystores...\n" +
        "Uploading updates to the remote db...\n" +
        `Successfully uploaded keypairs and shares for the ${vault} vault.\n`,
    );
    const stored = await rows();
    const oracles = 3; // the devnet's default committee
    assert.equal(stored.length, 2 * (1 + oracles));
    const validators = stored.filter((r) => r.parent_public_key === null).map((r) => r.public_key);
    assert.deepEqual(
      validators,
      [`0x${publicKeyHexOf(TEST_MNEMONIC, 0)}`, `0x${publicKeyHexOf(TEST_MNEMONIC, 1)}`].sort(),
    );
    for (const row of stored) {
      assert.equal(row.vault, vault);
      assert.match(row.public_key, /^0x[0-9a-f]{96}$/);
      assert.match(row.private_key, /^0x[0-9a-f]{64}$/);
      assert.match(row.nonce, /^0x[0-9a-f]{32}$/);
    }
    for (const validator of validators) {
      assert.equal(stored.filter((r) => r.parent_public_key === validator).length, oracles);
    }
    const configs = await sql<
      { name: string; data: string }[]
    >`SELECT name, data FROM devnet_configs ORDER BY name`;
    assert.deepEqual(
      configs.map((c) => c.name),
      ["deposit_data.json", "remote_signer_config.json"],
    );
    const signerConfig = JSON.parse(configs[1]?.data ?? "") as Record<string, string[]>;
    assert.deepEqual(Object.keys(signerConfig).sort(), validators);
    assert.equal(configs[0]?.data, toPythonJson(JSON.parse(await readFile(depositDataFile, "utf8"))));
  });

  it("setup-web3signer writes every key and share as a web3signer key file", async () => {
    const dir = join(out, "web3signer");
    const result = await remoteDb(["setup-web3signer", "--encrypt-key", key, "--output-dir", dir]);
    assertSuccess(result);
    assert.equal(
      result.stdout,
      "Fetching keypairs from the remote db...\nDecrypting 8 keystores...\n" +
        `Saving 8 private keys to ${dir}...\nSuccessfully retrieved web3signer private keys from the database.\n`,
    );
    const names = (await readdir(dir)).sort();
    assert.deepEqual(names, Array.from({ length: 8 }, (_, i) => `key_${i}.yaml`).sort());
    const privateKeys: string[] = [];
    for (let i = 0; i < 8; i++) {
      const file = join(dir, `key_${i}.yaml`);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const match = /^keyType: BLS\nprivateKey: '(0x[0-9a-f]{64})'\ntype: file-raw\n$/.exec(
        await readFile(file, "utf8"),
      );
      assert.ok(match, file);
      privateKeys.push(match[1] as string);
    }
    assert.deepEqual(privateKeys, [...privateKeys].sort(), "numbered in hex order");
    for (const index of [0, 1]) assert.ok(privateKeys.includes(`0x${secretKeyHexOf(TEST_MNEMONIC, index)}`));
  });

  it("setup-validator writes the validator client files for its share of the keys", async () => {
    const dir = join(out, "validator1");
    const result = await remoteDb([
      "setup-validator",
      "--validator-index",
      "1",
      "--total-validators",
      "2",
      "--web3signer-endpoint",
      "http://web3signer:9000",
      "--fee-recipient",
      FEE_RECIPIENT.toLowerCase(),
      "--output-dir",
      dir,
    ]);
    assertSuccess(result);
    assert.equal(
      result.stdout,
      "Generated configs with 1 keys for validator with index 1.\n" +
        `Validator definitions for Lighthouse saved to ${dir}/validator_definitions.yml file.\n` +
        `Signer keys for Teku\\Prysm saved to ${dir}/signer_keys.yml file.\n` +
        `Proposer config for Teku\\Prysm saved to ${dir}/proposer_config.json file.\n\n` +
        "Successfully created validator configuration files.\n",
    );
    const second = [
      `0x${publicKeyHexOf(TEST_MNEMONIC, 0)}`,
      `0x${publicKeyHexOf(TEST_MNEMONIC, 1)}`,
    ].sort()[1];
    assert.equal(
      await readFile(join(dir, "validator_definitions.yml"), "utf8"),
      `---\n- enabled: true\n  suggested_fee_recipient: '${FEE_RECIPIENT}'\n  type: web3signer\n  url: http://web3signer:9000\n  voting_public_key: '${second}'\n`,
    );
    assert.equal(
      await readFile(join(dir, "signer_keys.yml"), "utf8"),
      `validators-external-signer-public-keys: ["${second}"]`,
    );
    assert.equal(
      await readFile(join(dir, "proposer_config.json"), "utf8"),
      `{\n    "default_config": {\n        "fee_recipient": "${FEE_RECIPIENT}",\n        "builder": {\n            "enabled": true\n        }\n    }\n}`,
    );
  });

  it("setup-operator writes the remote signer config and deposit data", async () => {
    const dir = join(out, "operator");
    const result = await remoteDb(["setup-operator", "--output-dir", dir]);
    assertSuccess(result);
    assert.equal(
      result.stdout,
      `Operator remote signer configuration saved to ${dir}/remote_signer_config.json file.\n` +
        `Operator deposit data saved to ${dir}/deposit_data.json file.\n` +
        "Successfully created operator configuration file.\n",
    );
    const config = JSON.parse(await readFile(join(dir, "remote_signer_config.json"), "utf8")) as {
      pubkeys_to_shares: Record<string, string[]>;
    };
    const stored = await rows();
    for (const [validator, shares] of Object.entries(config.pubkeys_to_shares)) {
      assert.deepEqual(
        [...shares].sort(),
        stored.filter((r) => r.parent_public_key === validator).map((r) => r.public_key),
      );
    }
    assert.equal(
      await readFile(join(dir, "deposit_data.json"), "utf8"),
      toPythonJson(JSON.parse(await readFile(depositDataFile, "utf8"))),
    );
  });

  it("upload-keypairs of some of the keys replaces theirs and keeps the vault's other keys", async () => {
    const before = await rows();
    const signerConfig = async () => {
      const [row] = await sql<{ data: string }[]>`
        SELECT data FROM devnet_configs WHERE name = 'remote_signer_config.json'`;
      return JSON.parse(row?.data ?? "") as Record<string, string[]>;
    };
    const configBefore = await signerConfig();
    const keystores = join(vaultDir, "keystores");
    const name = (await readdir(keystores)).find((n) => n.includes("m_12381_3600_1_0_0"));
    assert.ok(name);
    const dir = join(out, "one-keystore");
    await mkdir(dir, { recursive: true });
    await copyFile(join(keystores, name), join(dir, name));
    const result = await uploadKeypairs(key, ["--keystores-password-file", join(keystores, "password.txt")], {
      keystoresDir: dir,
    });
    assertSuccess(result);
    assert.match(result.stdout, new RegExp(`Kept the 1 stored keys of the vault that are not in ${dir} `));
    const after = await rows();
    const [kept, uploaded] = [0, 1].map((i) => `0x${publicKeyHexOf(TEST_MNEMONIC, i)}`) as [string, string];
    const rowsOf = (all: Row[], k: string) =>
      all.filter((r) => r.public_key === k || r.parent_public_key === k);
    assert.deepEqual(
      rowsOf(after, kept),
      rowsOf(before, kept),
      "the other key and its shares stay as they were",
    );
    assert.equal(rowsOf(after, uploaded).length, 4);
    assert.notDeepEqual(rowsOf(after, uploaded), rowsOf(before, uploaded), "new shares for the uploaded key");
    const configAfter = await signerConfig();
    assert.deepEqual(Object.keys(configAfter).sort(), [kept, uploaded].sort());
    assert.deepEqual(configAfter[kept], configBefore[kept]);
    assert.deepEqual(
      [...(configAfter[uploaded] ?? [])].sort(),
      after.filter((r) => r.parent_public_key === uploaded).map((r) => r.public_key),
    );
  });

  it("a wrong keystore password is one line and changes nothing", async () => {
    const before = await rows();
    const wrong = join(out, "wrong-password.txt");
    await writeFile(wrong, "not the password");
    const result = await uploadKeypairs(key, ["--keystores-password-file", wrong]);
    assertCleanError(result, /Invalid password for keystore .*: check .*wrong-password\.txt/);
    assert.deepEqual(await rows(), before);
  });

  it("a wrong key fails before anything changes", async () => {
    const before = await rows();
    const wrong = randomBytes(32).toString("base64");
    const upload = await uploadKeypairs(wrong);
    assertCleanError(upload, /--encrypt-key does not decrypt the keys of vault/);
    assert.equal(upload.stdout, "");
    const dir = join(out, "wrong-key");
    const web3signer = await remoteDb(["setup-web3signer", "--encrypt-key", wrong, "--output-dir", dir]);
    assertCleanError(web3signer, /--encrypt-key does not decrypt/);
    assert.equal(existsSync(dir), false);
    assert.deepEqual(await rows(), before);
  });

  it("setup refuses a database that holds the vault's keys; another vault finds none", async () => {
    assertCleanError(await remoteDb(["setup"]), /already holds 8 keys and 2 configs of vault/, /cleanup/);
    const other = await remoteDb(
      ["setup-web3signer", "--encrypt-key", key, "--output-dir", join(out, "other")],
      {
        vault: OTHER_VAULT,
        network: "devnet",
      },
    );
    assertCleanError(
      other,
      new RegExp(`has no keys of vault ${OTHER_VAULT} on devnet \\(it holds keys of ${vault}\\)`),
    );
  });

  it("--db-url without a password (the README's form) connects, with trust or .pgpass authentication", {
    skip: new URL(ADMIN_URL).password !== "" ? "the test server asks for a password" : false,
  }, async () => {
    const url = new URL(dbUrl);
    url.password = "";
    assert.match(url.href, /^postgresql:\/\/postgres@/);
    // The database answers: setup refuses it because it holds the vault's keys.
    assertCleanError(
      await remoteDb(["setup"], { url: url.href }),
      /already holds 8 keys and 2 configs of vault/,
    );
  });

  it("an --output-dir that cannot be written fails before the database is read", async () => {
    const result = await remoteDb([
      "setup-web3signer",
      "--encrypt-key",
      key,
      "--output-dir",
      "/proc/vault-operator-x",
    ]);
    assertCleanError(result, /^Error: output dir \/proc\/vault-operator-x is not writable/, /--output-dir/);
    assert.equal(result.stdout, "");
  });

  it("reads rows the Python operator wrote", async () => {
    const network = { vault: PYTHON_VAULT, network: "mainnet" };
    // The tables as the Python operator creates them.
    await sql.unsafe(createKeypairsTableSql(remoteDbTables("mainnet")));
    await sql.unsafe(createConfigsTableSql(remoteDbTables("mainnet")));
    const [parent, ...shares] = INDEPENDENT_VECTORS.keypairs;
    assert.ok(parent);
    const insert = (row: (typeof INDEPENDENT_VECTORS.keypairs)[number], parentKey: string | null) =>
      sql`INSERT INTO mainnet_keypairs (vault, parent_public_key, public_key, private_key, nonce)
          VALUES (${PYTHON_VAULT}, ${parentKey}, ${row.publicKey}, ${row.ciphertext}, ${row.nonce})`;
    await insert(parent, null);
    for (const share of shares) await insert(share, parent.publicKey);
    const pythonConfig = `{"${parent.publicKey}": [${shares.map((s) => `"${s.publicKey}"`).join(", ")}]}`;
    await sql`INSERT INTO mainnet_configs (vault, name, data) VALUES
      (${PYTHON_VAULT}, 'remote_signer_config.json', ${pythonConfig}),
      (${PYTHON_VAULT}, 'deposit_data.json', ${'[{"pubkey": "ab", "amount": 32000000000}]'})`;

    const dir = join(out, "python-web3signer");
    assertSuccess(
      await remoteDb(
        ["setup-web3signer", "--encrypt-key", INDEPENDENT_VECTORS.encryptionKey, "--output-dir", dir],
        network,
      ),
    );
    const expected = INDEPENDENT_VECTORS.keypairs.map((k) => k.secretKey).sort();
    for (const [i, secret] of expected.entries()) {
      assert.equal(
        await readFile(join(dir, `key_${i}.yaml`), "utf8"),
        `keyType: BLS\nprivateKey: '${secret}'\ntype: file-raw\n`,
      );
    }

    const validatorDir = join(out, "python-validator");
    const validator = await remoteDb(
      allKeysValidatorArgs(validatorDir, ["--disable-proposal-builder"]),
      network,
    );
    assertSuccess(validator);
    assert.equal(
      await readFile(join(validatorDir, "signer_keys.yml"), "utf8"),
      `validators-external-signer-public-keys: ["${parent.publicKey}"]`,
    );
    assert.match(await readFile(join(validatorDir, "proposer_config.json"), "utf8"), /"enabled": false/);

    const operatorDir = join(out, "python-operator");
    assertSuccess(await remoteDb(["setup-operator", "--output-dir", operatorDir], network));
    assert.equal(
      await readFile(join(operatorDir, "remote_signer_config.json"), "utf8"),
      `{"pubkeys_to_shares": ${pythonConfig}}`,
    );
    assert.equal(
      await readFile(join(operatorDir, "deposit_data.json"), "utf8"),
      '[{"pubkey": "ab", "amount": 32000000000}]',
    );
  });

  it("cleanup removes only the vault's rows", async () => {
    const network = { vault: PYTHON_VAULT, network: "mainnet" };
    const result = await remoteDb(["cleanup", "--yes"], network);
    assertSuccess(result);
    assert.equal(result.stdout, `Successfully removed all the entries for the ${PYTHON_VAULT} vault.\n`);
    assert.equal((await sql`SELECT * FROM mainnet_keypairs`).length, 0);
    assert.equal((await rows()).length, 8);
  });

  describe("the Python operator's v1.1+ layout: whole keys, no parent_public_key", () => {
    const v11Database = layoutDatabase("v11");
    let v11: postgres.Sql;
    let v11Url: string;
    let v11Key: string;
    const inV11 = (args: readonly string[], options: { vault?: string; network?: string } = {}) =>
      remoteDb(args, { ...options, url: v11Url });
    const layoutNote = (table: string) =>
      `Remote database layout: v1.1+ (${table} without parent_public_key: whole validator keys, no key shares)\n`;
    before(() => {
      ({ sql: v11, url: v11Url } = v11Database);
    });

    it("setup gives a new database the v1.1+ layout and says so; --layout v1.0 is refused there", async () => {
      const result = await inV11(["setup"]);
      assertSuccess(result);
      v11Key = setupKey(result);
      assert.equal(
        result.stderr,
        "Remote database layout: v1.1+ (created devnet_keypairs without parent_public_key: whole validator keys, no key shares)\n",
      );
      assert.deepEqual(await columnsOf(v11, "devnet_keypairs"), [
        "vault",
        "public_key",
        "private_key",
        "nonce",
      ]);
      assertCleanError(
        await inV11(["setup", "--layout", "v1.0"]),
        /--layout v1\.0: the table devnet_keypairs exists in the v1\.1\+ layout/,
      );
    });

    it("upload-keypairs stores the whole keys and the deposit data, as the Python operator v1.1+ does", async () => {
      const result = await uploadKeypairs(v11Key, [], { url: v11Url });
      assertSuccess(result);
      assert.equal(
        result.stdout,
        `Loading keystores from ${join(vaultDir, "keystores")}...\n` +
          "Encrypting 2 keystores...\n" +
          "Uploading updates to the remote db...\n" +
          `Successfully uploaded keypairs for the ${vault} vault.\n`,
      );
      assert.equal(result.stderr, layoutNote("devnet_keypairs"));
      const stored = await v11<Record<string, string>[]>`SELECT * FROM devnet_keypairs ORDER BY public_key`;
      assert.deepEqual(
        stored.map((r) => Object.keys(r)),
        [0, 1].map(() => ["vault", "public_key", "private_key", "nonce"]),
      );
      assert.deepEqual(
        stored.map((r) => r.public_key),
        [0, 1].map((i) => `0x${publicKeyHexOf(TEST_MNEMONIC, i)}`).sort(),
      );
      assert.deepEqual(
        stored.map((r) => r.vault),
        [vault, vault],
      );
      const configs = await v11<{ name: string; data: string }[]>`SELECT name, data FROM devnet_configs`;
      assert.deepEqual(
        configs.map((c) => [c.name, c.data]),
        [["deposit_data.json", toPythonJson(JSON.parse(await readFile(depositDataFile, "utf8")))]],
      );
    });

    it("setup-web3signer, setup-validator and setup-operator read it", async () => {
      await assertWholeKeysRead(inV11, "v11", v11Key, devnetKeys(), layoutNote("devnet_keypairs"));

      // A remote signer config left from a v1.0.x set-up would make start ask for key shares.
      const operatorDir = join(out, "v11-operator");
      await mkdir(operatorDir, { recursive: true });
      await writeFile(join(operatorDir, "remote_signer_config.json"), '{"pubkeys_to_shares": {}}');
      const operator = await inV11(["setup-operator", "--output-dir", operatorDir]);
      assertSuccess(operator);
      assert.equal(
        operator.stdout,
        `Removed ${operatorDir}/remote_signer_config.json: the remote signer holds whole validator keys, and start signs with them.\n` +
          `Operator deposit data saved to ${operatorDir}/deposit_data.json file.\n` +
          "Successfully created operator configuration file.\n",
      );
      assert.equal(operator.stderr, layoutNote("devnet_keypairs"));
      assert.deepEqual(await readdir(operatorDir), ["deposit_data.json"]);
      assert.equal(
        await readFile(join(operatorDir, "deposit_data.json"), "utf8"),
        toPythonJson(JSON.parse(await readFile(depositDataFile, "utf8"))),
      );
    });

    it("reads and cleans up a database the Python operator v1.1+ wrote", async () => {
      const network = { vault: PYTHON_VAULT, network: "mainnet" };
      // The tables and rows as the Python operator v1.1.0 – v3.1.10 writes them
      // (stakewise/v3-operator src/remote_db/database.py: create_table, upload_keypairs,
      // update_deposit_data), written here from its code, not with ours.
      await v11.unsafe(`CREATE TABLE IF NOT EXISTS mainnet_keypairs (
                        vault VARCHAR(42) NOT NULL,
                        public_key VARCHAR(98) UNIQUE NOT NULL,
                        private_key VARCHAR(66) UNIQUE NOT NULL,
                        nonce VARCHAR(34) UNIQUE NOT NULL
                    )`);
      await v11.unsafe(`CREATE TABLE IF NOT EXISTS mainnet_configs (
                        vault VARCHAR(42) NOT NULL,
                        name VARCHAR(25) NOT NULL,
                        data TEXT NOT NULL,
                        UNIQUE(vault, name)
                    )`);
      for (const row of INDEPENDENT_VECTORS.keypairs) {
        await v11`INSERT INTO mainnet_keypairs (vault, public_key, private_key, nonce)
                  VALUES (${PYTHON_VAULT}, ${row.publicKey}, ${row.ciphertext}, ${row.nonce})
                  ON CONFLICT DO NOTHING`;
      }
      const depositData = '[{"pubkey": "ab", "amount": 32000000000}]';
      await v11`INSERT INTO mainnet_configs (vault, name, data) VALUES (${PYTHON_VAULT}, 'deposit_data.json', ${depositData})
                ON CONFLICT (vault, name) DO UPDATE SET data = ${depositData}`;

      await assertWholeKeysRead(
        (args) => inV11(args, network),
        "python-v11",
        INDEPENDENT_VECTORS.encryptionKey,
        vectorKeys(),
        layoutNote("mainnet_keypairs"),
      );

      const operatorDir = join(out, "python-v11-operator");
      const operator = await inV11(["setup-operator", "--output-dir", operatorDir], network);
      assertSuccess(operator);
      assert.deepEqual(await readdir(operatorDir), ["deposit_data.json"]);
      assert.equal(await readFile(join(operatorDir, "deposit_data.json"), "utf8"), depositData);

      assertCleanError(await inV11(["setup"], network), /already holds 4 keys and 1 configs of vault/);
      const cleanup = await inV11(["cleanup", "--yes"], network);
      assertSuccess(cleanup);
      assert.equal(cleanup.stdout, `Successfully removed all the entries for the ${PYTHON_VAULT} vault.\n`);
      assert.equal(cleanup.stderr, layoutNote("mainnet_keypairs"));
      assert.equal((await v11`SELECT * FROM mainnet_keypairs`).length, 0);
      assert.equal((await v11`SELECT * FROM devnet_keypairs`).length, 2, "the other network's rows stay");
    });

    it("v1.1+ rows in a v1.0.x table (a Python operator upgraded from v1.0.x) are whole keys", async () => {
      const network = { vault: PYTHON_VAULT, network: "gnosis" };
      await v11.unsafe(createKeypairsTableSql(remoteDbTables("gnosis")));
      await v11.unsafe(createConfigsTableSql(remoteDbTables("gnosis")));
      for (const row of INDEPENDENT_VECTORS.keypairs) {
        await v11`INSERT INTO gnosis_keypairs (vault, public_key, private_key, nonce)
                  VALUES (${PYTHON_VAULT}, ${row.publicKey}, ${row.ciphertext}, ${row.nonce})`;
      }
      const validatorDir = join(out, "upgraded-validator");
      const validator = await inV11(allKeysValidatorArgs(validatorDir), network);
      assertSuccess(validator);
      assert.match(validator.stdout, /^Generated configs with 4 keys /);
      assert.equal(
        validator.stderr,
        "Remote database layout: v1.1+ (whole validator keys, no key shares, in gnosis_keypairs of v1.0.x: parent_public_key stays empty)\n",
      );
      const operator = await inV11(
        ["setup-operator", "--output-dir", join(out, "upgraded-operator")],
        network,
      );
      assertCleanError(operator, /has no deposit_data\.json config of vault/);
    });
  });

  describe("the Python operator v4 layout: the network's whole keys, no vault column, no configs", () => {
    const v4Database = layoutDatabase("v4");
    let v4: postgres.Sql;
    let v4Url: string;
    let v4Key: string;
    const inV4 = (args: readonly string[], options: { vault?: string; network?: string } = {}) =>
      remoteDb(args, { ...options, url: v4Url });
    const layoutNote = (table: string, created = false) =>
      `Remote database layout: v4 (${created ? "created " : ""}${table} without vault: the network's whole validator keys, for every vault; no configs)\n`;
    before(() => {
      ({ sql: v4, url: v4Url } = v4Database);
    });

    it("setup --layout v4 creates the keypairs table without vault, and no configs table", async () => {
      const result = await inV4(["setup", "--layout", "v4"]);
      assertSuccess(result);
      v4Key = setupKey(result);
      assert.equal(result.stderr, layoutNote("devnet_keypairs", true));
      assert.deepEqual(await columnsOf(v4, "devnet_keypairs"), ["public_key", "private_key", "nonce"]);
      assert.deepEqual(await columnsOf(v4, "devnet_configs"), []);
      assertCleanError(
        await inV4(["setup", "--layout", "v1.1"]),
        /--layout v1\.1: the table devnet_keypairs exists in the v4 layout/,
      );
    });

    it("upload-keypairs stores the whole keys alone, with no execution endpoint or deposit data", async () => {
      const result = await inV4(["upload-keypairs", "--encrypt-key", v4Key]);
      assertSuccess(result);
      assert.equal(
        result.stdout,
        `Loading keystores from ${join(vaultDir, "keystores")}...\n` +
          "Encrypting 2 keystores...\n" +
          "Uploading updates to the remote db...\n" +
          "Successfully uploaded keypairs to the database.\n",
      );
      assert.equal(result.stderr, layoutNote("devnet_keypairs"));
      const stored = await v4<Record<string, string>[]>`SELECT * FROM devnet_keypairs ORDER BY public_key`;
      assert.deepEqual(
        stored.map((r) => Object.keys(r)),
        [0, 1].map(() => ["public_key", "private_key", "nonce"]),
      );
      assert.deepEqual(
        stored.map((r) => r.public_key),
        [0, 1].map((i) => `0x${publicKeyHexOf(TEST_MNEMONIC, i)}`).sort(),
      );
      // Again: the same keys replace their rows, nothing is added.
      assertSuccess(await inV4(["upload-keypairs", "--encrypt-key", v4Key]));
      assert.equal((await v4`SELECT * FROM devnet_keypairs`).length, 2);
    });

    it("setup-web3signer and setup-validator read it; setup-operator has nothing to set up from", async () => {
      await assertWholeKeysRead(inV4, "v4", v4Key, devnetKeys(), layoutNote("devnet_keypairs"));
      const operatorDir = join(out, "v4-operator");
      assertCleanError(
        await inV4(["setup-operator", "--output-dir", operatorDir]),
        /devnet_keypairs is in the v4 layout: it holds keys only, no deposit data or remote signer config/,
      );
      assert.equal(existsSync(join(operatorDir, "deposit_data.json")), false);
    });

    it("reads and cleans up a table the Python operator v4 wrote, whatever --vault names", async () => {
      const network = { vault: PYTHON_VAULT, network: "mainnet" };
      // The table as the Python operator v4 creates it (stakewise/v3-operator v4.1.9
      // src/remote_db/database.py create_table), written here from its code, not with ours. Its
      // rows are inserted here with that table's three columns: its own upload_keypairs (v4.1.9,
      // and the newest development branch) gives three values to four placeholders.
      await v4.unsafe(`CREATE TABLE IF NOT EXISTS mainnet_keypairs (
                        public_key VARCHAR(98) UNIQUE NOT NULL,
                        private_key VARCHAR(66) UNIQUE NOT NULL,
                        nonce VARCHAR(34) UNIQUE NOT NULL
                    )`);
      for (const row of INDEPENDENT_VECTORS.keypairs) {
        await v4`INSERT INTO mainnet_keypairs (public_key, private_key, nonce)
                 VALUES (${row.publicKey}, ${row.ciphertext}, ${row.nonce}) ON CONFLICT DO NOTHING`;
      }
      await assertWholeKeysRead(
        (args) => inV4(args, network),
        "python-v4",
        INDEPENDENT_VECTORS.encryptionKey,
        vectorKeys(),
        layoutNote("mainnet_keypairs"),
      );
      assertCleanError(
        await inV4(
          ["setup-web3signer", "--encrypt-key", v4Key, "--output-dir", join(out, "python-v4-web3signer")],
          network,
        ),
        /--encrypt-key does not decrypt the keys in mainnet_keypairs: pass the encryption key printed by/,
      );
      assertCleanError(
        await inV4(["setup"], network),
        /already holds 4 keys in mainnet_keypairs \(v4 layout: the keys of every vault\)/,
      );
      // The rows name no vault: cleanup removes them all, and says so before it does.
      assertCleanError(
        await inV4(["cleanup"], { ...network, vault: OTHER_VAULT }),
        /cleanup deletes all 4 keys in mainnet_keypairs, the keys of every vault \(v4 layout: the rows name no vault\), from the database: pass --yes/,
      );
      assert.equal((await v4`SELECT * FROM mainnet_keypairs`).length, 4, "nothing removed without --yes");
      const cleanup = await inV4(["cleanup", "--yes"], network);
      assertSuccess(cleanup);
      assert.equal(cleanup.stdout, "Successfully removed all the entries from the database.\n");
      assert.equal(cleanup.stderr, layoutNote("mainnet_keypairs"));
      assert.equal((await v4`SELECT * FROM mainnet_keypairs`).length, 0);
      assert.equal((await v4`SELECT * FROM devnet_keypairs`).length, 2, "the other network's rows stay");
      // setup again on the emptied table: it keeps its layout, and no configs table appears beside it.
      const again = await inV4(["setup"], network);
      assertSuccess(again);
      assert.equal(again.stderr, layoutNote("mainnet_keypairs"));
      assert.deepEqual(await columnsOf(v4, "mainnet_configs"), []);
    });
  });
});
