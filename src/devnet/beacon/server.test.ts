import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  bytesOf,
  createManualSimClock,
  ETH,
  type ManualSimClock,
  signedExitJson,
  TEST_GENESIS_TIME,
  TEST_NETWORK,
  testKeys,
} from "../../../test/support/beacon-fixtures.ts";
import {
  createMemoryDepositSource,
  type MemoryDeposit,
  type MemoryDepositSource,
} from "../../../test/support/memory-deposit-source.ts";
import { computeDepositDomain, computeDomain, DOMAIN_VOLUNTARY_EXIT } from "../../crypto/signing.ts";
import { buildDepositDatum } from "../../keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { type BeaconState, createBeaconState } from "./beacon-state.ts";
import { rootOf } from "./ids.ts";
import { type BeaconServer, startBeaconServer } from "./server.ts";

const VAULT = "0x8A94e1d22D83990205843cda08376d16F150c9bb";
const KEYS = testKeys(4);
const key = (i: number) => {
  const k = KEYS[i];
  assert.ok(k);
  return k;
};
const pubkeyHex = (i: number) => toPrefixedHex(key(i).publicKey);

function deposit(i: number): MemoryDeposit {
  const datum = buildDepositDatum({
    secretKey: key(i).secretKey,
    publicKey: key(i).publicKey,
    withdrawalCredentials: vaultWithdrawalCredentials(VAULT),
    amountGwei: 32_000_000_000,
    genesisForkVersion: bytesOf(TEST_NETWORK.genesisForkVersion),
    networkName: "devnet",
  });
  return {
    pubkey: bytesOf(datum.pubkey),
    withdrawalCredentials: bytesOf(datum.withdrawal_credentials),
    amountGwei: 32n * ETH,
    signature: bytesOf(datum.signature),
  };
}

/** Response JSON, walked freely by the assertions, which check every value they read. */
// biome-ignore lint/suspicious/noExplicitAny: assertions check every value they read from the body
type Json = any;

/** The `index` of every validator in a validators response. */
const indexesOf = (body: Json): string[] => (body.data as Array<{ index: string }>).map((v) => v.index);

interface Harness {
  clock: ManualSimClock;
  source: MemoryDepositSource;
  state: BeaconState;
  server: BeaconServer;
  toSlot(slot: number): void;
  get(path: string): Promise<{ status: number; body: Json; headers: Headers }>;
  post(path: string, body: unknown): Promise<{ status: number; body: Json }>;
}

async function harness(): Promise<Harness> {
  const clock = createManualSimClock(TEST_GENESIS_TIME * 1000);
  const source = createMemoryDepositSource({ startTimestamp: BigInt(TEST_GENESIS_TIME) });
  const state = createBeaconState({
    network: TEST_NETWORK,
    depositSource: source,
    genesisTime: TEST_GENESIS_TIME,
    clock,
  });
  const server = await startBeaconServer({ state, slowMs: 150 });
  const read = async (response: Response) => {
    const text = await response.text();
    return text === "" ? undefined : JSON.parse(text);
  };
  return {
    clock,
    source,
    state,
    server,
    toSlot: (slot) => clock.set((TEST_GENESIS_TIME + slot * TEST_NETWORK.secondsPerSlot) * 1000),
    async get(path) {
      const response = await fetch(`${server.url}${path}`);
      return { status: response.status, body: await read(response), headers: response.headers };
    },
    async post(path, body) {
      const response = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: response.status, body: await read(response) };
    },
  };
}

