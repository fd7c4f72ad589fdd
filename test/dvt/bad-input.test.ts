/**
 * Bad input from sidecars at the relayer's HTTP boundary (issue 14 must-be-true 4, no devnet):
 * a sidecar of another network, a share index outside the cluster, a malformed signature, a
 * public key the relayer does not know. Each is answered 4xx with a one-line `detail`, and nothing
 * is stored. The sidecars are the real client, pollRound and signer over Obol keys.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { obolShareSource } from "../../src/dvt/relayer/obol-cluster-lock.ts";
import { RelayerNetworkError } from "../../src/dvt/sidecar/errors.ts";
import { loadObolKeys } from "../../src/dvt/sidecar/obol-keys.ts";
import { createRelayerClient } from "../../src/dvt/sidecar/relayer-client.ts";
import { waitForRelayer } from "../../src/dvt/sidecar/service.ts";
import { ShareKeys } from "../../src/dvt/sidecar/share-keys.ts";
import { EndpointRequestError } from "../../src/lib/http/errors.ts";
import { writeObolCluster } from "../support/dvt-cluster.ts";
import {
  FLOW_THRESHOLD,
  type FlowRelayer,
  flowSecretKeys,
  flowSidecar,
  startFlowRelayer,
} from "../support/dvt-flow.ts";
import { memoryLogger } from "../support/memory-logger.ts";
import { NETWORK, VAULT } from "../support/oracle-fixtures.ts";

const dir = await mkdtemp(join(tmpdir(), "dvt-bad-input-"));
after(() => rm(dir, { recursive: true, force: true }));

async function obolNode(name: string, seeds: number[], nodeIndex: number) {
  const cluster = await writeObolCluster({ dir: join(dir, name), secretKeys: flowSecretKeys(seeds) });
  const { keys } = await loadObolKeys({
    keystoresDir: cluster.keystoresDir(nodeIndex),
    clusterLockFile: cluster.clusterLockFile,
    nodeIndex,
  });
  const lock = JSON.parse(await readFile(cluster.clusterLockFile, "utf8"));
  return { cluster, keys, lock, publicKeys: cluster.validators.map((v) => v.publicKey) };
}

const ours = await obolNode("ours", [51, 52], 0);
/** Another cluster's node: keys the relayer's cluster-lock does not list. */
const theirs = await obolNode("theirs", [61], 0);
const source = obolShareSource(ours.lock, { file: "cluster-lock.json", threshold: FLOW_THRESHOLD });
const OTHER_NETWORK = {
  ...NETWORK,
  name: "hoodi",
  genesisValidatorsRoot: `0x${"21".repeat(32)}`,
  capellaForkVersion: "0x40000910",
  genesisForkVersion: "0x10000910",
} as const;

