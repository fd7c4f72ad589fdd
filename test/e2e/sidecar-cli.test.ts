/**
 * `operator sidecar` as a process, the way it runs beside charon: one process acting for three
 * Obol nodes (the Python sidecar's OBOL_NODE_INDEXES + OBOL_KEYSTORES_DIR_TEMPLATE), against a
 * legacy relayer on loopback. The relayer recovers every exit signature from the three nodes'
 * shares; SIGTERM stops all three cleanly. Misused node lists are one line and exit non-zero.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { resolveNetwork } from "../../src/config/networks.ts";
import { obolShareSource } from "../../src/dvt/relayer/obol-cluster-lock.ts";
import { collect, runCli, startCli, tempDir } from "../support/cli.ts";
import { type ObolCluster, writeObolCluster } from "../support/dvt-cluster.ts";
import { FLOW_THRESHOLD, type FlowRelayer, flowSecretKeys, startFlowRelayer } from "../support/dvt-flow.ts";

const hoodi = resolveNetwork("hoodi", { devnetFile: "/nonexistent/network.json" });

describe("operator sidecar acting for three Obol nodes in one process", { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let obol: ObolCluster;
  let relayer: FlowRelayer;
  const transcript: string[] = [];
  before(async () => {
    ({ path: dir, cleanup } = await tempDir("vault-operator-sidecar-"));
    obol = await writeObolCluster({ dir, secretKeys: flowSecretKeys([61, 62]), size: 4, threshold: 3 });
    relayer = await startFlowRelayer({
      protocol: "legacy",
      network: hoodi,
      file: join(dir, "relayer.db"),
      source: obolShareSource(JSON.parse(await readFile(obol.clusterLockFile, "utf8")), {
        file: obol.clusterLockFile,
        threshold: FLOW_THRESHOLD,
      }),
      keys: [],
      nextValidatorIndex: 700,
      transcript,
    });
  });
  after(async () => {
    await relayer?.close();
    await cleanup?.();
  });

  const args = (extra: string[]) => [
    "sidecar",
    "--network",
    "hoodi",
    "--relayer-endpoint",
    relayer.url,
    "--cluster-type",
    "obol",
    "--protocol",
    "legacy",
    "--obol-cluster-lock",
    obol.clusterLockFile,
    "--poll-interval",
    "0.2",
    "--data-dir",
    dir,
    ...extra,
  ];

  it("signs as nodes 0, 2 and 3; the relayer recovers both exits; SIGTERM exits 0", async () => {
    const publicKeys = obol.validators.map((v) => v.publicKey);
    const first = await relayer.call("POST", "/validators", { public_keys: publicKeys });
    assert.equal(first.body.ready, false);
    const child = startCli(args(["--log-format", "json"]), {
      env: {
        OBOL_NODE_INDEXES: "0,2,3",
        OBOL_KEYSTORES_DIR_TEMPLATE: join(dir, "node{node_index}", "validator_keys"),
      },
    });
    const done = collect(child, { timeoutMs: 50_000 });
    let ready = false;
    for (let k = 0; k < 100 && !ready; k++) {
      await sleep(200);
      ready = (await relayer.call("POST", "/validators", { public_keys: publicKeys })).body.ready === true;
    }
    child.kill("SIGTERM");
    const [result] = await Promise.all([done, once(child, "close")]);
    const output = `${result.stdout}\n${result.stderr}`;
    assert.ok(ready, output);
    assert.equal(result.code, 0, output);
    const started = result.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string; shareIndex?: number | string })
      .filter((line) => line.msg === "sidecar started")
      .map((line) => Number(line.shareIndex))
      .sort();
    assert.deepEqual(started, [1, 3, 4], output);
    // Node 1's share (index 2) was never used; the others' shares never left the process.
    const exits = (await relayer.call("GET", "/exits")).body.exits as { share_indexes_ready: number[] }[];
    for (const exit of exits) assert.deepEqual(exit.share_indexes_ready, [1, 3, 4]);
    for (const share of obol.validators.flatMap((v) => v.shares)) {
      assert.ok(!output.includes(Buffer.from(share.secretKey).toString("hex")));
    }
  });

  for (const { name, extra, env, message } of [
    {
      name: "several node indexes and one keystores dir",
      extra: ["--obol-node-index", "0,1", "--obol-keystores-dir", "/tmp/validator_keys"],
      env: {},
      message: /--obol-keystores-dir \/tmp\/validator_keys has no \{node_index\} but 2 nodes are given/,
    },
    {
      name: "a node index twice",
      extra: ["--obol-node-index", "0,0", "--obol-keystores-dir", "/tmp/node{node_index}"],
      env: {},
      message: /--obol-node-index .*names a node index twice/,
    },
    {
      name: "OBOL_NODE_INDEX and OBOL_NODE_INDEXES both",
      extra: ["--obol-keystores-dir", "/tmp/node{node_index}"],
      env: { OBOL_NODE_INDEX: "0", OBOL_NODE_INDEXES: "1,2" },
      message: /--obol-node-index and OBOL_NODE_INDEXES are both set: set one of them/,
    },
  ]) {
    it(`refuses ${name}: one line, exit non-zero`, async () => {
      const result = await runCli(args(extra), { env, timeoutMs: 20_000 });
      assert.notEqual(result.code, 0);
      const lines = result.stderr.trim().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(result.stderr, message);
    });
  }
});
