/**
 * Issue 14 must-be-true 2 for one cluster and one relayer generation, as a sequence of tests over
 * one relayer and four sidecars (test/support/dvt-flow.ts): three validators asked for; two
 * sidecars sign and the relayer names the two share indexes it still waits for; the third node
 * signs with wrong keys and is refused (4xx, logged, nothing stored); the relayer restarts on the
 * same SQLite file and keeps every share, so a sidecar that signed before is not asked again; the
 * fourth node signs and every signature is recovered with the third node still down; the third
 * node comes back to nothing left to sign. Then every signature the operator would receive is
 * checked with code the operator does not share.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { PublicKeyShareSource } from "../../src/dvt/relayer/public-key-shares.ts";
import type { RelayerProtocol } from "../../src/dvt/relayer/server.ts";
import type { ShareKeys } from "../../src/dvt/sidecar/share-keys.ts";
import { toPrefixedHex } from "../../src/lib/hex.ts";
import { EndpointRequestError } from "../../src/lib/http/errors.ts";
import {
  type FlowRelayer,
  type FlowSidecar,
  flowSidecar,
  independentDepositRoot,
  independentExitRoot,
  nobleVerifies,
  oraclesExitSignature,
  startFlowRelayer,
  withWrongSecrets,
} from "./dvt-flow.ts";
import { NETWORK, VAULT } from "./oracle-fixtures.ts";

export interface FlowCluster {
  /** "Obol" or "SSV", for test names. */
  name: string;
  /** The validators' public keys, in the order the relayer is asked for them. */
  publicKeys: readonly `0x${string}`[];
  /** One node's keys per share index, ascending. */
  nodes: readonly ShareKeys[];
  /** The relayer's trusted public key shares (cluster-lock or ValidatorAdded events); none: the sidecars' own. */
  source: PublicKeyShareSource | undefined;
}

export interface FlowScenarioOptions {
  cluster: FlowCluster;
  protocol: RelayerProtocol;
  /** The relayer's SQLite file. */
  file: string;
  /** HTTP bodies and log lines of the whole flow, for the key-material scan. */
  transcript: string[];
  validatorType: "0x01" | "0x02";
}

const START_INDEX = { v4: 100, legacy: 500 } as const;
const AMOUNT = 32_000_000_000;