describe("beacon server: node, config and chain endpoints", () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    h.source.deposit(deposit(0));
    await h.state.sync();
    h.toSlot(13);
    h.source.mine();
    await h.state.sync();
  });
  after(() => h.server.close());

  it("binds 127.0.0.1 only", async () => {
    assert.match(h.server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await assert.rejects(startBeaconServer({ state: h.state, host: "0.0.0.0" }), /loopback only/);
  });

  it("serves genesis, spec and deposit contract as decimal strings", async () => {
    assert.deepEqual((await h.get("/eth/v1/beacon/genesis")).body, {
      data: {
        genesis_time: String(TEST_GENESIS_TIME),
        genesis_validators_root: TEST_NETWORK.genesisValidatorsRoot,
        genesis_fork_version: TEST_NETWORK.genesisForkVersion,
      },
    });
    const spec = (await h.get("/eth/v1/config/spec")).body.data;
    for (const value of Object.values(spec)) assert.equal(typeof value, "string");
    assert.equal(spec.SLOTS_PER_EPOCH, "4");
    assert.equal(spec.SECONDS_PER_SLOT, "2");
    assert.equal(spec.CAPELLA_FORK_VERSION, "0x40000910");
    assert.equal(spec.CAPELLA_FORK_EPOCH, "0");
    assert.equal(spec.GENESIS_FORK_VERSION, "0x10000910");
    assert.equal(spec.DEPOSIT_CONTRACT_ADDRESS, "0x4242424242424242424242424242424242424242");
    assert.equal(spec.DEPOSIT_CHAIN_ID, "31337");
    assert.equal(spec.SHARD_COMMITTEE_PERIOD, "0");
    assert.deepEqual((await h.get("/eth/v1/config/deposit_contract")).body, {
      data: { chain_id: "31337", address: "0x4242424242424242424242424242424242424242" },
    });
  });

  it("serves node syncing, version and health", async () => {
    assert.deepEqual((await h.get("/eth/v1/node/syncing")).body, {
      data: {
        head_slot: "13",
        sync_distance: "0",
        is_syncing: false,
        is_optimistic: false,
        el_offline: false,
      },
    });
    assert.match(String((await h.get("/eth/v1/node/version")).body.data.version), /^BeaconSimulator\//);
    const health = await h.get("/eth/v1/node/health");
    assert.equal(health.status, 200);
    assert.equal(health.body, undefined);
    assert.equal((await h.get("/eth/v1/node/health?syncing_status=abc")).status, 400);
  });

  it("serves fork and finality checkpoints with execution_optimistic / finalized", async () => {
    assert.deepEqual((await h.get("/eth/v1/beacon/states/head/fork")).body, {
      execution_optimistic: false,
      finalized: false,
      data: { previous_version: "0x10000910", current_version: "0x40000910", epoch: "0" },
    });
    assert.deepEqual((await h.get("/eth/v1/beacon/states/head/finality_checkpoints")).body, {
      execution_optimistic: false,
      finalized: false,
      data: {
        previous_justified: { epoch: "1", root: rootOf("block", 4) },
        current_justified: { epoch: "2", root: rootOf("block", 8) },
        finalized: { epoch: "1", root: rootOf("block", 4) },
      },
    });
    assert.equal((await h.get("/eth/v1/beacon/states/finalized/fork")).body.finalized, true);
  });

  it("maps head and finalized blocks to the execution blocks followed", async () => {
    const head = await h.get("/eth/v2/beacon/blocks/head");
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("eth-consensus-version"), "capella");
    assert.equal(head.body.version, "capella");
    assert.equal(head.body.finalized, false);
    assert.equal(head.body.data.message.slot, "13");
    const payload = head.body.data.message.body.execution_payload;
    assert.equal(payload.block_number, "2");
    assert.equal(payload.timestamp, String(TEST_GENESIS_TIME + 24));
    assert.match(String(payload.block_hash), /^0x[0-9a-f]{64}$/);
    assert.equal(head.body.data.message.body.eth1_data.deposit_count, "1");

    const finalized = await h.get("/eth/v2/beacon/blocks/finalized");
    assert.equal(finalized.body.finalized, true);
    assert.equal(finalized.body.data.message.slot, "4");
    assert.equal(finalized.body.data.message.body.execution_payload.block_number, "1");

    const byRoot = await h.get(`/eth/v2/beacon/blocks/${rootOf("block", 4)}`);
    assert.equal(byRoot.body.data.message.slot, "4");
    assert.equal((await h.get("/eth/v2/beacon/blocks/14")).status, 404);
    assert.deepEqual((await h.get("/eth/v2/beacon/blocks/current")).body, {
      code: 400,
      message: "Invalid block ID: current",
    });
    assert.equal((await h.get(`/eth/v2/beacon/blocks/0x${"ab".repeat(32)}`)).status, 404);
  });

  it("answers unknown routes with a Beacon API error body", async () => {
    assert.deepEqual(Object.keys((await h.get("/eth/v1/nope")).body), ["code", "message"]);
  });
});

