import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { writeObolCluster } from "../../../test/support/dvt-cluster.ts";
import { ObolClusterError } from "./errors.ts";
import { loadObolKeys } from "./obol-keys.ts";

const root = await mkdtemp(join(tmpdir(), "obol-keys-"));
after(() => rm(root, { recursive: true, force: true }));
const secretKeys = [1, 2, 3].map((i) => SecretKey.fromKeygen(new Uint8Array(32).fill(i)));
const cluster = await writeObolCluster({ dir: join(root, "good"), secretKeys });

function isObolError(message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ObolClusterError, String(error));
    assert.match(error.message, message);
    assert.ok(!error.message.includes("\n"));
    return true;
  };
}

describe("loadObolKeys", () => {
  it("loads node i's shares as share index i + 1, each matching its public share", async () => {
    for (const node of [0, 3]) {
      const { keys, missing } = await loadObolKeys({
        keystoresDir: cluster.keystoresDir(node),
        clusterLockFile: cluster.clusterLockFile,
        nodeIndex: node,
      });
      assert.equal(keys.shareIndex, node + 1);
      assert.equal(keys.size, 3);
      assert.deepEqual(missing, []);
      for (const validator of cluster.validators) {
        const key = keys.get(validator.publicKey.toUpperCase().replace("0X", "0x"));
        assert.ok(key);
        const secret = BigInt(`0x${Buffer.from(key.secretKey.toBytes()).toString("hex")}`);
        assert.equal(
          Buffer.from(bls12_381.G1.Point.BASE.multiply(secret).toBytes(true)).toString("hex"),
          validator.shares[node]?.publicKey.slice(2),
        );
        assert.deepEqual(
          key.publicKeyShares.map((s) => s.shareIndex),
          [1, 2, 3, 4],
        );
      }
    }
  });

  it("refuses a cluster-lock that does not match the keystores, naming the file and validator", async () => {
    // Node 1's keystores with node index 2: every share is another node's.
    await assert.rejects(
      loadObolKeys({
        keystoresDir: cluster.keystoresDir(1),
        clusterLockFile: cluster.clusterLockFile,
        nodeIndex: 2,
      }),
      isObolError(
        /cluster-lock .*cluster-lock\.json does not match keystore .*keystore-0\.json: validator 0 \(0x[0-9a-f]{96}\)/,
      ),
    );
    // Another cluster's lock.
    const other = await writeObolCluster({ dir: join(root, "other"), secretKeys: secretKeys.slice(0, 1) });
    await assert.rejects(
      loadObolKeys({
        keystoresDir: cluster.keystoresDir(0),
        clusterLockFile: other.clusterLockFile,
        nodeIndex: 0,
      }),
      isObolError(/does not match keystore .*keystore-0\.json/),
    );
  });

  it("refuses a keystore without its password file", async () => {
    const copy = await writeObolCluster({ dir: join(root, "nopass"), secretKeys: secretKeys.slice(0, 1) });
    await unlink(join(copy.keystoresDir(0), "keystore-0.txt"));
    await assert.rejects(
      loadObolKeys({
        keystoresDir: copy.keystoresDir(0),
        clusterLockFile: copy.clusterLockFile,
        nodeIndex: 0,
      }),
      isObolError(/keystore .*keystore-0\.json has no password file .*keystore-0\.txt/),
    );
  });

  it("refuses a lock version without public_shares", async () => {
    const old = await writeObolCluster({
      dir: join(root, "old"),
      secretKeys: secretKeys.slice(0, 1),
      lockVersion: "v1.1.0",
    });
    await assert.rejects(
      loadObolKeys({ keystoresDir: old.keystoresDir(0), clusterLockFile: old.clusterLockFile, nodeIndex: 0 }),
      isObolError(/is version v1\.1\.0, whose validators carry no public_shares .*v1\.2\.0 or later/),
    );
  });

  it("refuses a node index outside the cluster and a broken lock", async () => {
    await assert.rejects(
      loadObolKeys({
        keystoresDir: cluster.keystoresDir(0),
        clusterLockFile: cluster.clusterLockFile,
        nodeIndex: 4,
      }),
      isObolError(/--obol-node-index 4 is not a node of cluster-lock .* nodes 0 to 3/),
    );
    const lock = JSON.parse(await readFile(cluster.clusterLockFile, "utf8"));
    lock.distributed_validators[1].public_shares[2] = "0x1234";
    const broken = join(root, "broken-lock.json");
    await writeFile(broken, JSON.stringify(lock));
    await assert.rejects(
      loadObolKeys({ keystoresDir: cluster.keystoresDir(0), clusterLockFile: broken, nodeIndex: 0 }),
      isObolError(/field "distributed_validators\.1\.public_shares\.2" must be a 48-byte hex public key/),
    );
  });

  it("reports the lock's validators it has no keystore for", async () => {
    const copy = await writeObolCluster({ dir: join(root, "partial"), secretKeys: secretKeys.slice(0, 2) });
    await unlink(join(copy.keystoresDir(2), "keystore-1.json"));
    const { keys, missing } = await loadObolKeys({
      keystoresDir: copy.keystoresDir(2),
      clusterLockFile: copy.clusterLockFile,
      nodeIndex: 2,
    });
    assert.equal(keys.size, 1);
    assert.deepEqual(missing, [copy.validators[1]?.publicKey]);
  });
});
