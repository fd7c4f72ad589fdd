/**
 * `start --relayer-endpoint … --relayer-protocol legacy`'s flow against the real legacy relayer
 * and four Obol sidecars over loopback (no devnet): the operator registers its own deposit data
 * (made for the distributed validators' keys) through the version-1 flow, with its exit signatures
 * from the relayer. It waits while the relayer indexes the keys otherwise than the operator, and
 * while the sidecars have not signed; once three of four have, it sends the oracles an approval
 * request with the deposit data's keys and signatures and the relayer's shards, which a recording
 * oracle keeps and this test decrypts and checks with code the operator does not share.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { VaultSnapshot } from "../../src/chain/vault-reader.ts";
import { obolShareSource } from "../../src/dvt/relayer/obol-cluster-lock.ts";
import { parseDepositData, serializeDepositData } from "../../src/keys/deposit-data-file.ts";
import { buildDepositDatum } from "../../src/keys/deposit-datum.ts";
import { txValidator, ValidatorsTree } from "../../src/keys/validators-tree.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";
import { createValidatorsRootFlow } from "../../src/operator/flows/validators-root-flow.ts";
import { createLegacyRelayerClient } from "../../src/operator/relayer/legacy-relayer-client.ts";
import { legacyRelayerKeys } from "../../src/operator/relayer/legacy-relayer-keys.ts";
import { RelayerNotReadyError } from "../../src/operator/relayer/relayer-client.ts";
import type { SlotSnapshot } from "../../src/operator/snapshot.ts";
import { waitOf } from "../../src/operator/wait-errors.ts";
import type { OracleSet } from "../../src/oracles/oracle-set.ts";
import { writeObolCluster } from "../support/dvt-cluster.ts";
import {
  assertNoKeyMaterial,
  FLOW_ORACLES,
  FLOW_THRESHOLD,
  flowSecretKeys,
  flowSidecar,
  independentExitRoot,
  obolNodeKeys,
  startFlowRelayer,
} from "../support/dvt-flow.ts";
import { memoryLogger } from "../support/memory-logger.ts";
import { NETWORK, recipientsFor, VAULT } from "../support/oracle-fixtures.ts";
import { decryptShard, publicKeySharesInterpolate, verifyShard } from "../support/oracle-side.ts";

const START_INDEX = 700;
const dir = await mkdtemp(join(tmpdir(), "operator-legacy-"));
const secretKeys = flowSecretKeys([61, 62]);
const obol = await writeObolCluster({ dir, secretKeys, size: 4, threshold: FLOW_THRESHOLD });
const nodes = await obolNodeKeys(obol, [0, 1, 2, 3]);
const publicKeys = obol.validators.map((v) => v.publicKey);

// The cluster's deposit data, as the Obol tooling makes it at the DKG: whole deposit signatures.
const depositDataText = serializeDepositData(
  secretKeys.map((secretKey) =>
    buildDepositDatum({
      secretKey,
      publicKey: secretKey.toPublicKey().toBytes(true),
      withdrawalCredentials: vaultWithdrawalCredentials(VAULT),
      amountGwei: 32_000_000_000,
      genesisForkVersion: parseHex(NETWORK.genesisForkVersion, 4) as Uint8Array,
      networkName: NETWORK.name,
    }),
  ),
);
const depositData = parseDepositData(depositDataText, "deposit_data.json", {
  vault: VAULT,
  network: NETWORK,
});
const tree = await ValidatorsTree.build(
  depositData.map((e) => txValidator(e.publicKey, e.signature, e.depositDataRoot)),
);

/** Every HTTP body of the relayer, both ways, for the key-material scan. */
const transcript: string[] = [];
const relayer = await startFlowRelayer({
  protocol: "legacy",
  network: NETWORK,
  file: join(dir, "relayer.db"),
  source: obolShareSource(JSON.parse(await readFile(obol.clusterLockFile, "utf8")), {
    file: obol.clusterLockFile,
    threshold: FLOW_THRESHOLD,
  }),
  keys: [],
  nextValidatorIndex: START_INDEX,
  transcript,
});

// One oracle that keeps each approval request and answers 503 (no approval is needed to check the body).
const bodies: unknown[] = [];
const oracle = createServer((request, response) => {
  let text = "";
  request.on("data", (chunk) => {
    text += chunk;
  });
  request.on("end", () => {
    bodies.push(JSON.parse(text));
    response.writeHead(503).end();
  });
});
await new Promise<void>((resolve) => oracle.listen(0, "127.0.0.1", resolve));
after(async () => {
  oracle.close();
  await relayer.close();
  await rm(dir, { recursive: true, force: true });
});

