import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decryptV3Keyfile, KeyfileError, KeyfilePasswordError } from "./hot-wallet-keyfile.ts";

// The two test vectors of the Web3 Secret Storage Definition (password "testpassword"). Keyfiles
// written by @ethereumjs/wallet (create-wallet) are opened in hot-wallet.test.ts.
const VECTOR_KEY = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
const PBKDF2_VECTOR = {
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "6087dab2f9fdbbfaddc31a909735c1e6" },
    ciphertext: "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
    kdf: "pbkdf2",
    kdfparams: {
      c: 262144,
      dklen: 32,
      prf: "hmac-sha256",
      salt: "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd",
    },
    mac: "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
  },
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  version: 3,
};
const SCRYPT_VECTOR = {
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "83dbcc02d8ccb40e466191a123791e0e" },
    ciphertext: "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
    kdf: "scrypt",
    kdfparams: {
      dklen: 32,
      n: 262144,
      p: 8,
      r: 1,
      salt: "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19",
    },
    mac: "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097",
  },
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  version: 3,
};

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("decryptV3Keyfile", () => {
  it("opens the definition's pbkdf2 vector", async () => {
    const key = await decryptV3Keyfile(JSON.stringify(PBKDF2_VECTOR), "testpassword");
    assert.equal(hex(key.privateKey), VECTOR_KEY);
    assert.equal(key.address.toLowerCase(), "0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b");
  });

  it("opens the definition's scrypt vector", async () => {
    const key = await decryptV3Keyfile(JSON.stringify(SCRYPT_VECTOR), "testpassword");
    assert.equal(hex(key.privateKey), VECTOR_KEY);
  });

  it("rejects a wrong password without naming it", async () => {
    const error = await decryptV3Keyfile(JSON.stringify(PBKDF2_VECTOR), "wrong").catch((e: unknown) => e);
    assert.ok(error instanceof KeyfilePasswordError);
    assert.doesNotMatch((error as Error).message, /wrong[^ ]/);
  });

  it("names the broken field", async () => {
    const broken = structuredClone(SCRYPT_VECTOR) as unknown as { crypto: Record<string, unknown> };
    broken.crypto.kdf = "argon2";
    await assert.rejects(decryptV3Keyfile(JSON.stringify(broken), "x"), KeyfileError);
    await assert.rejects(decryptV3Keyfile("{", "x"), /not valid JSON/);
    const huge = structuredClone(SCRYPT_VECTOR);
    huge.crypto.kdfparams.n = 2 ** 30;
    await assert.rejects(decryptV3Keyfile(JSON.stringify(huge), "x"), /1 GiB/);
  });
});