describe("beacon server: validators", () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    h.toSlot(1);
    for (const i of [0, 1, 2]) h.source.deposit(deposit(i));
    await h.state.sync();
    h.toSlot(13);
  });
  after(() => h.server.close());

  it("lists validators in the Beacon API shape", async () => {
    const response = await h.get("/eth/v1/beacon/states/head/validators");
    assert.equal(response.status, 200);
    assert.equal(response.body.execution_optimistic, false);
    assert.equal(response.body.finalized, false);
    assert.deepEqual(response.body.data[0], {
      index: "0",
      balance: "32000000000",
      status: "active_ongoing",
      validator: {
        pubkey: pubkeyHex(0),
        withdrawal_credentials: toPrefixedHex(vaultWithdrawalCredentials(VAULT)),
        effective_balance: "32000000000",
        slashed: false,
        activation_eligibility_epoch: "1",
        activation_epoch: "3",
        exit_epoch: "18446744073709551615",
        withdrawable_epoch: "18446744073709551615",
      },
    });
    assert.deepEqual(indexesOf(response.body), ["0", "1", "2"]);
  });

  it("filters by repeated or comma-separated ids (indexes or pubkeys) and by status", async () => {
    const ids = async (query: string) =>
      indexesOf((await h.get(`/eth/v1/beacon/states/head/validators?${query}`)).body);
    assert.deepEqual(await ids(`id=2&id=${pubkeyHex(0)}`), ["0", "2"]);
    assert.deepEqual(await ids(`id=1,${pubkeyHex(2).toUpperCase().replace("0X", "0x")},99`), ["1", "2"]);
    assert.deepEqual(await ids("status=active"), ["0", "1", "2"]);
    assert.deepEqual(await ids("status=pending_queued,exited"), []);
    assert.deepEqual(await ids("id=0&status=active_ongoing"), ["0"]);
    // The genesis state has none; at slot 4 they were pending_queued.
    assert.deepEqual((await h.get("/eth/v1/beacon/states/genesis/validators")).body.data, []);
    const atFour = await h.get("/eth/v1/beacon/states/4/validators?id=0");
    assert.equal(atFour.body.data[0].status, "pending_queued");
    const byRoot = await h.get(`/eth/v1/beacon/states/${rootOf("state", 4)}/validators?id=0`);
    assert.equal(byRoot.body.data[0].status, "pending_queued");
  });

  it("serves the POST form with ids and statuses", async () => {
    const response = await h.post("/eth/v1/beacon/states/head/validators", {
      ids: ["1", pubkeyHex(2)],
      statuses: ["active"],
    });
    assert.deepEqual(indexesOf(response.body), ["1", "2"]);
    assert.equal(
      (await h.post("/eth/v1/beacon/states/head/validators", { ids: null, statuses: null })).body.data.length,
      3,
    );
    assert.equal((await h.post("/eth/v1/beacon/states/head/validators", { ids: [1] })).status, 400);
    assert.equal((await h.post("/eth/v1/beacon/states/head/validators", "[]")).status, 400);
  });

  it("serves one validator; unknown is 404, malformed is 400", async () => {
    const one = await h.get(`/eth/v1/beacon/states/head/validators/${pubkeyHex(1)}`);
    assert.equal(one.body.data.index, "1");
    assert.equal(one.body.finalized, false);
    assert.deepEqual((await h.get("/eth/v1/beacon/states/head/validators/7")).body, {
      code: 404,
      message: "Validator not found",
    });
    assert.equal((await h.get(`/eth/v1/beacon/states/head/validators/0x${"ab".repeat(48)}`)).status, 404);
    assert.equal((await h.get("/eth/v1/beacon/states/head/validators/abc")).status, 400);
  });

  it("rejects bad ids, statuses and states like the spec says", async () => {
    assert.equal((await h.get("/eth/v1/beacon/states/head/validators?id=0xabc")).status, 400);
    assert.equal((await h.get("/eth/v1/beacon/states/head/validators?status=alive")).status, 400);
    const many = Array.from({ length: 65 }, (_, i) => String(i)).join(",");
    assert.equal((await h.get(`/eth/v1/beacon/states/head/validators?id=${many}`)).status, 414);
    assert.deepEqual((await h.get("/eth/v1/beacon/states/current/validators")).body, {
      code: 400,
      message: "Invalid state ID: current",
    });
    assert.deepEqual((await h.get("/eth/v1/beacon/states/14/validators")).body, {
      code: 404,
      message: "State not found",
    });
  });
});

