import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
// eciesjs is the reference implementation (devDependency): used here only, never by src/.
import { decrypt as referenceDecrypt } from "eciesjs";
import { publicKeyToAddress } from "viem/accounts";
import { eciesEncrypt, eciesRecipient } from "./ecies.ts";
import { oracleAddress, parseSecp256k1PublicKey } from "./secp256k1-keys.ts";

function keyPair() {
  const privateKey = secp256k1.utils.randomSecretKey();
  const uncompressed = secp256k1.getPublicKey(privateKey, false);
  return {
    privateKey,
    uncompressed,
    compressed: secp256k1.getPublicKey(privateKey, true),
    /** The oracles config spelling: x ‖ y without the 0x04 prefix. */
    raw64: uncompressed.subarray(1),
  };
}

const SIGNATURE_SHARE = randomBytes(96);

describe("eciesEncrypt", () => {
  const oracle = keyPair();

  it("encrypts to 33-, 64- and 65-byte keys and to a prepared recipient (eciesjs decrypts each)", () => {
    for (const recipient of [
      oracle.compressed,
      oracle.raw64,
      oracle.uncompressed,
      eciesRecipient(oracle.raw64),
    ]) {
      const ciphertext = eciesEncrypt(recipient, SIGNATURE_SHARE);
      assert.deepEqual(
        new Uint8Array(referenceDecrypt(oracle.privateKey, ciphertext)),
        new Uint8Array(SIGNATURE_SHARE),
      );
    }
  });

  it("has the eciespy layout: ephemeral key (65) ‖ nonce (16) ‖ tag (16) ‖ ciphertext", () => {
    const ciphertext = eciesEncrypt(eciesRecipient(oracle.raw64), SIGNATURE_SHARE);
    assert.equal(ciphertext.length, 193);
    assert.equal(ciphertext[0], 0x04);
    assert.doesNotThrow(() => parseSecp256k1PublicKey(ciphertext.subarray(0, 65)));
  });

  it("uses a fresh ephemeral key and nonce every time", () => {
    const recipient = eciesRecipient(oracle.raw64);
    const a = eciesEncrypt(recipient, SIGNATURE_SHARE);
    const b = eciesEncrypt(recipient, SIGNATURE_SHARE);
    assert.notDeepEqual(a.subarray(0, 65), b.subarray(0, 65));
    assert.notDeepEqual(a.subarray(65, 81), b.subarray(65, 81));
  });

  it("eciesjs (the reference) decrypts what we encrypt", () => {
    const recipient = eciesRecipient(oracle.raw64);
    for (let i = 0; i < 5; i++) {
      const plaintext = randomBytes(1 + i * 40);
      const ours = eciesEncrypt(recipient, plaintext);
      assert.deepEqual(new Uint8Array(referenceDecrypt(oracle.privateKey, ours)), new Uint8Array(plaintext));
    }
  });

  it("rejects malformed keys with InvalidKeyError", () => {
    assert.throws(() => eciesRecipient(new Uint8Array(63)), { name: "InvalidKeyError" });
    assert.throws(() => eciesRecipient(new Uint8Array(64)), { name: "InvalidKeyError" });
    assert.throws(() => eciesEncrypt(new Uint8Array(65), SIGNATURE_SHARE), { name: "InvalidKeyError" });
  });
});

describe("oracleAddress", () => {
  it("is keccak256(x ‖ y)[12:] — private key 1 gives the well-known 0x7E5F…5Bdf", () => {
    const one = new Uint8Array(32);
    one[31] = 1;
    const publicKey = secp256k1.getPublicKey(one, false);
    assert.equal(oracleAddress(publicKey.subarray(1)), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  });

  it("agrees with viem for 64-, 65- and 33-byte spellings of random keys", () => {
    for (let i = 0; i < 5; i++) {
      const key = keyPair();
      const expected = publicKeyToAddress(`0x${Buffer.from(key.uncompressed).toString("hex")}`);
      assert.equal(oracleAddress(key.raw64), expected);
      assert.equal(oracleAddress(key.uncompressed), expected);
      assert.equal(oracleAddress(key.compressed), expected);
    }
  });
});