export function describeFlow(options: FlowScenarioOptions): void {
  const { cluster, protocol } = options;
  const [a, b, c, d] = cluster.nodes as [ShareKeys, ShareKeys, ShareKeys, ShareKeys];
  const firstIndex = START_INDEX[protocol];
  const listPath = protocol === "v4" ? "/validators" : "/exits";

  describe(`${cluster.name} cluster of 4 (threshold 3), ${protocol} relayer`, () => {
    let relayer: FlowRelayer;
    const sidecars = new Map<number, FlowSidecar>();
    const sidecar = (keys: ShareKeys) => {
      let found = sidecars.get(keys.shareIndex);
      if (!found) {
        found = flowSidecar(relayer.url, protocol, keys, NETWORK);
        sidecars.set(keys.shareIndex, found);
      }
      return found;
    };
    after(async () => {
      await relayer?.close();
      for (const s of sidecars.values())
        options.transcript.push(...s.log.entries.map((e) => JSON.stringify(e)));
    });

    /** The operator's request: /register (today's generation) or /validators (legacy). */
    const ask = () =>
      protocol === "v4"
        ? relayer.call("POST", "/register", {
            vault: VAULT,
            validators_start_index: firstIndex,
            amounts: cluster.publicKeys.map(() => AMOUNT),
            validator_type: options.validatorType,
          })
        : relayer.call("POST", "/validators", { public_keys: cluster.publicKeys });

    const listed = async () => {
      const answer = await relayer.call("GET", listPath);
      assert.equal(answer.status, 200);
      return (protocol === "v4" ? answer.body.validators : answer.body.exits) as {
        public_key: string;
        share_indexes_ready: number[];
        share_indexes_missing?: number[];
      }[];
    };

    it("records the three validators, none ready", async () => {
      relayer = await startFlowRelayer({
        protocol,
        network: NETWORK,
        file: options.file,
        source: cluster.source,
        keys: cluster.publicKeys,
        nextValidatorIndex: firstIndex,
        transcript: options.transcript,
      });
      const answer = await ask();
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(
        answer.body.validators.map((v: { public_key: string }) => v.public_key),
        cluster.publicKeys,
      );
      if (protocol === "v4") assert.equal(answer.body.validators_manager_signature, null);
      else assert.equal(answer.body.ready, false);
    });

    it(`two sidecars sign; the relayer waits and names share indexes ${c.shareIndex} and ${d.shareIndex}`, async () => {
      for (const node of [a, b]) {
        assert.deepEqual(await sidecar(node).round(), { signed: 3, foreign: 0, done: 0 });
      }
      for (const item of await listed()) {
        assert.deepEqual(item.share_indexes_ready, [a.shareIndex, b.shareIndex]);
        assert.deepEqual(item.share_indexes_missing, [c.shareIndex, d.shareIndex]);
      }
      const again = await ask();
      if (protocol === "v4") assert.equal(again.body.validators_manager_signature, null);
      else assert.equal(again.body.ready, false);
    });

    it(`a sidecar signing with wrong keys (share ${c.shareIndex}) is refused with 400, logged, nothing stored`, async () => {
      const rows = relayer.shareRows();
      const wrong = flowSidecar(relayer.url, protocol, withWrongSecrets(c, cluster.publicKeys), NETWORK);
      const error = await wrong.round().then(
        () => assert.fail("the wrong shares were accepted"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof EndpointRequestError, String(error));
      assert.equal(error.status, 400);
      assert.match(String(error.body), /signature share does not verify under its public key share/);
      options.transcript.push(...wrong.log.entries.map((e) => JSON.stringify(e)));
      assert.equal(relayer.shareRows(), rows);
      const rejected = relayer.log.entries.filter((e) => e.message === "signature shares rejected");
      assert.equal(rejected.length, 1);
      assert.equal(rejected[0]?.context?.shareIndex, String(c.shareIndex));
      assert.equal(rejected[0]?.context?.reason, "bad_signature");
      for (const item of await listed())
        assert.deepEqual(item.share_indexes_ready, [a.shareIndex, b.shareIndex]);
    });

    it("the relayer restarts on the same SQLite file: every share kept, a signed sidecar is not asked again", async () => {
      await relayer.restart();
      for (const item of await listed())
        assert.deepEqual(item.share_indexes_ready, [a.shareIndex, b.shareIndex]);
      const posts = relayer.sidecarPosts.length;
      assert.deepEqual(await sidecar(a).round(), { signed: 0, foreign: 0, done: 3 });
      assert.equal(relayer.sidecarPosts.length, posts, "the sidecar posted nothing");
    });

    it("after the restart the relayer still names the missing share indexes", async () => {
      for (const item of await listed())
        assert.deepEqual(item.share_indexes_missing, [c.shareIndex, d.shareIndex]);
    });

    it(`share ${d.shareIndex} signs with share ${c.shareIndex} still down: every signature recovered from 3 of 4`, async () => {
      assert.deepEqual(await sidecar(d).round(), { signed: 3, foreign: 0, done: 0 });
      for (const item of await listed()) {
        assert.deepEqual(item.share_indexes_ready, [a.shareIndex, b.shareIndex, d.shareIndex]);
        assert.equal(item.share_indexes_missing, undefined);
      }
      assert.deepEqual(await sidecar(c).round(), { signed: 0, foreign: 0, done: 3 });
    });

    it("every signature verifies with @noble/curves, and the oracles' shares decrypt and recombine to the exit", async () => {
      const answer = await ask();
      assert.equal(answer.status, 200);
      if (protocol === "legacy") assert.equal(answer.body.ready, true);
      else assert.match(answer.body.validators_manager_signature, /^0x[0-9a-f]{130}$/);
      for (const [i, item] of answer.body.validators.entries()) {
        const publicKey = cluster.publicKeys[i] as string;
        const exitRoot = independentExitRoot(NETWORK, firstIndex + i);
        assert.equal(item.public_key, publicKey);
        const fromOracles = oraclesExitSignature(item.oracles_exit_signature_shares);
        assert.ok(nobleVerifies(publicKey, exitRoot, fromOracles));
        if (protocol === "legacy") continue;
        assert.equal(toPrefixedHex(fromOracles), item.exit_signature);
        const depositRoot = independentDepositRoot(NETWORK, {
          publicKey,
          vault: VAULT,
          amountGwei: AMOUNT,
          type: options.validatorType === "0x02" ? 0x02 : 0x01,
        });
        assert.ok(nobleVerifies(publicKey, depositRoot, item.deposit_signature));
      }
    });
  });
}