describe("beacon server: voluntary exits", () => {
  let h: Harness;
  const EXITS = "/eth/v1/beacon/pool/voluntary_exits";
  before(async () => {
    h = await harness();
    for (const i of [0, 1, 2]) h.source.deposit(deposit(i));
    await h.state.sync();
    h.toSlot(12); // epoch 3: validators 0-2 active since epoch 2
    h.source.deposit(deposit(3));
    await h.state.sync();
  });
  after(() => h.server.close());

  it("accepts a valid exit, lists it in the pool, then the validator exits", async () => {
    const exit = signedExitJson(key(0).secretKey, 3, 0);
    const response = await h.post(EXITS, exit);
    assert.equal(response.status, 200);
    assert.equal(response.body, undefined);
    assert.deepEqual((await h.get(EXITS)).body, { data: [exit] });
    // A repeat while it waits in the pool is accepted and ignored.
    assert.equal((await h.post(EXITS, exit)).status, 200);
    assert.equal((await h.get(EXITS)).body.data.length, 1);
    assert.equal((await h.get("/eth/v1/beacon/states/head/validators/0")).body.data.status, "active_ongoing");

    h.toSlot(13); // included in the block of slot 13
    assert.deepEqual((await h.get(EXITS)).body, { data: [] });
    assert.deepEqual((await h.get("/eth/v2/beacon/blocks/13")).body.data.message.body.voluntary_exits, [
      exit,
    ]);
    const exiting = (await h.get("/eth/v1/beacon/states/head/validators/0")).body.data;
    assert.equal(exiting.status, "active_exiting");
    // exit_epoch: first epoch boundary at or after slot 13 + 5 epochs (20 slots) = slot 33 → epoch 9.
    assert.equal(exiting.validator.exit_epoch, "9");
    assert.equal(exiting.validator.withdrawable_epoch, "265");
    h.toSlot(36);
    assert.equal(
      (await h.get("/eth/v1/beacon/states/head/validators/0")).body.data.status,
      "exited_unslashed",
    );
    assert.deepEqual(indexesOf((await h.get("/eth/v1/beacon/states/head/validators?status=exited")).body), [
      "0",
    ]);

    const again = await h.post(EXITS, signedExitJson(key(0).secretKey, 9, 0));
    assert.equal(again.status, 400);
    assert.match(String(again.body.message), /already initiated/);
  });

  it("rejects exits signed under another domain", async () => {
    h.toSlot(12);
    const gvr = bytesOf(TEST_NETWORK.genesisValidatorsRoot);
    const domains = {
      "genesis fork version": computeDomain(
        DOMAIN_VOLUNTARY_EXIT,
        bytesOf(TEST_NETWORK.genesisForkVersion),
        gvr,
      ),
      "deposit domain": computeDepositDomain(bytesOf(TEST_NETWORK.genesisForkVersion)),
      "zero genesis validators root": computeDomain(
        DOMAIN_VOLUNTARY_EXIT,
        bytesOf(TEST_NETWORK.capellaForkVersion),
      ),
    };
    for (const [name, domain] of Object.entries(domains)) {
      const response = await h.post(EXITS, signedExitJson(key(1).secretKey, 3, 1, domain));
      assert.equal(response.status, 400, name);
      assert.equal(response.body.code, 400);
      assert.match(String(response.body.message), /signature/);
    }
  });

  it("rejects an exit signed by another key, for an unknown validator, or not yet active", async () => {
    h.toSlot(12);
    const wrongKey = await h.post(EXITS, signedExitJson(key(2).secretKey, 3, 1));
    assert.deepEqual(Object.keys(wrongKey.body), ["code", "message"]);
    assert.equal(wrongKey.status, 400);
    const unknown = await h.post(EXITS, signedExitJson(key(1).secretKey, 3, 99));
    assert.equal(unknown.status, 400);
    assert.match(String(unknown.body.message), /unknown validator/);
    const pending = await h.post(EXITS, signedExitJson(key(3).secretKey, 3, 3));
    assert.equal(pending.status, 400);
    assert.match(String(pending.body.message), /not active/);
  });

  it("rejects an exit for a future epoch and malformed bodies", async () => {
    h.toSlot(12);
    const future = await h.post(EXITS, signedExitJson(key(1).secretKey, 4, 1));
    assert.equal(future.status, 400);
    assert.match(String(future.body.message), /after the current epoch/);
    const valid = signedExitJson(key(1).secretKey, 3, 1);
    const malformed = [
      { ...valid, signature: "0x1234" },
      { ...valid, message: { epoch: 3, validator_index: "1" } },
      { signature: valid.signature },
      [valid],
    ];
    for (const body of malformed) assert.equal((await h.post(EXITS, body)).status, 400, JSON.stringify(body));
    assert.deepEqual(Object.keys((await h.post(EXITS, "{not json")).body), ["code", "message"]);
    assert.equal((await h.post(EXITS, "{not json")).status, 400);
    assert.equal((await h.post(EXITS, valid)).status, 200);
  });
});

