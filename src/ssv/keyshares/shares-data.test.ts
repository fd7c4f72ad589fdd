import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import {
  ownershipValid,
  recombineShares,
  type SsvOperatorDouble,
  ssvKeysVectorOperators,
} from "../../../test/support/ssv-operator.ts";
import { ClusterOperatorIdsError, InvalidOwnerError, SharesDataError } from "./errors.ts";
import { parseOperatorPublicKey } from "./operator-public-key.ts";
import { buildSharesData, buildSharesDataBatch, parseSharesData, sharesDataLength } from "./shares-data.ts";

const OWNER = "0x81592c3de184a3e2c0dcb5a261bc107bfa91f494";
const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(9));
const secret = BigInt(`0x${Buffer.from(secretKey.toBytes()).toString("hex")}`);

async function cluster(ids: readonly bigint[]) {
  const doubles = await ssvKeysVectorOperators(ids);
  const operators = doubles.map((d) => ({
    id: d.id,
    publicKey: parseOperatorPublicKey(d.registryPublicKey, d.id),
  }));
  return { doubles, operators };
}

/** Every operator accepts its share; the last t of them recombine to the validator key. */
function checkAsOperators(
  doubles: readonly SsvOperatorDouble[],
  built: ReturnType<typeof buildSharesData>,
  nonce: number,
  threshold: number,
): void {
  const registration = { ...built, owner: OWNER, nonce };
  const shares = new Map(doubles.map((d) => [d.id, d.acceptShares(registration)]));
  const last = new Map([...shares].slice(-threshold));
  assert.equal(recombineShares(last), secret);
  assert.notEqual(recombineShares(new Map([...last].slice(1))), secret);
}

describe("buildSharesData", () => {
  for (const [n, threshold] of [
    [4, 3],
    [7, 5],
    [10, 7],
    [13, 9],
  ] as const) {
    it(`lays out ${n} operators in 96 + 304·${n} bytes that each operator accepts (threshold ${threshold})`, async () => {
      const { doubles, operators } = await cluster(Array.from({ length: n }, (_, i) => BigInt(10 * i + 3)));
      const built = buildSharesData({ secretKey, operators, owner: OWNER, nonce: 5 });
      assert.equal(built.sharesData.length, sharesDataLength(n));
      assert.equal(sharesDataLength(n), 96 + 304 * n);
      assert.deepEqual(built.publicKey, secretKey.toPublicKey().toBytes(true));
      assert.deepEqual(
        built.operatorIds,
        operators.map((o) => o.id),
      );
      const parsed = parseSharesData(built.sharesData, n);
      assert.deepEqual(
        parsed.sharePublicKeys,
        built.shares.map((s) => s.publicKey),
      );
      assert.deepEqual(
        parsed.encryptedKeys,
        built.shares.map((s) => s.encryptedKey),
      );
      checkAsOperators(doubles, built, 5, threshold);
    });
  }

  it("uses operator ids ≥ 2^31 as they are (ssv-keys wraps them to signed 32 bits)", async () => {
    const ids = [2n ** 31n - 1n, 2n ** 31n, 2n ** 32n + 1n, 2n ** 64n - 1n];
    const { doubles, operators } = await cluster(ids);
    const built = buildSharesData({ secretKey: secretKey.toBytes(), operators, owner: OWNER, nonce: 0n });
    checkAsOperators(doubles, built, 0, 3);
  });

  it("signs ownership for the EIP-55 owner and this nonce only", async () => {
    const { operators } = await cluster([1n, 2n, 3n, 4n]);
    const built = buildSharesData({ secretKey, operators, owner: OWNER, nonce: 12 });
    const signature = built.sharesData.subarray(0, 96);
    assert.equal(ownershipValid({ publicKey: built.publicKey, owner: OWNER, nonce: 12 }, signature), true);
    assert.equal(ownershipValid({ publicKey: built.publicKey, owner: OWNER, nonce: 13 }, signature), false);
  });

  it("rejects a size that is not 3f + 1, unsorted, repeated or zero ids, a bad owner or nonce", async () => {
    const { operators } = await cluster([1n, 2n, 3n, 4n, 5n]);
    const build = (ops: typeof operators, owner = OWNER, nonce = 0) =>
      buildSharesData({ secretKey, operators: ops, owner, nonce });
    const op = (i: number, id: bigint) => ({ ...(operators[i] as (typeof operators)[number]), id });
    const sizeError = (error: unknown) =>
      error instanceof ClusterOperatorIdsError && /not 5/.test(error.message);
    assert.throws(() => build(operators), sizeError);
    assert.throws(() => build(operators.slice(0, 3)), /not 3/);
    assert.throws(
      () => build([op(0, 1n), op(1, 3n), op(2, 2n), op(3, 4n)]),
      /ascending order \(3 comes before 2\)/,
    );
    assert.throws(() => build([op(0, 1n), op(1, 2n), op(2, 2n), op(3, 4n)]), /2 appears twice/);
    assert.throws(() => build([op(0, 0n), op(1, 2n), op(2, 3n), op(3, 4n)]), /0 is not an operator id/);
    assert.throws(() => build([op(0, 1n), op(1, 2n), op(2, 3n), op(3, 2n ** 64n)]), ClusterOperatorIdsError);
    assert.throws(() => build(operators.slice(0, 4), "0x1234"), InvalidOwnerError);
    assert.throws(() => build(operators.slice(0, 4), OWNER, -1), InvalidOwnerError);
  });
});

describe("buildSharesDataBatch", () => {
  it("parses registry keys once and signs item k for nonce + k", async () => {
    const doubles = await ssvKeysVectorOperators([11n, 22n, 33n, 44n]);
    const keys = [1, 2, 3].map((b) => SecretKey.fromKeygen(new Uint8Array(32).fill(b)));
    const batch = buildSharesDataBatch({
      secretKeys: keys,
      operators: doubles.map((d) => ({ id: d.id, publicKey: d.registryPublicKey })),
      owner: OWNER,
      nonce: 7,
    });
    assert.equal(batch.length, 3);
    batch.forEach((built, k) => {
      assert.deepEqual(built.publicKey, keys[k]?.toPublicKey().toBytes(true));
      for (const d of doubles) d.acceptShares({ ...built, owner: OWNER, nonce: 7 + k });
    });
  });
});

describe("parseSharesData", () => {
  it("rejects a length that does not fit the cluster size", () => {
    assert.throws(() => parseSharesData(new Uint8Array(1312), 7), SharesDataError);
    assert.throws(
      () => parseSharesData(new Uint8Array(1311), 4),
      /1311 bytes; a 4-operator cluster needs 1312/,
    );
    assert.throws(() => parseSharesData(new Uint8Array(96 + 304 * 5), 5), ClusterOperatorIdsError);
  });
});
