import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { toHex } from "../../lib/hex.ts";
import { HashiVaultKeyError } from "./errors.ts";
import { isEmptyKeyValue, parseVaultKeyPair, showPublicKeyText } from "./secret-key.ts";

const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(7));
const pub = toHex(secretKey.toPublicKey().toBytes(true));
const priv = toHex(secretKey.toBytes());

describe("parseVaultKeyPair", () => {
  it("accepts hex with or without 0x and returns the lower-case 0x public key", () => {
    for (const [publicKey, privateKey] of [
      [pub, priv],
      [`0x${pub}`, `0x${priv}`],
      [pub.toUpperCase(), ` ${priv} `],
    ] as const) {
      const pair = parseVaultKeyPair(publicKey, privateKey, "here");
      assert.equal(pair.publicKey, `0x${pub}`);
      assert.deepEqual(pair.secretKey.toBytes(), secretKey.toBytes());
    }
  });

  it("rejects a zero key and never shows the private key", () => {
    const zero = "00".repeat(32);
    assert.throws(
      () => parseVaultKeyPair(pub, zero, "here"),
      (error: unknown) =>
        error instanceof HashiVaultKeyError &&
        /^here: the private key of 0x[0-9a-f]{96} is not a valid BLS/.test(error.message),
    );
  });

  it("does not echo a private key given as a public key", () => {
    assert.ok(!showPublicKeyText(priv).includes(priv));
    assert.equal(showPublicKeyText("abc"), '"abc"');
  });

  it("treats empty strings and null as empty values", () => {
    assert.ok(isEmptyKeyValue(""));
    assert.ok(isEmptyKeyValue("  "));
    assert.ok(isEmptyKeyValue(null));
    assert.ok(!isEmptyKeyValue("0x1"));
  });
});
