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
import { nonInteractivePrompter } from "../../src/lib/terminal.ts";
import { createConfigsTableSql, createKeypairsTableSql, remoteDbTables } from "../../src/remote-db/tables.ts";
import { runCli, TEST_MNEMONIC, tempDir } from "../support/cli.ts";
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
    options: { keystoresDir?: string } = {},
  ) =>
    remoteDb([
      ...(options.keystoresDir ? ["--keystores-dir", options.keystoresDir] : []),
      "upload-keypairs",
      "--encrypt-key",
      encryptKey,
      "--execution-endpoints",
      devnet.executionUrl,
      ...extra,
    ]);
  const rows = () => sql<Row[]>`SELECT * FROM devnet_keypairs ORDER BY public_key`;

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
      {
        output: { line: () => {}, write: () => {}, isTTY: false },
        prompter: nonInteractivePrompter,
        signal: new AbortController().signal,
      },
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
    const result = await remoteDb(["setup"]);
    assertSuccess(result);
    const match =
      /^Successfully configured remote database\.\nEncryption key: ([A-Za-z0-9+/]{43}=)\nNB! You must store your encryption in a secure cold storage!\n$/.exec(
        result.stdout,
      );
    assert.ok(match, result.stdout);
    key = match[1] as string;
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
      [
        "setup-validator",
        "--validator-index",
        "0",
        "--total-validators",
        "1",
        "--web3signer-endpoint",
        "http://web3signer:9000",
        "--fee-recipient",
        FEE_RECIPIENT,
        "--disable-proposal-builder",
        "--output-dir",
        validatorDir,
      ],
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
});
