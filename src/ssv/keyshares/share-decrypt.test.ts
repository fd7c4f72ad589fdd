import assert from "node:assert/strict";
import { constants, type KeyObject, publicEncrypt } from "node:crypto";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { type SsvOperatorDouble, ssvKeysVectorOperators } from "../../../test/support/ssv-operator.ts";
import { ShareDecryptError } from "./errors.ts";
import { parseOperatorPublicKey } from "./operator-public-key.ts";
import { decryptOperatorShare, decryptShareSecret } from "./share-decrypt.ts";
import { buildSharesData, parseSharesData } from "./shares-data.ts";

const OWNER = "0x81592c3de184a3e2c0dcb5a261bc107bfa91f494";
const IDS = [7n, 19n, 23n, 40n];
const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(5));
const doubles = await ssvKeysVectorOperators(IDS);
const operators = doubles.map((d) => ({
  id: d.id,
  publicKey: parseOperatorPublicKey(d.registryPublicKey, d.id),
}));
const built = buildSharesData({ secretKey, operators, owner: OWNER, nonce: 0 });
const publicKeyOf = (id: bigint) => operators.find((o) => o.id === id)?.publicKey as KeyObject;
const SHARE = Buffer.from("11".repeat(32), "hex");

describe("decryptOperatorShare", () => {
  it("gives each operator the share the builder made for it, checked against @noble's SkToPk", () => {
    for (const double of doubles) {
      const share = decryptOperatorShare({
        sharesData: built.sharesData,
        operatorIds: built.operatorIds,
        operatorId: double.id,
        privateKey: double.privateKey,
      });
      const expected = double.acceptShares({ ...built, owner: OWNER, nonce: 0 });
      assert.equal(BigInt(`0x${Buffer.from(share.secretKey.toBytes()).toString("hex")}`), expected);
      assert.deepEqual(share.publicKey, bls12_381.G1.Point.BASE.multiply(expected).toBytes(true));
      assert.deepEqual(
        share.sharePublicKeys.map((s) => s.operatorId),
        IDS,
      );
    }
  });

  it("refuses a sharesData whose public share does not match the decrypted secret", () => {
    const tampered = new Uint8Array(built.sharesData);
    // Operator 19's public share replaced by operator 23's.
    tampered.set(parseSharesData(built.sharesData, 4).sharePublicKeys[2] as Uint8Array, 96 + 48);
    const double = doubles[1] as SsvOperatorDouble;
    assert.throws(
      () =>
        decryptOperatorShare({
          sharesData: tampered,
          operatorIds: IDS,
          operatorId: double.id,
          privateKey: double.privateKey,
        }),
      (error: unknown) =>
        error instanceof ShareDecryptError && /does not match the public share/.test(error.message),
    );
  });

  it("refuses an operator that is not in the cluster", () => {
    assert.throws(
      () =>
        decryptOperatorShare({
          sharesData: built.sharesData,
          operatorIds: IDS,
          operatorId: 8n,
          privateKey: (doubles[0] as SsvOperatorDouble).privateKey,
        }),
      /SSV operator 8 is not in the cluster 7,19,23,40/,
    );
  });
});

describe("decryptShareSecret", () => {
  const double = doubles[0] as SsvOperatorDouble;
  const publicKey = publicKeyOf(double.id);

  it("reads a share written with 0x (ssv-keys) and without (ssv-dkg)", () => {
    for (const text of [
      `0x${SHARE.toString("hex")}`,
      SHARE.toString("hex"),
      SHARE.toString("hex").toUpperCase(),
    ]) {
      const encrypted = publicEncrypt(
        { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
        Buffer.from(text),
      );
      assert.deepEqual(Buffer.from(decryptShareSecret(double.privateKey, encrypted)), SHARE);
    }
  });

  it("refuses a block without PKCS#1 v1.5 type-2 padding", () => {
    // OAEP-padded: a valid ciphertext, but its raw block does not start 00 02.
    const oaep = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, SHARE);
    assert.throws(
      () => decryptShareSecret(double.privateKey, oaep),
      /not PKCS#1 v1\.5 padded|padding is malformed/,
    );
    // 00 02 followed at once by the separator: fewer than 8 padding bytes.
    const block = Buffer.alloc(256, 0x41);
    block[0] = 0;
    block[1] = 2;
    block[2] = 0;
    const raw = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, block);
    assert.throws(() => decryptShareSecret(double.privateKey, raw), /padding is malformed/);
  });

  it("refuses plaintext that is not a share, without showing it", () => {
    for (const text of ["0x1234", `0x${"zz".repeat(32)}`, "00".repeat(32)]) {
      const encrypted = publicEncrypt(
        { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
        Buffer.from(text),
      );
      assert.throws(
        () => decryptShareSecret(double.privateKey, encrypted),
        (error: unknown) => error instanceof ShareDecryptError && !error.message.includes(text),
      );
    }
  });

  it("refuses a ciphertext made for another operator", () => {
    const encrypted = publicEncrypt({ key: publicKeyOf(19n), padding: constants.RSA_PKCS1_PADDING }, SHARE);
    assert.throws(() => decryptShareSecret(double.privateKey, encrypted), ShareDecryptError);
  });
});
