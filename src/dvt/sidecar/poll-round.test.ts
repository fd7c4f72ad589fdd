import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { writeObolCluster } from "../../../test/support/dvt-cluster.ts";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import { type RecordedRequest, startScriptedServer } from "../../../test/support/scripted-server.ts";
import { exitSigningRoot } from "../../crypto/exit-message.ts";
import { depositSigningRoot } from "../../keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { RelayerNetworkError } from "./errors.ts";
import { runIntervalLoop } from "./interval-loop.ts";
import { loadObolKeys } from "./obol-keys.ts";
import { pollRound } from "./poll-round.ts";
import { createRelayerClient } from "./relayer-client.ts";
import { waitForRelayer } from "./service.ts";
import { createShareSigner } from "./share-signer.ts";

const NETWORK = {
  capellaForkVersion: "0x40000910",
  capellaEpoch: 0,
  genesisValidatorsRoot: "0x212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f",
  genesisForkVersion: "0x10000910",
} as const;
const VAULT = "0x3320a16ab1e7b6e8e0b8a3b6b0a5e2d9fa2d4c5e";
const POP_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
const { longSignatures } = bls12_381;

const root = await mkdtemp(join(tmpdir(), "poll-round-"));
after(() => rm(root, { recursive: true, force: true }));
const cluster = await writeObolCluster({
  dir: root,
  secretKeys: [4, 5, 6].map((i) => SecretKey.fromKeygen(new Uint8Array(32).fill(i))),
});
const node = 1;
const { keys } = await loadObolKeys({
  keystoresDir: cluster.keystoresDir(node),
  clusterLockFile: cluster.clusterLockFile,
  nodeIndex: node,
});
const [mine, done, other] = cluster.validators;
if (!mine || !done || !other) throw new Error("no validators");
const FOREIGN = `0x${"a1".repeat(48)}`;

/** Verifies with @noble/curves alone (not blst, not our shamir code). */
function verifies(signature: string, message: Uint8Array, publicKey: string): boolean {
  return longSignatures.verify(
    longSignatures.Signature.fromHex(signature.slice(2)),
    longSignatures.hash(message, POP_DST),
    bls12_381.G1.Point.fromHex(publicKey.slice(2)),
  );
}

const v4Item = (publicKey: string, index: number, ready: number[]) => ({
  vault: VAULT,
  public_key: publicKey,
  amount: 32_000_000_000,
  validator_index: index,
  validator_type: "0x02",
  is_signatures_ready: false,
  created_at_timestamp: 1,
  created_at_string: "x",
  share_indexes_ready: ready,
});

