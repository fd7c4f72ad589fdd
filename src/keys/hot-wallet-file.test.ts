import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Wallet } from "@ethereumjs/wallet";
import { mnemonicToSeed } from "../crypto/mnemonic.ts";
import { deriveHotWallet } from "./hot-wallet.ts";
import {
  HotWalletFileError,
  InvalidHotWalletPasswordError,
  loadHotWallet,
  walletOfPrivateKey,
} from "./hot-wallet-file.ts";

const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const ADDRESS = "0x58A57ed9d8d624cBD12e2C467D34787555bB1b25";
const PASSWORD = "Hot-Wallet_Password1";

let dir: string;
let keyfile: Record<string, unknown>;
let walletFile: string;
let passwordFile: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hot-wallet-file-"));
  const { privateKey } = deriveHotWallet(mnemonicToSeed(MNEMONIC));
  // Cheap scrypt: the layout is what matters here, not the cost.
  keyfile = (await Wallet.fromPrivateKey(privateKey).toV3(PASSWORD, {
    kdf: "scrypt",
    n: 1024,
    r: 8,
    p: 1,
    dklen: 32,
  })) as unknown as Record<string, unknown>;
  walletFile = join(dir, "wallet.json");
  passwordFile = join(dir, "password.txt");
  await writeFile(walletFile, JSON.stringify(keyfile));
  await writeFile(passwordFile, `${PASSWORD}\n`);
});
after(() => rm(dir, { recursive: true, force: true }));

async function variant(name: string, content: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

function rejectsWith(pattern: RegExp, type: typeof HotWalletFileError = HotWalletFileError) {
  return (error: unknown) => {
    assert.ok(error instanceof type, String(error));
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes(PASSWORD), "the message never holds the password");
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  };
}

describe("loadHotWallet", () => {
  it("decrypts the keyfile with the trimmed password", async () => {
    const wallet = await loadHotWallet({ walletFile, passwordFile });
    assert.equal(wallet.address, ADDRESS);
    assert.equal(wallet.privateKey.length, 32);
  });

  it("names a missing wallet file or password file and the fix", async () => {
    await assert.rejects(
      loadHotWallet({ walletFile: join(dir, "missing.json"), passwordFile }),
      rejectsWith(
        /^hot wallet file .*missing\.json does not exist: run "operator create-wallet" or pass --hot-wallet-file$/,
      ),
    );
    await assert.rejects(
      loadHotWallet({ walletFile, passwordFile: join(dir, "missing.txt") }),
      rejectsWith(/^hot wallet password file .*missing\.txt does not exist: pass --hot-wallet-password-file/),
    );
  });

  it("names malformed JSON and keyfiles that are not v3", async () => {
    await assert.rejects(
      loadHotWallet({ walletFile: await variant("broken.json", "{ nope"), passwordFile }),
      rejectsWith(/broken\.json is not valid JSON: restore it from a backup/),
    );
    await assert.rejects(
      loadHotWallet({
        walletFile: await variant("v1.json", JSON.stringify({ ...keyfile, version: 1 })),
        passwordFile,
      }),
      rejectsWith(/v1\.json is not a Web3 Secret Storage v3 keyfile \("version" is 1, not 3\)/),
    );
    const { crypto: _crypto, ...noCrypto } = keyfile;
    await assert.rejects(
      loadHotWallet({ walletFile: await variant("nocrypto.json", JSON.stringify(noCrypto)), passwordFile }),
      rejectsWith(/no "crypto" object/),
    );
    const crypto = keyfile.crypto as Record<string, unknown>;
    const noMac = { ...keyfile, crypto: { ...crypto, mac: undefined } };
    await assert.rejects(
      loadHotWallet({ walletFile: await variant("nomac.json", JSON.stringify(noMac)), passwordFile }),
      rejectsWith(/no "crypto\.mac"/),
    );
  });

  it("reports a wrong password with the password file, never the password", async () => {
    const wrong = await variant("wrong.txt", "Not-The-Password_9");
    await assert.rejects(
      loadHotWallet({ walletFile, passwordFile: wrong }),
      rejectsWith(
        new RegExp(`^Invalid password for hot wallet ${walletFile}: check ${wrong}$`),
        InvalidHotWalletPasswordError,
      ),
    );
  });

  it("rejects a keyfile whose address does not match its key", async () => {
    const other = { ...keyfile, address: "11".repeat(20) };
    await assert.rejects(
      loadHotWallet({ walletFile: await variant("other.json", JSON.stringify(other)), passwordFile }),
      rejectsWith(/says address 0x1111.* but its key belongs to 0x58A57ed9/),
    );
  });
});

describe("WALLET_PRIVATE_KEY", () => {
  // anvil's first well-known test account: its key and address are published with foundry.
  const KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  const ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  it("replaces the keyfile, with or without 0x", async () => {
    for (const value of [KEY, `0x${KEY}`, ` 0X${KEY.toUpperCase()}\n`]) {
      const wallet = await loadHotWallet({
        walletFile: "/nonexistent/wallet.json",
        passwordFile: "/nonexistent/password.txt",
        env: { WALLET_PRIVATE_KEY: value },
      });
      assert.equal(wallet.address, ADDRESS);
      assert.equal(Buffer.from(wallet.privateKey).toString("hex"), KEY);
    }
  });

  it("refuses a value that is not a key without repeating it", () => {
    for (const bad of [KEY.slice(1), `${KEY}00`, "zz".repeat(32), "0".repeat(64)]) {
      assert.throws(
        () => walletOfPrivateKey(bad),
        (error: unknown) =>
          error instanceof HotWalletFileError &&
          /^WALLET_PRIVATE_KEY is not a/.test(error.message) &&
          !error.message.includes(bad),
      );
    }
  });
});
