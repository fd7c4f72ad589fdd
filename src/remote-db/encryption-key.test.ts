import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { createKeyCodec, generateEncryptionKey, secretKeyMatches } from "./encryption-key.ts";
import { parseEncryptionKey } from "./encryption-key-input.ts";

describe("remote database encryption key", () => {
  it("is 32 random bytes in base64, and parses back", () => {
    const text = generateEncryptionKey();
    assert.match(text, /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(parseEncryptionKey(` ${text}\n`).length, 32);
    assert.notEqual(generateEncryptionKey(), text);
  });

  it("rejects malformed keys without echoing them", () => {
    for (const bad of ["", "not-a-key", "AAAA", `${"A".repeat(43)}`, `${"A".repeat(42)}==`]) {
      assert.throws(
        () => parseEncryptionKey(bad),
        (error: Error) =>
          /^--encrypt-key is not a base64-encoded 32-byte key/.test(error.message) &&
          !error.message.includes(bad || "\u0000"),
      );
    }
  });

  it("round-trips packed secret keys and tells a wrong key", () => {
    const secret = SecretKey.fromKeygen(new Uint8Array(32).fill(3));
    const bytes = secret.toBytes();
    const publicKey = secret.toPublicKey().toBytes(true);
    const codec = createKeyCodec(new Uint8Array(32).fill(1));
    const encrypted = codec.encrypt(Uint8Array.from([...bytes, ...bytes]));
    assert.equal(encrypted.nonces.length, 32);
    assert.notDeepEqual(
      encrypted.ciphertexts.subarray(0, 32),
      encrypted.ciphertexts.subarray(32),
      "fresh nonces",
    );
    const decrypted = codec.decrypt(encrypted);
    assert.deepEqual(decrypted.subarray(32), bytes);
    assert.equal(secretKeyMatches(decrypted.subarray(0, 32), publicKey), true);
    const wrong = createKeyCodec(new Uint8Array(32).fill(2)).decrypt(encrypted);
    assert.equal(secretKeyMatches(wrong.subarray(0, 32), publicKey), false);
  });
});