describe("pollRound", () => {
  it("v4: signs exit and deposit for its validators only, posts public_key_shares, signatures verify", async () => {
    const relayer = await startScriptedServer((request) =>
      request.method === "GET"
        ? {
            json: {
              validators: [
                v4Item(mine.publicKey, 11, [1]),
                v4Item(done.publicKey, 12, [2, 3]),
                v4Item(FOREIGN, 13, []),
                { public_key: "garbage" },
                { ...v4Item(other.publicKey, 14, []), is_signatures_ready: true },
              ],
            },
          }
        : { json: {} },
    );
    after(() => relayer.close());
    const log = memoryLogger();
    const result = await pollRound({
      relayer: createRelayerClient({ endpoint: relayer.url, protocol: "v4" }),
      keys,
      signer: createShareSigner(NETWORK),
      log,
    });
    assert.deepEqual(result, { signed: 1, foreign: 1, done: 2 });
    const post = relayer.requests.find((r) => r.method === "POST") as RecordedRequest;
    assert.equal(post.url, "/signatures");
    const body = JSON.parse(post.body);
    assert.equal(body.share_index, 2);
    assert.equal(body.shares.length, 1);
    const [share] = body.shares;
    assert.equal(share.public_key, mine.publicKey);
    assert.deepEqual(
      share.public_key_shares,
      mine.shares.map((s) => ({ share_index: s.shareIndex, public_key_share: s.publicKey })),
    );
    const sharePublicKey = mine.shares[node]?.publicKey as string;
    assert.ok(verifies(share.exit_signature, exitSigningRoot(NETWORK, 11), sharePublicKey));
    const { signingRoot } = depositSigningRoot(
      {
        publicKey: Buffer.from(mine.publicKey.slice(2), "hex"),
        withdrawalCredentials: vaultWithdrawalCredentials(VAULT, 0x02),
        amountGwei: 32_000_000_000,
      },
      Buffer.from("10000910", "hex"),
    );
    assert.ok(verifies(share.deposit_signature, signingRoot, sharePublicKey));
    assert.ok(!verifies(share.exit_signature, exitSigningRoot(NETWORK, 12), sharePublicKey));
    assert.deepEqual(log.lines("warn"), ["warn relayer items skipped: they do not parse"]);
    // The log holds no key share: no secret's hex appears in any entry.
    const logged = JSON.stringify(log.entries);
    for (const validator of cluster.validators) {
      for (const s of validator.shares) assert.ok(!logged.includes(Buffer.from(s.secretKey).toString("hex")));
    }
  });

  it("legacy: signs exits only and posts /exit-signature", async () => {
    const relayer = await startScriptedServer((request) =>
      request.method === "GET"
        ? {
            json: {
              exits: [
                {
                  public_key: mine.publicKey,
                  validator_index: 21,
                  is_exit_signature_ready: false,
                  share_indexes_ready: [],
                },
                {
                  public_key: done.publicKey,
                  validator_index: 22,
                  is_exit_signature_ready: true,
                  share_indexes_ready: [],
                },
              ],
            },
          }
        : { json: {} },
    );
    after(() => relayer.close());
    const result = await pollRound({
      relayer: createRelayerClient({ endpoint: relayer.url, protocol: "legacy" }),
      keys,
      signer: createShareSigner(NETWORK),
      log: memoryLogger(),
    });
    assert.deepEqual(result, { signed: 1, foreign: 0, done: 1 });
    const post = relayer.requests.find((r) => r.method === "POST") as RecordedRequest;
    assert.equal(post.url, "/exit-signature");
    const body = JSON.parse(post.body);
    assert.deepEqual(Object.keys(body.shares[0]).sort(), ["exit_signature", "public_key"]);
    assert.ok(
      verifies(
        body.shares[0].exit_signature,
        exitSigningRoot(NETWORK, 21),
        mine.shares[node]?.publicKey as string,
      ),
    );
  });

  it("the loop survives relayer errors and signs once the relayer answers", async () => {
    let calls = 0;
    const relayer = await startScriptedServer((request) => {
      if (request.method === "POST") return { json: {} };
      calls += 1;
      if (calls === 1) return { status: 500, json: { detail: "boom" } };
      if (calls === 2) return { destroy: true };
      return { json: { validators: [v4Item(mine.publicKey, 31, [])] } };
    });
    after(() => relayer.close());
    const controller = new AbortController();
    const errors: unknown[] = [];
    await runIntervalLoop(
      async (signal) => {
        const result = await pollRound(
          {
            relayer: createRelayerClient({ endpoint: relayer.url, protocol: "v4" }),
            keys,
            signer: createShareSigner(NETWORK),
            log: memoryLogger(),
          },
          signal,
        );
        if (result.signed > 0) controller.abort();
      },
      { intervalMs: 5, signal: controller.signal, onError: (error) => errors.push(error) },
    );
    assert.equal(errors.length, 2);
    assert.equal(relayer.requests.filter((r) => r.method === "POST").length, 1);
  });
});

describe("waitForRelayer", () => {
  it("waits for /info and refuses a relayer of another network in one line", async () => {
    let calls = 0;
    const relayer = await startScriptedServer(() => {
      calls += 1;
      return calls === 1 ? { status: 503, json: {} } : { json: { network: "mainnet" } };
    });
    after(() => relayer.close());
    const client = createRelayerClient({ endpoint: relayer.url, protocol: "v4" });
    const options = { intervalMs: 5, signal: new AbortController().signal, log: memoryLogger() };
    await assert.rejects(waitForRelayer(client, "hoodi", options), (error: unknown) => {
      assert.ok(error instanceof RelayerNetworkError);
      assert.match(error.message, /serves network mainnet, this sidecar hoodi/);
      return true;
    });
    assert.equal(calls, 2);
    await waitForRelayer(client, "mainnet", options);
  });
});
