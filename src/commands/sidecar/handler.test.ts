import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type SidecarCommandOptionValues, sidecarSettings } from "./handler.ts";

const base: SidecarCommandOptionValues = {
  relayerEndpoint: "http://relayer:8000",
  network: "hoodi",
  clusterType: "ssv",
  protocol: "v4",
  pollInterval: 1,
  relayerTimeout: 10,
  dataDir: "/data",
  executionEndpoints: ["http://el:8545"],
  consensusEndpoints: ["http://cl:5052"],
  metricsHost: "127.0.0.1",
  metricsPort: 9100,
  enableMetrics: true,
  logLevel: "info",
  logFormat: "text",
};

describe("sidecarSettings", () => {
  it("one SSV operator: its files as given, one metrics port", () => {
    const [only, ...rest] = sidecarSettings({
      ...base,
      ssvOperatorId: [100],
      ssvOperatorKeyFile: "/keys/operator.json",
      ssvOperatorPasswordFile: "/keys/password",
    });
    assert.equal(rest.length, 0);
    assert.deepEqual(only?.cluster, {
      type: "ssv",
      operatorId: 100n,
      operatorKeyFile: "/keys/operator.json",
      operatorPasswordFile: "/keys/password",
      executionEndpoints: ["http://el:8545"],
      consensusEndpoints: ["http://cl:5052"],
    });
    assert.deepEqual(only?.metrics, { host: "127.0.0.1", port: 9100 });
  });

  it("SSV_OPERATOR_IDS with the _TEMPLATE files: one node per id, each with its own files and metrics port", () => {
    const nodes = sidecarSettings({
      ...base,
      ssvOperatorIds: [100, 2 ** 40],
      ssvOperatorKeyFileTemplate: "/keys/{operator_id}/operator.json",
      ssvOperatorPasswordFileTemplate: "/keys/{operator_id}/password",
    });
    assert.deepEqual(
      nodes.map(
        (n) =>
          n.cluster.type === "ssv" && [
            n.cluster.operatorId,
            n.cluster.operatorKeyFile,
            n.cluster.operatorPasswordFile,
          ],
      ),
      [
        [100n, "/keys/100/operator.json", "/keys/100/password"],
        [2n ** 40n, "/keys/1099511627776/operator.json", "/keys/1099511627776/password"],
      ],
    );
    assert.deepEqual(
      nodes.map((n) => n.metrics?.port),
      [9100, 9101],
    );
  });

  it("several operators and one key file: the fix in one line", () => {
    assert.throws(
      () =>
        sidecarSettings({ ...base, ssvOperatorId: [100, 101], ssvOperatorKeyFile: "/keys/operator.json" }),
      /--ssv-operator-key-file \/keys\/operator.json has no \{operator_id\} but 2 nodes are given \(100, 101\)/,
    );
  });

  it("Obol node indexes with OBOL_KEYSTORES_DIR_TEMPLATE: share index = node index + 1", () => {
    const nodes = sidecarSettings({
      ...base,
      clusterType: "obol",
      obolNodeIndex: [0, 3],
      obolKeystoresDirTemplate: "/charon/node{node_index}/validator_keys",
      obolClusterLock: "/charon/cluster-lock.json",
    });
    assert.deepEqual(
      nodes.map((n) => n.cluster.type === "obol" && [n.cluster.nodeIndex, n.cluster.keystoresDir]),
      [
        [0, "/charon/node0/validator_keys"],
        [3, "/charon/node3/validator_keys"],
      ],
    );
  });

  it("an SSV flag on an Obol sidecar is refused", () => {
    assert.throws(
      () =>
        sidecarSettings({ ...base, clusterType: "obol", ssvOperatorIds: [1], obolClusterLock: "/c.json" }),
      /are for --cluster-type ssv, not obol/,
    );
  });
});
