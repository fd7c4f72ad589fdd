/**
 * `operator create-wallet` end to end: the hot wallet m/44'/60'/0'/0/0 of the vault's mnemonic
 * as a Web3 Secret Storage v3 keyfile, decrypted here with code written from the format's text.
 */
import assert from "node:assert/strict";
import { createDecipheriv, scrypt as nodeScrypt } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { scrypt as hashWasmScrypt } from "hash-wasm";
import { privateKeyToAddress } from "viem/accounts";
import { DEPOSIT_CLI_VAULT, runCli, TEST_MNEMONIC, tempDir } from "../support/cli.ts";
import {
  assertCleanError,
  assertNoSecrets,
  assertSameSnapshot,
  assertSuccess,
  fileMode,
  snapshotDir,
  writeVaultConfig,
} from "../support/e2e.ts";

const VAULT = DEPOSIT_CLI_VAULT;
/** Account m/44'/60'/0'/0/0 of TEST_MNEMONIC (spec vector). */
const EXPECTED_ADDRESS = "0x58A57ed9d8d624cBD12e2C467D34787555bB1b25";
const OTHER_MNEMONIC =
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

interface V3Keyfile {
  address: string;
  crypto: {
    cipher: string;
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: string;
    kdfparams: { dklen: number; n: number; r: number; p: number; salt: string };
    mac: string;
  };
  id: string;
  version: number;
}

/** scrypt as two independent implementations compute it: WebAssembly (hash-wasm) and OpenSSL. */
type Scrypt = (password: Buffer, salt: Buffer, params: V3Keyfile["crypto"]["kdfparams"]) => Promise<Buffer>;

const wasmScrypt: Scrypt = async (password, salt, params) =>
  Buffer.from(
    await hashWasmScrypt({
      password,
      salt,
      costFactor: params.n,
      blockSize: params.r,
      parallelism: params.p,
      hashLength: params.dklen,
      outputType: "binary",
    }),
  );

