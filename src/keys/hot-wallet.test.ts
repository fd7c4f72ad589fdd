import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Wallet } from "@ethereumjs/wallet";
import { mnemonicToSeed } from "../crypto/mnemonic.ts";
import { toHex } from "../lib/hex.ts";
import { deriveHotWallet, encryptHotWallet, HOT_WALLET_PATH } from "./hot-wallet.ts";
import { decryptV3Keyfile } from "./hot-wallet-keyfile.ts";

const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const ADDRESS = "0x58A57ed9d8d624cBD12e2C467D34787555bB1b25";
const PASSWORD = "Hot-Wallet_Password1";

describe("deriveHotWallet", () => {
  it("derives Ethereum account 0 of the mnemonic", () => {
    assert.equal(HOT_WALLET_PATH, "m/44'/60'/0'/0/0");
    const wallet = deriveHotWallet(mnemonicToSeed(MNEMONIC));
    assert.equal(wallet.address, ADDRESS);
    assert.equal(wallet.privateKey.length, 32);
    assert.equal(Wallet.fromPrivateKey(wallet.privateKey).getChecksumAddressString(), ADDRESS);
  });
});

describe("encryptHotWallet / decryptHotWallet", () => {
  // encryptHotWallet uses geth's standard scrypt (n = 2^18, ≈1 s): one encrypt and one decrypt only.
  it("round-trips in eth_account's keyfile layout", async () => {
    const wallet = deriveHotWallet(mnemonicToSeed(MNEMONIC));
    const text = await encryptHotWallet(wallet.privateKey, PASSWORD);

    const keyfile = JSON.parse(text) as {
      address: string;
      crypto: { kdf: string; kdfparams: Record<string, unknown>; cipher: string };
      version: number;
    };
    assert.deepEqual(Object.keys(keyfile), ["address", "crypto", "id", "version"]);
    assert.deepEqual(Object.keys(keyfile.crypto), [
      "cipher",
      "cipherparams",
      "ciphertext",
      "kdf",
      "kdfparams",
      "mac",
    ]);
    assert.equal(keyfile.address, ADDRESS.slice(2).toLowerCase());
    assert.equal(keyfile.version, 3);
    assert.equal(keyfile.crypto.kdf, "scrypt");
    assert.equal(keyfile.crypto.cipher, "aes-128-ctr");
    assert.deepEqual(Object.keys(keyfile.crypto.kdfparams), ["dklen", "n", "r", "p", "salt"]);
    assert.deepEqual(
      { ...keyfile.crypto.kdfparams, salt: "" },
      { dklen: 32, n: 262144, r: 8, p: 1, salt: "" },
    );
    assert.match(text, /^\{"address": "/);
    assert.doesNotMatch(text, new RegExp(toHex(wallet.privateKey)));

    const decrypted = await decryptV3Keyfile(text, PASSWORD);
    assert.equal(decrypted.address, ADDRESS);
    assert.deepEqual(new Uint8Array(decrypted.privateKey), wallet.privateKey);
  });

  it("reads another tool's keyfile and throws on a wrong password", async () => {
    // A cheap keyfile written by @ethereumjs/wallet directly keeps this test fast.
    const wallet = deriveHotWallet(mnemonicToSeed(MNEMONIC));
    const keyfile = await Wallet.fromPrivateKey(wallet.privateKey).toV3String(PASSWORD, {
      kdf: "scrypt",
      n: 1024,
      r: 8,
      p: 1,
    });
    const decrypted = await decryptV3Keyfile(keyfile, PASSWORD);
    assert.equal(decrypted.address, ADDRESS);
    await assert.rejects(decryptV3Keyfile(keyfile, "not the password"));
  });
});