/** A sidecar's round that must be refused: the relayer's status and `detail`. */
async function refused(round: Promise<unknown>): Promise<{ status: number | undefined; detail: string }> {
  const error = await round.then(
    () => assert.fail("the relayer accepted it"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof EndpointRequestError, String(error));
  return { status: error.status, detail: JSON.parse(error.body ?? "{}").detail };
}

describe("a v4 relayer refuses bad sidecar input with 4xx and stores nothing", () => {
  let relayer: FlowRelayer;
  before(async () => {
    relayer = await startFlowRelayer({
      protocol: "v4",
      network: NETWORK,
      file: join(dir, "relayer-v4.db"),
      source,
      keys: ours.publicKeys,
      transcript: [],
    });
    const answer = await relayer.call("POST", "/register", {
      vault: VAULT,
      validators_start_index: 100,
      amounts: [32_000_000_000, 32_000_000_000],
    });
    assert.equal(answer.status, 200);
  });
  after(async () => {
    assert.equal(relayer.shareRows(), 0, "nothing was stored");
    const listed = (await relayer.call("GET", "/validators")).body.validators;
    for (const item of listed) assert.deepEqual(item.share_indexes_ready, []);
    await relayer.close();
  });

  it("a sidecar of another network: it refuses the relayer at start, and its shares do not verify here", async () => {
    const log = memoryLogger();
    const client = createRelayerClient({ endpoint: relayer.url, protocol: "v4" });
    const signal = AbortSignal.timeout(5_000);
    await assert.rejects(
      waitForRelayer(client, OTHER_NETWORK.name, { intervalMs: 10, signal, log }),
      (error: unknown) =>
        error instanceof RelayerNetworkError &&
        /serves network devnet, this sidecar hoodi/.test(error.message),
    );
    const answer = await refused(flowSidecar(relayer.url, "v4", ours.keys, OTHER_NETWORK).round());
    assert.equal(answer.status, 400);
    assert.match(
      answer.detail,
      /share 1: the exit signature share does not verify under its public key share/,
    );
  });

  it("a share index outside the cluster", async () => {
    const outside = new ShareKeys(5);
    for (const publicKey of ours.publicKeys) outside.add(ours.keys.get(publicKey) as never);
    const answer = await refused(flowSidecar(relayer.url, "v4", outside, NETWORK).round());
    assert.equal(answer.status, 400);
    assert.match(
      answer.detail,
      /^share index 5 is not in the cluster of validator 0x[0-9a-f]{96} \(its share indexes: 1, 2, 3, 4\)$/,
    );
    const zero = await relayer.call("POST", "/signatures", {
      share_index: 0,
      shares: [{ public_key: ours.publicKeys[0], exit_signature: `0x${"aa".repeat(96)}` }],
    });
    assert.equal(zero.status, 400);
    assert.match(zero.body.detail, /share index 0 must be 1 or more/);
  });

  it("malformed signatures and keys: 422 for the wrong shape, 400 for bytes that are no signature", async () => {
    const item = {
      public_key: ours.publicKeys[0],
      exit_signature: `0x${"aa".repeat(96)}`,
      deposit_signature: `0x${"aa".repeat(96)}`,
    };
    const cases: [unknown, number, RegExp][] = [
      [
        { ...item, exit_signature: "0x1234" },
        422,
        /^shares\.0\.exit_signature: a signature must be 96 bytes of hex$/,
      ],
      [
        { ...item, deposit_signature: "zz" },
        422,
        /^shares\.0\.deposit_signature: a signature must be 96 bytes of hex$/,
      ],
      [{ ...item, public_key: "0x12" }, 422, /^shares\.0\.public_key: a public key must be 48 bytes of hex$/],
      [item, 400, /share 1: the exit signature share does not verify/],
      [
        { ...item, exit_signature: `0x${"ff".repeat(96)}` },
        400,
        /share 1: the exit signature share does not verify/,
      ],
    ];
    for (const [share, status, detail] of cases) {
      const answer = await relayer.call("POST", "/signatures", { share_index: 1, shares: [share] });
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.match(answer.body.detail, detail);
    }
    const notJson = await relayer.call("POST", "/signatures", "{not json");
    assert.equal(notJson.status, 400);
    assert.equal(typeof notJson.body.detail, "string");
  });

  it("a public key the relayer was not asked to sign", async () => {
    const answer = await relayer.call("POST", "/signatures", {
      share_index: 1,
      shares: [{ public_key: theirs.publicKeys[0], exit_signature: `0x${"aa".repeat(96)}` }],
    });
    assert.equal(answer.status, 400);
    assert.match(answer.body.detail, /^validator 0x[0-9a-f]{96} is not one the relayer was asked to sign$/);
  });
});

describe("a legacy relayer refuses shares of a validator its cluster-lock does not list", () => {
  it("the other cluster's sidecar signs what it was asked, the relayer refuses it (400) and stores nothing", async () => {
    const relayer = await startFlowRelayer({
      protocol: "legacy",
      network: NETWORK,
      file: join(dir, "relayer-legacy.db"),
      source,
      keys: [],
      transcript: [],
    });
    after(() => relayer.close());
    const asked = await relayer.call("POST", "/validators", { public_keys: theirs.publicKeys });
    assert.equal(asked.status, 200);
    const answer = await refused(flowSidecar(relayer.url, "legacy", theirs.keys, NETWORK).round());
    assert.equal(answer.status, 400);
    assert.match(answer.detail, /^validator 0x[0-9a-f]{96} is not in the obol cluster data$/);
    assert.equal(relayer.shareRows(), 0);
    const rejected = relayer.log.entries.filter((e) => e.message === "signature shares rejected");
    assert.deepEqual(
      rejected.map((e) => e.context.reason),
      ["unknown_key"],
    );
  });
});
