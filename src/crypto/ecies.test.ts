import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
// eciesjs is the reference implementation (devDependency): used here only, never by src/.
import { decrypt as referenceDecrypt, encrypt as referenceEncrypt } from "eciesjs";
import { publicKeyToAddress } from "viem/accounts";
import { eciesDecrypt, eciesEncrypt, eciesRecipient } from "./ecies.ts";
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

describe("eciesEncrypt / eciesDecrypt", () => {
  const oracle = keyPair();

  it("round-trips to 33-, 64- and 65-byte keys and to a prepared recipient", () => {
    for (const recipient of [
      oracle.compressed,
      oracle.raw64,
      oracle.uncompressed,
      eciesRecipient(oracle.raw64),
    ]) {
      const ciphertext = eciesEncrypt(recipient, SIGNATURE_SHARE);
      assert.deepEqual(eciesDecrypt(oracle.privateKey, ciphertext), new Uint8Array(SIGNATURE_SHARE));
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

  it("we decrypt what eciesjs encrypts (to the 65-byte key and to the config's 64-byte hex)", () => {
    const fromBytes = referenceEncrypt(oracle.uncompressed, SIGNATURE_SHARE);
    assert.deepEqual(eciesDecrypt(oracle.privateKey, fromBytes), new Uint8Array(SIGNATURE_SHARE));
    const fromConfigHex = referenceEncrypt(Buffer.from(oracle.raw64).toString("hex"), SIGNATURE_SHARE);
    assert.deepEqual(eciesDecrypt(oracle.privateKey, fromConfigHex), new Uint8Array(SIGNATURE_SHARE));
  });

  it("rejects a tampered ephemeral key, nonce, tag or body with DecryptionError", () => {
    const ciphertext = eciesEncrypt(eciesRecipient(oracle.raw64), SIGNATURE_SHARE);
    for (const offset of [1, 40, 66, 90, 100, 192]) {
      const tampered = Uint8Array.from(ciphertext);
      tampered[offset] = (tampered[offset] ?? 0) ^ 0x01;
      assert.throws(
        () => eciesDecrypt(oracle.privateKey, tampered),
        { name: "DecryptionError" },
        `byte ${offset}`,
      );
    }
  });

  it("rejects a ciphertext for another key and a truncated one with DecryptionError", () => {
    const other = keyPair();
    const ciphertext = eciesEncrypt(eciesRecipient(oracle.raw64), SIGNATURE_SHARE);
    assert.throws(() => eciesDecrypt(other.privateKey, ciphertext), { name: "DecryptionError" });
    assert.throws(() => eciesDecrypt(oracle.privateKey, ciphertext.subarray(0, 96)), {
      name: "DecryptionError",
    });
  });

  it("rejects malformed keys with InvalidKeyError", () => {
    assert.throws(() => eciesRecipient(new Uint8Array(63)), { name: "InvalidKeyError" });
    assert.throws(() => eciesRecipient(new Uint8Array(64)), { name: "InvalidKeyError" });
    const ciphertext = eciesEncrypt(oracle.raw64, SIGNATURE_SHARE);
    assert.throws(() => eciesDecrypt(new Uint8Array(32), ciphertext), { name: "InvalidKeyError" });
    assert.throws(() => eciesDecrypt(new Uint8Array(31).fill(1), ciphertext), { name: "InvalidKeyError" });
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
