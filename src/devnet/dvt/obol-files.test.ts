import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { splitValidatorKey, withFreshKeys } from "./dvt-keys.ts";
import { writeObolFiles } from "./obol-files.ts";

const root = await mkdtemp(join(tmpdir(), "obol-files-"));
after(() => rm(root, { recursive: true, force: true }));
const { Fr } = bls12_381.fields;

/** The secret at x = 0 from shares at x (Lagrange over Fr, @noble/curves only). */
function interpolate(shares: ReadonlyArray<{ x: number; secret: Uint8Array }>): bigint {
  let sum = 0n;
  for (const [i, share] of shares.entries()) {
    let lambda = 1n;
    for (const [j, other] of shares.entries()) {
      if (j !== i) lambda = Fr.mul(lambda, Fr.div(BigInt(other.x), Fr.sub(BigInt(other.x), BigInt(share.x))));
    }
    sum = Fr.add(sum, Fr.mul(lambda, BigInt(`0x${Buffer.from(share.secret).toString("hex")}`)));
  }
  return sum;
}

describe("devnet DVT keys and Obol files", () => {
  it("any threshold of a validator's shares (at the SSV ids, say) is its key; fewer are not", () => {
    const key = SecretKey.fromKeygen(new Uint8Array(32).fill(9));
    const split = splitValidatorKey(key, 3, [100, 101, 102, 103]);
    const whole = BigInt(`0x${Buffer.from(key.toBytes()).toString("hex")}`);
    const shares = split.shares.map((s) => ({ x: s.shareIndex, secret: s.secretKey }));
    assert.equal(interpolate(shares.slice(0, 3)), whole);
    assert.equal(interpolate(shares.slice(1)), whole);
    assert.notEqual(interpolate(shares.slice(0, 2)), whole);
    assert.equal(split.publicKey, `0x${Buffer.from(key.toPublicKey().toBytes(true)).toString("hex")}`);
  });

  it("withFreshKeys hands each callback a distinct random key and returns only what it derived", () => {
    const publicKeys = withFreshKeys(3, (key, k) => [k, splitValidatorKey(key, 2, [1, 2, 3]).publicKey]);
    assert.deepEqual(
      publicKeys.map(([k]) => k),
      [0, 1, 2],
    );
    assert.equal(new Set(publicKeys.map(([, key]) => key)).size, 3);
  });

  it("writes the cluster-lock and every node's keystore + password, 0600, node i at share index i + 1", async () => {
    const validators = withFreshKeys(2, (key) => splitValidatorKey(key, 3, [1, 2, 3, 4]));
    const files = await writeObolFiles({ dir: join(root, "cluster"), validators, threshold: 3 });
    const lock = JSON.parse(await readFile(files.clusterLockFile, "utf8"));
    assert.equal(lock.cluster_definition.threshold, 3);
    assert.deepEqual(
      lock.distributed_validators.map((v: { distributed_public_key: string }) => v.distributed_public_key),
      validators.map((v) => v.publicKey),
    );
    for (let node = 0; node < 4; node++) {
      const dir = files.keystoresDir(node);
      assert.deepEqual((await readdir(dir)).sort(), [
        "keystore-0.json",
        "keystore-0.txt",
        "keystore-1.json",
        "keystore-1.txt",
      ]);
      for (const name of await readdir(dir)) assert.equal((await stat(join(dir, name))).mode & 0o777, 0o600);
      const keystore = JSON.parse(await readFile(join(dir, "keystore-1.json"), "utf8"));
      assert.equal(`0x${keystore.pubkey}`, validators[1]?.shares[node]?.publicKey);
    }
    await assert.rejects(
      writeObolFiles({
        dir: join(root, "bad"),
        validators: withFreshKeys(1, (key) => splitValidatorKey(key, 3, [100, 101, 102, 103])),
        threshold: 3,
      }),
      /node 0 must hold share index 1/,
    );
  });
});
