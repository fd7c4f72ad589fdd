import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { shareKeyPublicKeys, splitSecretKey } from "./key-shares.ts";
import { combinePublicKeyShares, combineSignatureShares, publicKeySharesConsistent } from "./shamir.ts";

const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(7));
const message = new Uint8Array(32).fill(1);

describe("splitSecretKey", () => {
  it("gives shares whose signatures recombine from any t of them, and not from t − 1", () => {
    const shares = splitSecretKey({ secretKey: secretKey.toBytes(), threshold: 3, shares: 5 });
    const signatures = shares.map((share, j) => ({
      x: j + 1,
      signature: SecretKey.fromBytes(share).sign(message).toBytes(true),
    }));
    const full = secretKey.sign(message).toBytes(true);
    const pick = (...xs: number[]) => xs.map((x) => signatures[x - 1] ?? assert.fail(`no share ${x}`));
    assert.deepEqual(combineSignatureShares(pick(5, 1, 3)), full);
    assert.notDeepEqual(combineSignatureShares(pick(1, 2)), full);
  });

  it("recombines at SSV operator ids (bigint, not contiguous) as x-coordinates", () => {
    const ids = [7n, 19n, 2n ** 40n + 3n, 1000n];
    const shares = splitSecretKey({ secretKey: secretKey.toBytes(), threshold: 3, xCoordinates: ids });
    const signatures = shares.map((share, j) => ({
      x: ids[j] ?? 0n,
      signature: SecretKey.fromBytes(share).sign(message).toBytes(true),
    }));
    const publicKeys = shareKeyPublicKeys(shares).map((key, j) => ({ x: ids[j] ?? 0n, publicKey: key }));
    assert.deepEqual(combineSignatureShares(signatures.slice(1)), secretKey.sign(message).toBytes(true));
    assert.deepEqual(combinePublicKeyShares(publicKeys.slice(0, 3)), secretKey.toPublicKey().toBytes(true));
  });

  it("gives public-key shares consistent with the key at the threshold", () => {
    const shares = splitSecretKey({ secretKey: secretKey.toBytes(), threshold: 2, shares: 4 });
    const publicKeys = shareKeyPublicKeys(shares);
    const publicKey = secretKey.toPublicKey().toBytes(true);
    assert.equal(publicKeySharesConsistent(publicKey, publicKeys, 2), true);
    assert.equal(publicKeySharesConsistent(publicKey, publicKeys, 1), false);
    assert.deepEqual(
      combinePublicKeyShares(publicKeys.slice(1, 3).map((key, i) => ({ x: i + 2, publicKey: key }))),
      publicKey,
    );
  });

  it("is f(0) = sk, f(x) = sk + c1·x with fixed coefficients", () => {
    const one = new Uint8Array(32);
    one[31] = 1;
    const shares = splitSecretKey({ secretKey: one, threshold: 2, shares: 3, coefficients: [5n] });
    assert.deepEqual(
      shares.map((s) => BigInt(`0x${Buffer.from(s).toString("hex")}`)),
      [6n, 11n, 16n],
    );
  });

  it("rejects a bad threshold or share count", () => {
    assert.throws(
      () => splitSecretKey({ secretKey: secretKey.toBytes(), threshold: 4, shares: 3 }),
      /threshold/,
    );
    assert.throws(
      () => splitSecretKey({ secretKey: secretKey.toBytes(), threshold: 1, shares: 0 }),
      /share count/,
    );
  });

  it("evaluates at the given x-coordinates (SSV: operator ids, beyond 2^31 and 2^63 too)", () => {
    const one = new Uint8Array(32);
    one[31] = 1;
    const xs = [7n, 2n ** 31n + 5n, 2n ** 64n - 1n];
    const shares = splitSecretKey({ secretKey: one, threshold: 2, xCoordinates: xs, coefficients: [3n] });
    assert.deepEqual(
      shares.map((s) => BigInt(`0x${Buffer.from(s).toString("hex")}`)),
      xs.map((x) => 1n + 3n * x),
    );
  });

  it("rejects x-coordinates that are zero, repeated or disagree with the share count", () => {
    const key = secretKey.toBytes();
    assert.throws(() => splitSecretKey({ secretKey: key, threshold: 1, xCoordinates: [0n, 1n] }), /\[1, r\)/);
    assert.throws(() => splitSecretKey({ secretKey: key, threshold: 1, xCoordinates: [4n, 4n] }), /twice/);
    assert.throws(
      () => splitSecretKey({ secretKey: key, threshold: 1, shares: 3, xCoordinates: [1n, 2n] }),
      /differs/,
    );
  });
});
