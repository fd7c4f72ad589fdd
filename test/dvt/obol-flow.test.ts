/**
 * The DVT relayer and four Obol sidecars talking over HTTP (issue 14 must-be-true 2 and 3, no
 * devnet): charon's files written by writeObolCluster, each sidecar's keys loaded from them as
 * `operator sidecar` loads them, the relayer checking shares against the cluster-lock, for both
 * relayer generations. Ends with a scan of the whole flow for key material.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { obolShareSource } from "../../src/dvt/relayer/obol-cluster-lock.ts";
import { loadObolKeys } from "../../src/dvt/sidecar/obol-keys.ts";
import { writeObolCluster } from "../support/dvt-cluster.ts";
import { assertNoKeyMaterial, FLOW_THRESHOLD, flowSecretKeys } from "../support/dvt-flow.ts";
import { describeFlow, type FlowCluster } from "../support/dvt-flow-scenario.ts";

const dir = await mkdtemp(join(tmpdir(), "obol-flow-"));
after(() => rm(dir, { recursive: true, force: true }));
const secretKeys = flowSecretKeys([31, 32, 33]);
const obol = await writeObolCluster({ dir, secretKeys, size: 4, threshold: FLOW_THRESHOLD });
const nodes = await Promise.all(
  [0, 1, 2, 3].map(async (nodeIndex) => {
    const loaded = await loadObolKeys({
      keystoresDir: obol.keystoresDir(nodeIndex),
      clusterLockFile: obol.clusterLockFile,
      nodeIndex,
    });
    assert.deepEqual(loaded.missing, []);
    return loaded.keys;
  }),
);
const cluster: FlowCluster = {
  name: "Obol",
  publicKeys: obol.validators.map((v) => v.publicKey),
  nodes,
  source: obolShareSource(JSON.parse(await readFile(obol.clusterLockFile, "utf8")), {
    file: obol.clusterLockFile,
    threshold: FLOW_THRESHOLD,
  }),
};

const transcript: string[] = [];
const databases = [join(dir, "relayer-v4.db"), join(dir, "relayer-legacy.db")];
describeFlow({ cluster, protocol: "v4", file: databases[0] as string, transcript, validatorType: "0x01" });
describeFlow({
  cluster,
  protocol: "legacy",
  file: databases[1] as string,
  transcript,
  validatorType: "0x01",
});

describe("key material over the Obol flows", () => {
  it("no validator key or key share in the relayer's database rows, any log line or any HTTP body", () => {
    const secrets = [
      ...secretKeys.map((key) => key.toBytes()),
      ...obol.validators.flatMap((v) => v.shares.map((s) => s.secretKey)),
    ];
    assert.equal(secrets.length, 3 + 4 * 3);
    assertNoKeyMaterial(transcript, databases, secrets);
  });
});
