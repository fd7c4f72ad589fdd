import assert from "node:assert/strict";
import { createCipheriv } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { createEaxCipher, omac } from "./eax.ts";

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/^0x/, ""), "hex"));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/**
 * Full EAX with its tag, for the checks only (the remote database never stores a tag): any nonce
 * length, a header, CTR from node:crypto.
 */
function eaxSeal(key: Uint8Array, nonce: Uint8Array, header: Uint8Array, plaintext: Uint8Array) {
  const n = omac(key, 0, nonce);
  const h = omac(key, 1, header);
  const ctr = createCipheriv(`aes-${key.length * 8}-ctr`, key, n);
  const ciphertext = Uint8Array.from(Buffer.concat([ctr.update(plaintext), ctr.final()]));
  const c = omac(key, 2, ciphertext);
  const tag = n.map((byte, i) => byte ^ (h[i] as number) ^ (c[i] as number));
  return { ciphertext, tag };
}

/** The AES-128 test vectors published with the EAX paper (key, msg, nonce, header, cipher‖tag). */
const PAPER_VECTORS = [
  [
    "233952dee4d5ed5f9b9c6d6ff80ff478",
    "",
    "62ec67f9c3a4a407fcb2a8c49031a8b3",
    "6bfb914fd07eae6b",
    "e037830e8389f27b025a2d6527e79d01",
  ],
  [
    "91945d3f4dcbee0bf45ef52255f095a4",
    "f7fb",
    "becaf043b0a23d843194ba972c66debd",
    "fa3bfd4806eb53fa",
    "19dd5c4c9331049d0bdab0277408f67967e5",
  ],
  [
    "01f74ad64077f2e704c0f60ada3dd523",
    "1a47cb4933",
    "70c3db4f0d26368400a10ed05d2bff5e",
    "234a3463c1264ac6",
    "d851d5bae03a59f238a23e39199dc9266626c40f80",
  ],
  [
    "d07cf6cbb7f313bdde66b727afd3c5e8",
    "481c9e39b1",
    "8408dfff3c1a2b1292dc199e46b7d617",
    "33cce2eabff5a79d",
    "632a9d131ad4c168a4225d8e1ff755939974a7bede",
  ],
  [
    "35b6d0580005bbc12b0587124557d2c2",
    "40d0c07da5e4",
    "fdb6b06676eedc5c61d74276e1f8e816",
    "aeb96eaebe2970e9",
    "071dfe16c675cb0677e536f73afe6a14b74ee49844dd",
  ],
  [
    "bd8e6e11475e60b268784c38c62feb22",
    "4de3b35c3fc039245bd1fb7d",
    "6eac5c93072d8e8513f750935e46da1b",
    "d4482d1ca78dce0f",
    "835bb4f15d743e350e728414abb8644fd6ccb86947c5e10590210a4f",
  ],
  [
    "7c77d6e813bed5ac98baa417477a2e7d",
    "8b0a79306c9ce7ed99dae4f87f8dd61636",
    "1a8c98dcd73d38393b2bf1569deefc19",
    "65d2017990d62528",
    "02083e3979da014812f59f11d52630da30137327d10649b0aa6e1c181db617d7f2",
  ],
  [
    "5fff20cafab119ca2fc73549e20f5b0d",
    "1bda122bce8a8dbaf1877d962b8592dd2d56",
    "dde59b97d722156d4d9aff2bc7559826",
    "54b9f04e6a09189a",
    "2ec47b2c4954a489afc7ba4897edcdae8cc33b60450599bd02c96382902aef7f832a",
  ],
  [
    "a4a4782bcffd3ec5e7ef6d8c34a56123",
    "6cf36720872b8513f6eab1a8a44438d5ef11",
    "b781fcf2f75fa5a8de97a9ca48e522ec",
    "899a175897561d7e",
    "0de18fd0fdd91e7af19f1d8ee8733938b1e8e7f6d2231618102fdb7fe55ff1991700",
  ],
  [
    "8395fcf1e95bebd697bd010bc766aac3",
    "ca40d7446e545ffaed3bd12a740a659ffbbb3ceab7",
    "22e7add93cfc6393c57ec0b3c17d6b44",
    "126735fcc320d25a",
    "cb8920f87a6c75cff39627b56e3ed197c552d295a7cfc46afc253b4652b1af3795b124ab6e",
  ],
] as const;

interface IndependentVectors {
  encryptionKey: string;
  keypairs: { publicKey: string; secretKey: string; nonce: string; ciphertext: string; tag: string }[];
  generic: {
    key: string;
    nonce: string;
    header: string;
    plaintext: string;
    ciphertext: string;
    tag: string;
  }[];
}

/** AES-256 EAX vectors made once with PyCryptodome 3.11 (the library the Python operator uses). */
const INDEPENDENT_VECTORS = JSON.parse(
  readFileSync(new URL("../../test/spec/remote-db-eax-vectors.json", import.meta.url), "utf8"),
) as IndependentVectors;

describe("AES-EAX", () => {
  it("matches the EAX paper's AES-128 vectors (ciphertext and tag)", () => {
    for (const [key, msg, nonce, header, expected] of PAPER_VECTORS) {
      const sealed = eaxSeal(hex(key), hex(nonce), hex(header), hex(msg));
      assert.equal(toHex(sealed.ciphertext) + toHex(sealed.tag), expected);
      if (msg.length > 0) {
        const batch = createEaxCipher(hex(key)).crypt(hex(nonce), hex(msg), msg.length / 2);
        assert.equal(toHex(batch), expected.slice(0, msg.length));
      }
    }
  });

  it("matches PyCryptodome's AES-256 EAX on any lengths, headers and 12-byte nonces", () => {
    for (const v of INDEPENDENT_VECTORS.generic) {
      const sealed = eaxSeal(hex(v.key), hex(v.nonce), hex(v.header), hex(v.plaintext));
      assert.equal(toHex(sealed.ciphertext), v.ciphertext);
      assert.equal(toHex(sealed.tag), v.tag);
    }
  });

  it("encrypts and decrypts the Python operator's key rows in one batch", () => {
    const key = Uint8Array.from(Buffer.from(INDEPENDENT_VECTORS.encryptionKey, "base64"));
    const rows = INDEPENDENT_VECTORS.keypairs;
    const nonces = hex(rows.map((r) => r.nonce.slice(2)).join(""));
    const secrets = hex(rows.map((r) => r.secretKey.slice(2)).join(""));
    const ciphertexts = hex(rows.map((r) => r.ciphertext.slice(2)).join(""));
    const cipher = createEaxCipher(key);
    assert.equal(toHex(cipher.crypt(nonces, secrets, 32)), toHex(ciphertexts));
    assert.equal(toHex(cipher.crypt(nonces, ciphertexts, 32)), toHex(secrets));
    for (const row of rows) {
      const sealed = eaxSeal(key, hex(row.nonce), new Uint8Array(0), hex(row.secretKey));
      assert.equal(`0x${toHex(sealed.tag)}`, row.tag);
    }
  });

  it("rejects ragged input", () => {
    const cipher = createEaxCipher(new Uint8Array(32));
    assert.throws(() => cipher.crypt(new Uint8Array(16), new Uint8Array(33), 32), RangeError);
    assert.throws(() => createEaxCipher(new Uint8Array(20)), RangeError);
  });
});