const snapshotAt = (nextIndex: number) =>
  ({
    vault: {} as VaultSnapshot,
    head: { number: 10n, timestamp: 1_700_000_000 },
    deposits: { count: nextIndex, has: () => false },
    oracles: {
      targets: [
        {
          address: "0x0000000000000000000000000000000000000001",
          endpoints: [`http://127.0.0.1:${(oracle.address() as AddressInfo).port}`],
        },
      ],
      recipients: recipientsFor(FLOW_ORACLES.map((o) => o.publicKey)),
      recoverThreshold: 3,
      validatorsMinOracles: 1,
      signatureValidityPeriod: 300,
    } as unknown as OracleSet,
  }) as unknown as SlotSnapshot<VaultSnapshot>;

const log = memoryLogger();
const signer = legacyRelayerKeys({
  relayer: createLegacyRelayerClient({ endpoint: relayer.url, timeoutMs: 5_000 }),
  publicKeys: depositData.map((e) => toPrefixedHex(e.publicKey)),
  log,
});
const flow = createValidatorsRootFlow({
  vault: VAULT,
  network: NETWORK,
  depositData,
  depositDataFile: "deposit_data.json",
  tree,
  fileRoot: toPrefixedHex(tree.root),
  signer,
  oracleTimeoutMs: 2_000,
  registryRoot: async () => `0x${"5e".repeat(32)}`,
});
const plan = { kind: "register", validators: 2, payload: { startIndex: 0, entries: depositData } } as const;
const prepare = (nextIndex: number) =>
  flow.prepare(plan, snapshotAt(nextIndex), new AbortController().signal).catch((error: unknown) => error);

describe("start --relayer-protocol legacy's flow with the real legacy relayer and an Obol cluster of 4 (threshold 3)", () => {
  it("waits, logging both indexes, while the relayer indexes the keys otherwise than the operator", async () => {
    const error = await prepare(START_INDEX + 1);
    assert.ok(error instanceof RelayerNotReadyError, String(error));
    assert.match(
      error.message,
      new RegExp(`for validator index ${START_INDEX} but it gets index ${START_INDEX + 1}`),
    );
    assert.equal(
      log.entries.filter((e) => e.message === "the relayer signs the exit for another validator index")
        .length,
      2,
    );
    assert.equal(bodies.length, 0);
  });

  it("waits for the sidecars, naming the keys whose exits are not signed", async () => {
    const error = await prepare(START_INDEX);
    assert.ok(error instanceof RelayerNotReadyError, String(error));
    assert.equal(waitOf(error)?.kind, "waiting");
    assert.match(error.message, /have not signed the exits of 2 of 2 validators/);
    for (const key of publicKeys) assert.ok(error.message.includes(key), key);
    assert.equal(bodies.length, 0);
  });

  it("with three sidecars signed, sends the oracles the deposit data and the relayer's shards, which verify", async () => {
    for (const keys of nodes.slice(0, 3)) await flowSidecar(relayer.url, "legacy", keys, NETWORK).round();
    const error = await prepare(START_INDEX);
    assert.ok(
      waitOf(error)?.kind === "waiting" && /oracle/i.test(String((error as Error).message)),
      String(error),
    );
    assert.equal(bodies.length, 1);
    const body = bodies[0] as {
      validator_index: number;
      public_keys: string[];
      deposit_signatures: string[];
      public_key_shards: string[][];
      exit_signature_shards: string[][];
    };
    assert.equal(body.validator_index, START_INDEX);
    assert.deepEqual(body.public_keys, publicKeys);
    assert.deepEqual(
      body.deposit_signatures,
      depositData.map((e) => toPrefixedHex(e.signature)),
    );
    body.public_keys.forEach((key, k) => {
      const root = independentExitRoot(NETWORK, START_INDEX + k);
      const keyShards = body.public_key_shards[k] as string[];
      assert.equal(keyShards.length, FLOW_ORACLES.length);
      assert.ok(publicKeySharesInterpolate(keyShards, 3, key));
      FLOW_ORACLES.forEach((o, j) => {
        const share = decryptShard(o.privateKey, (body.exit_signature_shards[k] as string[])[j] as string);
        assert.ok(verifyShard(share, keyShards[j] as string, root), `validator ${k}, oracle ${j}`);
      });
    });
  });

  it("no validator key or key share in any HTTP body, log line, approval request or relayer row", () => {
    const secrets = [
      ...secretKeys.map((key) => key.toBytes()),
      ...obol.validators.flatMap((v) => v.shares.map((share) => share.secretKey)),
    ];
    assertNoKeyMaterial(
      [
        ...transcript,
        ...bodies.map((body) => JSON.stringify(body)),
        ...[...relayer.log.entries, ...log.entries].map((entry) => JSON.stringify(entry)),
      ],
      [join(dir, "relayer.db")],
      secrets,
    );
  });
});
