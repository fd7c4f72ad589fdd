import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { type Hex, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { clusterValidator, oracleKeys, sidecarShare } from "../../../test/support/dvt-cluster.ts";
import { NETWORK, recipientsFor, VAULT } from "../../../test/support/oracle-fixtures.ts";
import { blsVerifies, combineSignatureShares, decryptShard } from "../../../test/support/oracle-side.ts";
import { RELAYER_TEST_DB_URL, temporarySchema } from "../../../test/support/relayer-postgres.ts";
import { vaultValidatorsDomain, vaultValidatorsTypedData } from "../../chain/vault-validators-eip712.ts";
import { exitSigningRoot } from "../../crypto/exit-message.ts";
import { toHex } from "../../lib/hex.ts";
import { createLoggerFromSink, type LogRecord } from "../../lib/logger.ts";
import { managerMessage } from "./manager-signature.ts";
import { createRelayerMetrics } from "./metrics.ts";
import { obolShareSource } from "./obol-cluster-lock.ts";
import { openPostgresRelayerStore } from "./postgres-store.ts";
import type { PublicKeyShareSource } from "./public-key-shares.ts";
import { createRelayerCore } from "./relayer-core.ts";
import { createRelayerApp, type RelayerProtocol } from "./server.ts";
import { openSqliteRelayerStore } from "./sqlite-store.ts";
import type { RelayerStore } from "./store.ts";

const THRESHOLD = 3;
const OBOL = [1n, 2n, 3n, 4n];
const SSV = [17n, 42n, 108n, 2n ** 33n + 5n];
const ORACLES = oracleKeys(4);
const ORACLE_THRESHOLD = 3;
const MANAGER = privateKeyToAccount(`0x${"11".repeat(32)}`);
const DEPOSIT_ROOT: Hex = `0x${"5e".repeat(32)}`;
const chain = {
  chainId: NETWORK.chainId,
  depositRoot: async () => DEPOSIT_ROOT,
  validatorsManagerNonce: async () => 7n,
};

const obolValidators = [clusterValidator(1, OBOL, THRESHOLD), clusterValidator(2, OBOL, THRESHOLD)];
const ssvValidators = [clusterValidator(3, SSV, THRESHOLD)];
const lock = {
  cluster_definition: { threshold: THRESHOLD },
  distributed_validators: obolValidators.map((v) => ({
    distributed_public_key: v.publicKey,
    public_shares: [...v.publicKeyShares.values()],
  })),
};

const dir = mkdtempSync(join(tmpdir(), "relayer-api-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Everything the relayer shows: log lines and HTTP bodies, scanned for key material at the end. */
const seen: string[] = [];

function relayer(options: {
  protocol: RelayerProtocol;
  store: RelayerStore;
  source?: PublicKeyShareSource;
  keys?: `0x${string}`[];
}) {
  const log = createLoggerFromSink((record: LogRecord) => seen.push(JSON.stringify(record)), {
    level: "debug",
  });
  const metrics = createRelayerMetrics({ network: NETWORK.name });
  const core = createRelayerCore(
    { network: NETWORK, threshold: THRESHOLD },
    {
      store: options.store,
      publicKeyShares: options.source,
      oracles: async () => ({
        recipients: recipientsFor(ORACLES.map((o) => o.publicKey)),
        threshold: ORACLE_THRESHOLD,
      }),
      log,
      metrics,
    },
  );
  const app = createRelayerApp(
    { protocol: options.protocol, network: NETWORK.name },
    {
      core,
      log,
      keys: { unregisteredKeys: async () => options.keys ?? obolValidators.map((v) => v.publicKey) },
      manager: { chain, account: MANAGER },
      nextValidatorIndex: async () => 500,
    },
  );
  const call = async (method: "GET" | "POST", url: string, payload?: unknown) => {
    const answer = await app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    seen.push(answer.body);
    return { status: answer.statusCode, body: answer.json() };
  };
  return { app, core, metrics, call };
}

/** The oracles' view: decrypt t shards, recombine, verify under the validator key (Capella domain). */
function oraclesRecover(
  publicKey: string,
  validatorIndex: number,
  shares: { encrypted_exit_signatures: string[] },
) {
  const picked = [0, 2, 3].map((j) => ({
    x: j + 1,
    signature: decryptShard(
      ORACLES[j]?.privateKey as Uint8Array,
      shares.encrypted_exit_signatures[j] as string,
    ),
  }));
  return blsVerifies(publicKey, exitSigningRoot(NETWORK, validatorIndex), combineSignatureShares(picked));
}

const sqliteFile = join(dir, "relayer.db");
const registerBody = {
  vault: VAULT,
  validators_start_index: 100,
  amounts: [32_000_000_000, 32_000_000_000],
  validator_type: "0x01",
};

describe("relayer API, today's generation, Obol cluster (cluster-lock)", () => {
  const source = obolShareSource(lock, { file: "cluster-lock.json", threshold: THRESHOLD });
  let store = openSqliteRelayerStore({ file: sqliteFile, network: NETWORK.name });
  let r = relayer({ protocol: "v4", store, source });
  const job = (i: number) => ({
    validatorIndex: 100 + i,
    vault: VAULT.toLowerCase() as `0x${string}`,
    amountGwei: 32_000_000_000,
  });
  const post = (x: bigint) =>
    r.call("POST", "/signatures", {
      share_index: Number(x),
      shares: obolValidators.map((v, i) => sidecarShare(NETWORK, v, x, job(i))),
    });

  it("answers /info with the network and the validators manager", async () => {
    assert.deepEqual((await r.call("GET", "/info")).body, {
      network: NETWORK.name,
      validators_manager_address: MANAGER.address,
    });
  });

  it("registers, waits while two shares are missing and names them", async () => {
    const answer = await r.call("POST", "/register", registerBody);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.validators_manager_signature, null);
    assert.equal(answer.body.validators.length, 2);
    assert.equal((await post(1n)).status, 200);
    assert.equal((await post(1n)).status, 200, "a repeated post is accepted, the first share kept");
    const listed = (await r.call("GET", "/validators")).body.validators;
    assert.deepEqual(listed[0].share_indexes_ready, [1]);
    assert.deepEqual(listed[0].share_indexes_missing, [2, 3, 4]);
    assert.equal(listed[0].is_signatures_ready, false);
  });

  it("rejects a wrong share (400, naming validator and index), stores nothing of that request", async () => {
    const bad = obolValidators.map((v, i) => sidecarShare(NETWORK, v, 2n, job(i)));
    bad[1] = {
      ...bad[1],
      exit_signature: sidecarShare(NETWORK, obolValidators[1] as never, 2n, job(7)).exit_signature,
    } as never;
    const answer = await r.call("POST", "/signatures", { share_index: 2, shares: bad });
    assert.equal(answer.status, 400);
    assert.match(
      answer.body.detail,
      new RegExp(
        `validator ${obolValidators[1]?.publicKey} share 2: the exit signature share does not verify`,
      ),
    );
    const listed = (await r.call("GET", "/validators")).body.validators;
    assert.deepEqual(
      listed[0].share_indexes_ready,
      [1],
      "the good item of the refused request is not stored either",
    );
    assert.match(
      await r.metrics.registry.metrics(),
      /signature_shares_rejected_total\{reason="bad_signature",network="[a-z]+"\} 1/,
    );
  });

  it("keeps every share across a restart on the same SQLite file", async () => {
    await store.close();
    store = openSqliteRelayerStore({ file: sqliteFile, network: NETWORK.name });
    r = relayer({ protocol: "v4", store, source });
    const listed = (await r.call("GET", "/validators")).body.validators;
    assert.deepEqual(
      listed.map((v: { share_indexes_ready: number[] }) => v.share_indexes_ready),
      [[1], [1]],
    );
  });

  it("recovers from 3 of 4 (index 2 never sent), verifies, re-shares for the oracles and signs as manager", async () => {
    assert.equal((await post(3n)).status, 200);
    assert.equal((await post(4n)).status, 200);
    const answer = await r.call("POST", "/register", registerBody);
    for (const [i, item] of answer.body.validators.entries()) {
      const v = obolValidators[i];
      assert.equal(item.public_key, v?.publicKey);
      assert.ok(oraclesRecover(item.public_key, 100 + i, item.oracles_exit_signature_shares));
      assert.equal(item.oracles_exit_signature_shares.public_keys.length, ORACLES.length);
    }
    const signature = answer.body.validators_manager_signature as Hex;
    const message = await managerMessage(
      {
        kind: "register",
        vault: VAULT,
        type: "0x01",
        items: answer.body.validators.map((v: { public_key: Hex; deposit_signature: Hex }) => ({
          publicKey: v.public_key,
          amountGwei: 32_000_000_000,
          depositSignature: v.deposit_signature,
        })),
      },
      chain,
    );
    const signer = await recoverTypedDataAddress({
      ...vaultValidatorsTypedData(vaultValidatorsDomain(NETWORK.chainId, VAULT), message),
      signature,
    });
    assert.equal(signer, MANAGER.address);
    assert.equal((await r.call("GET", "/validators")).body.validators[0].is_signatures_ready, true);
  });

  it("resets a record whose validator index changed", async () => {
    const answer = await r.call("POST", "/register", { ...registerBody, validators_start_index: 200 });
    assert.equal(answer.body.validators[0].exit_signature, null);
    assert.deepEqual((await r.call("GET", "/validators")).body.validators[0].share_indexes_ready, []);
  });

  it("signs fund, withdraw and consolidate requests", async () => {
    const keys = obolValidators.map((v) => v.publicKey);
    for (const [url, body] of [
      ["/fund", { vault: VAULT, public_keys: keys, amounts: [1_000_000_000, 2_000_000_000] }],
      ["/withdraw", { vault: VAULT, public_keys: keys, amounts: [0, 1] }],
      ["/consolidate", { vault: VAULT, source_public_keys: keys, target_public_keys: keys.toReversed() }],
    ] as const) {
      const answer = await r.call("POST", url, body);
      assert.equal(answer.status, 200, url);
      assert.match(answer.body.validators_manager_signature, /^0x[0-9a-f]{130}$/);
    }
  });

  it("refuses bad input with one line and stores nothing", async () => {
    const good = sidecarShare(NETWORK, obolValidators[0] as never, 1n, job(0));
    const cases: [unknown, number, RegExp][] = [
      [
        { share_index: 5, shares: [good] },
        400,
        /share index 5 is not in the cluster of validator 0x[0-9a-f]+ \(its share indexes: 1, 2, 3, 4\)/,
      ],
      [
        { share_index: 1, shares: [{ ...good, exit_signature: "0x1234" }] },
        422,
        /shares\.0\.exit_signature: a signature must be 96 bytes/,
      ],
      [
        { share_index: 1, shares: [{ ...good, public_key: `0x${"77".repeat(48)}` }] },
        400,
        /is not one the relayer was asked to sign/,
      ],
      [{ share_index: -1, shares: [good] }, 422, /share_index/],
      [{ share_index: 1, shares: [] }, 422, /shares/],
    ];
    for (const [body, status, detail] of cases) {
      const answer = await r.call("POST", "/signatures", body);
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.match(answer.body.detail, detail);
    }
    assert.equal((await r.call("POST", "/register", { ...registerBody, vault: "0x12" })).status, 422);
    assert.deepEqual((await r.call("GET", "/validators")).body.validators[0].share_indexes_ready, []);
    await store.close();
  });
});

describe("relayer API, legacy generation, SSV cluster (operator ids, sidecar public key shares), PostgreSQL", async () => {
  const schema = await temporarySchema();
  after(() => schema.drop());
  const open = () =>
    openPostgresRelayerStore({ url: RELAYER_TEST_DB_URL, network: NETWORK.name, schema: schema.schema });
  let store = await open();
  after(() => store.close());
  let r = relayer({ protocol: "legacy", store });
  const [v] = ssvValidators as [(typeof ssvValidators)[0]];
  const post = (x: bigint, body = sidecarShare(NETWORK, v, x, { validatorIndex: 500 })) =>
    r.call("POST", "/exit-signature", { share_index: Number(x), shares: [body] });

  it("recovers from operator-id shares across a restart, one wrong share refused", async () => {
    const first = await r.call("POST", "/validators", { public_keys: [v.publicKey] });
    assert.deepEqual(first.body, {
      ready: false,
      validators: [{ public_key: v.publicKey, oracles_exit_signature_shares: null }],
    });
    // Legacy sidecars send no public key shares: with no trusted source, the relayer cannot check them.
    const bare = await r.call("POST", "/exit-signature", {
      share_index: 17,
      shares: [
        {
          public_key: v.publicKey,
          exit_signature: sidecarShare(NETWORK, v, 17n, { validatorIndex: 500 }).exit_signature,
        },
      ],
    });
    assert.equal(bare.status, 400);
    assert.match(bare.body.detail, /no public_key_shares sent/);
    const forged = sidecarShare(NETWORK, v, SSV[1] as bigint, { validatorIndex: 500 });
    forged.public_key_shares[0] = {
      ...forged.public_key_shares[0],
      public_key_share: forged.public_key_shares[1]?.public_key_share,
    } as never;
    const refused = await post(SSV[1] as bigint, forged);
    assert.equal(refused.status, 400);
    assert.match(refused.body.detail, /do not combine to the validator key/);
    assert.equal((await post(SSV[0] as bigint)).status, 200);
    await store.close();
    store = await open();
    r = relayer({ protocol: "legacy", store });
    const exits = (await r.call("GET", "/exits")).body.exits;
    assert.deepEqual(exits[0].share_indexes_ready, [17]);
    // The public key shares accepted before the restart were kept: the missing indexes are known.
    assert.deepEqual(exits[0].share_indexes_missing, [42, 108, 2 ** 33 + 5]);
    const wrong = sidecarShare(NETWORK, v, SSV[1] as bigint, { validatorIndex: 501 });
    assert.equal((await post(SSV[1] as bigint, wrong)).status, 400);
    assert.equal((await post(SSV[2] as bigint)).status, 200);
    assert.equal((await post(SSV[3] as bigint)).status, 200);
    const done = await r.call("POST", "/validators", { public_keys: [v.publicKey] });
    assert.equal(done.body.ready, true);
    assert.ok(oraclesRecover(v.publicKey, 500, done.body.validators[0].oracles_exit_signature_shares));
  });
});

describe("key material", () => {
  it("no validator key or key share appears in logs, HTTP bodies or database rows", async () => {
    const secrets = [...obolValidators, ...ssvValidators]
      .flatMap((v) => [v.secretKey, ...v.shareSecrets.values()])
      .map(toHex);
    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(sqliteFile);
    const rows = ["validators", "signature_shares", "registered_keys", "checkpoints"].map((t) =>
      JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all()),
    );
    db.close();
    const haystack = [...seen, ...rows].join("\n").toLowerCase();
    assert.ok(haystack.length > 10_000);
    for (const secret of secrets) assert.equal(haystack.includes(secret), false);
  });
});