describe("beacon server: SHARD_COMMITTEE_PERIOD", () => {
  it("refuses exits of validators not yet active for the period, and reports it in the spec", async () => {
    const clock = createManualSimClock(TEST_GENESIS_TIME * 1000);
    const source = createMemoryDepositSource();
    const state = createBeaconState({
      network: TEST_NETWORK,
      depositSource: source,
      genesisTime: TEST_GENESIS_TIME,
      clock,
      shardCommitteePeriodEpochs: 4,
    });
    const server = await startBeaconServer({ state });
    try {
      source.deposit(deposit(0));
      await state.sync();
      const post = (epoch: number) =>
        fetch(`${server.url}/eth/v1/beacon/pool/voluntary_exits`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(signedExitJson(key(0).secretKey, epoch, 0)),
        });
      clock.set((TEST_GENESIS_TIME + 5 * 4 * 2) * 1000); // epoch 5: active since epoch 2
      const early = await post(5);
      assert.equal(early.status, 400);
      assert.match(((await early.json()) as { message: string }).message, /SHARD_COMMITTEE_PERIOD/);
      clock.set((TEST_GENESIS_TIME + 6 * 4 * 2) * 1000); // epoch 6
      assert.equal((await post(6)).status, 200);
      const spec = (await (await fetch(`${server.url}/eth/v1/config/spec`)).json()) as {
        data: Record<string, string>;
      };
      assert.equal(spec.data.SHARD_COMMITTEE_PERIOD, "4");
    } finally {
      await server.close();
    }
  });
});

describe("beacon server: faults", () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.server.close());

  it("answers 503 for the faulty kind only, until cleared", async () => {
    h.server.setFault("down", "validators");
    const down = await h.get("/eth/v1/beacon/states/head/validators");
    assert.equal(down.status, 503);
    assert.equal(down.body.code, 503);
    assert.equal((await h.get("/eth/v1/beacon/genesis")).status, 200);
    h.server.setFault(null, "validators");
    assert.equal((await h.get("/eth/v1/beacon/states/head/validators")).status, 200);
  });

  it("drops connections, answers slowly, and reports syncing", async () => {
    h.server.setFault("refuse");
    await assert.rejects(fetch(`${h.server.url}/eth/v1/node/version`), TypeError);
    h.server.setFault("slow", "blocks");
    h.server.setFault(null);
    const started = performance.now();
    assert.equal((await h.get("/eth/v2/beacon/blocks/head")).status, 200);
    assert.ok(performance.now() - started >= 140);
    h.server.setFault(null, "blocks");

    h.server.setFault("syncing", "node");
    h.toSlot(10);
    assert.deepEqual((await h.get("/eth/v1/node/syncing")).body.data, {
      head_slot: "6",
      sync_distance: "4",
      is_syncing: true,
      is_optimistic: false,
      el_offline: false,
    });
    assert.equal((await h.get("/eth/v1/node/health")).status, 206);
    assert.equal((await h.get("/eth/v1/node/health?syncing_status=503")).status, 503);
    assert.equal((await h.get("/eth/v1/beacon/genesis")).status, 200);
    h.server.setFault(null, "node");
    assert.equal((await h.get("/eth/v1/node/health")).status, 200);
  });

  it("reports el_offline when the execution node cannot be reached", async () => {
    h.source.failWith(new Error("ECONNREFUSED"));
    await assert.rejects(h.state.sync());
    assert.equal((await h.get("/eth/v1/node/syncing")).body.data.el_offline, true);
    h.source.failWith(null);
    await h.state.sync();
    assert.equal((await h.get("/eth/v1/node/syncing")).body.data.el_offline, false);
  });

  it("closes when its signal aborts", async () => {
    const controller = new AbortController();
    const server = await startBeaconServer({ state: h.state, signal: controller.signal });
    assert.equal((await fetch(`${server.url}/eth/v1/node/version`)).status, 200);
    controller.abort();
    await server.close();
    await assert.rejects(fetch(`${server.url}/eth/v1/node/version`), TypeError);
  });
});