/** node:crypto's scrypt is OpenSSL's: it refuses N ≥ 2^(16·r) (RFC 7914), e.g. n = 2^18 with r = 1. */
const opensslScrypt: Scrypt = (password, salt, params) =>
  new Promise((resolve, reject) =>
    nodeScrypt(
      password,
      salt,
      params.dklen,
      { N: params.n, r: params.r, p: params.p, maxmem: 300 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );

/** Web3 Secret Storage v3 decryption (scrypt, keccak256 MAC, AES-128-CTR), written without src/. */
async function decryptV3(keyfile: V3Keyfile, password: string, scrypt: Scrypt): Promise<Buffer> {
  const { kdfparams, ciphertext, mac, cipherparams } = keyfile.crypto;
  const dk = await scrypt(Buffer.from(password, "utf8"), Buffer.from(kdfparams.salt, "hex"), kdfparams);
  const cipherBytes = Buffer.from(ciphertext, "hex");
  const computedMac = Buffer.from(keccak_256(Buffer.concat([dk.subarray(16, 32), cipherBytes]))).toString(
    "hex",
  );
  if (computedMac !== mac) throw new Error("MAC mismatch: wrong password");
  const decipher = createDecipheriv("aes-128-ctr", dk.subarray(0, 16), Buffer.from(cipherparams.iv, "hex"));
  return Buffer.concat([decipher.update(cipherBytes), decipher.final()]);
}

describe("create-wallet", () => {
  let root: { path: string; cleanup: () => Promise<void> };
  let vaultDir: string;
  const walletDir = () => join(vaultDir, "wallet");

  before(async () => {
    root = await tempDir("e2e-create-wallet-");
    vaultDir = await writeVaultConfig(root.path, VAULT, "mainnet", 0);
  });
  after(async () => {
    await root.cleanup();
  });

  it("prints the address of m/44'/60'/0'/0/0 and writes a v3 keyfile that decrypts to it", async () => {
    const result = await runCli(["create-wallet", "--vault", VAULT, "--data-dir", root.path], {
      env: { MNEMONIC: TEST_MNEMONIC },
    });
    assertSuccess(result);
    assert.equal(result.stderr, "");
    assert.match(result.stdout, new RegExp(`The wallet address is: ${EXPECTED_ADDRESS}\\s*$`));

    const text = await readFile(join(walletDir(), "wallet.json"), "utf8");
    const keyfile = JSON.parse(text) as V3Keyfile;
    assert.deepEqual(Object.keys(keyfile), ["address", "crypto", "id", "version"]);
    assert.equal(keyfile.version, 3);
    assert.equal(keyfile.address, EXPECTED_ADDRESS.slice(2).toLowerCase());
    assert.match(keyfile.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(keyfile.crypto.cipher, "aes-128-ctr");
    assert.match(keyfile.crypto.cipherparams.iv, /^[0-9a-f]{32}$/);
    assert.match(keyfile.crypto.ciphertext, /^[0-9a-f]{64}$/);
    assert.equal(keyfile.crypto.kdf, "scrypt");
    assert.deepEqual(
      { ...keyfile.crypto.kdfparams, salt: undefined },
      { dklen: 32, n: 262144, r: 8, p: 1, salt: undefined },
    );
    assert.match(keyfile.crypto.kdfparams.salt, /^[0-9a-f]{64}$/);
    assert.match(keyfile.crypto.mac, /^[0-9a-f]{64}$/);
    // json.dumps spacing, as eth_account writes it through the Python operator.
    assert.ok(text.startsWith('{"address": "'), text);

    const password = await readFile(join(walletDir(), "password.txt"), "utf8");
    assert.match(password, /^[A-Za-z0-9!@#$%^&*()_]{20}$/);
    const privateKey = await decryptV3(keyfile, password, wasmScrypt);
    assert.equal(privateKey.length, 32);
    assert.equal(privateKeyToAddress(`0x${privateKey.toString("hex")}`), EXPECTED_ADDRESS);

    for (const output of [result.stdout, result.stderr]) {
      assertNoSecrets(output, {
        mnemonic: TEST_MNEMONIC,
        passwords: [password],
        secretKeysHex: [privateKey.toString("hex")],
      });
    }
  });

  it("the keyfile opens with OpenSSL's scrypt, which refuses eth_account's r = 1 keyfiles", async () => {
    const keyfile = JSON.parse(await readFile(join(walletDir(), "wallet.json"), "utf8")) as V3Keyfile;
    const password = await readFile(join(walletDir(), "password.txt"), "utf8");
    const privateKey = await decryptV3(keyfile, password, opensslScrypt);
    assert.equal(privateKeyToAddress(`0x${privateKey.toString("hex")}`), EXPECTED_ADDRESS);
    // The same file with eth_account's default parameters is out of OpenSSL's reach: the reason
    // create-wallet no longer writes them.
    const ethAccountDefault = { ...keyfile.crypto.kdfparams, r: 1, p: 8 };
    await assert.rejects(opensslScrypt(Buffer.from(password), Buffer.alloc(32), ethAccountDefault));
  });

  it("wallet.json and password.txt are 0600, the wallet dir 0700", async () => {
    assert.equal(await fileMode(join(walletDir(), "wallet.json")), 0o600);
    assert.equal(await fileMode(join(walletDir(), "password.txt")), 0o600);
    assert.equal(await fileMode(walletDir()), 0o700);
  });

  it("refuses to overwrite an existing wallet and leaves it unchanged", async () => {
    assert.ok(existsSync(join(walletDir(), "wallet.json")));
    const before = await snapshotDir(root.path);
    const result = await runCli(["create-wallet", "--vault", VAULT, "--data-dir", root.path], {
      env: { MNEMONIC: TEST_MNEMONIC },
    });
    assertCleanError(result, /already exists/, /wallet\.json/);
    assertSameSnapshot(await snapshotDir(root.path), before);
  });

  it("refuses a mnemonic that is not the vault's and writes nothing", async () => {
    const dir = await tempDir("e2e-create-wallet-other-");
    try {
      await writeVaultConfig(dir.path, VAULT, "mainnet", 0);
      const before = await snapshotDir(dir.path);
      const result = await runCli([
        "create-wallet",
        "--vault",
        VAULT,
        "--data-dir",
        dir.path,
        "--mnemonic",
        OTHER_MNEMONIC,
      ]);
      assertCleanError(result, /Invalid mnemonic/, /first_public_key/);
      assertSameSnapshot(await snapshotDir(dir.path), before);
      assert.equal(existsSync(join(dir.path, VAULT.toLowerCase(), "wallet")), false);
      assertNoSecrets(result.stdout + result.stderr, { mnemonic: OTHER_MNEMONIC });
    } finally {
      await dir.cleanup();
    }
  });
});
