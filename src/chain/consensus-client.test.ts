import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type RecordedRequest,
  type ScriptedAnswer,
  startScriptedServer,
  startWebServer,
  unusedUrl,
} from "../../test/support/scripted-server.ts";
import { resolveNetwork } from "../config/networks.ts";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { EndpointRequestError } from "../lib/http/errors.ts";
import { checkConsensusEndpoints, createConsensusClient } from "./consensus-client.ts";
import { FAR_FUTURE_EPOCH } from "./consensus-dto.ts";

const PUBKEY = `0x${"ab".repeat(48)}` as const;

function validatorJson(index: number) {
  return {
    index: String(index),
    balance: "32000000000",
    status: "active_ongoing",
    validator: {
      pubkey: PUBKEY,
      withdrawal_credentials: `0x01${"00".repeat(11)}${"CD".repeat(20)}`,
      effective_balance: "32000000000",
      slashed: false,
      activation_eligibility_epoch: "0",
      activation_epoch: "1",
      exit_epoch: FAR_FUTURE_EPOCH.toString(),
      withdrawable_epoch: FAR_FUTURE_EPOCH.toString(),
    },
  };
}

/** A beacon node double answering validators by index: ids are decimal indexes. */
function beaconNode(options: { postValidators?: boolean } = {}) {
  return startScriptedServer((request: RecordedRequest): ScriptedAnswer => {
    const [path = "", query = ""] = request.url.split("?");
    if (path === "/eth/v1/beacon/states/head/validators") {
      if (request.method === "POST") {
        if (options.postValidators === false)
          return { status: 405, json: { code: 405, message: "Method Not Allowed" } };
        const { ids } = JSON.parse(request.body) as { ids: string[] };
        return { json: { data: ids.map((id) => validatorJson(Number(id))) } };
      }
      const ids = (new URLSearchParams(query).get("id") ?? "").split(",");
      return { json: { data: ids.map((id) => validatorJson(Number(id))) } };
    }
    if (path === "/eth/v2/beacon/blocks/finalized") {
      return {
        json: {
          version: "deneb",
          data: {
            message: {
              slot: "320",
              body: {
                execution_payload: {
                  block_number: "1234567",
                  block_hash: `0x${"EF".repeat(32)}`,
                  timestamp: "1700000000",
                },
              },
            },
          },
        },
      };
    }
    if (path === "/eth/v2/beacon/blocks/0") {
      return { json: { version: "phase0", data: { message: { slot: "0", body: {} } } } };
    }
    if (path === "/eth/v1/node/syncing") {
      return { json: { data: { head_slot: "100", sync_distance: "0", is_syncing: false } } };
    }
    if (path === "/eth/v1/config/spec") {
      return {
        json: { data: { SLOTS_PER_EPOCH: "32", SECONDS_PER_SLOT: "12", BLOB_SCHEDULE: [{ EPOCH: "1" }] } },
      };
    }
    if (path === "/eth/v1/beacon/pool/voluntary_exits") return { status: 200 };
    const queue = QUEUES[path];
    if (queue)
      return { json: { version: "electra", execution_optimistic: false, finalized: false, data: queue } };
    return { status: 404, json: { code: 404, message: "not found" } };
  });
}

/** The state queues of an Electra beacon node, as the Beacon API writes them (numbers as strings). */
const QUEUES: Record<string, unknown[]> = {
  "/eth/v1/beacon/states/head/pending_deposits": [
    {
      pubkey: PUBKEY,
      withdrawal_credentials: `0x02${"00".repeat(11)}${"CD".repeat(20)}`,
      amount: "50000000000",
      signature: `0x${"00".repeat(96)}`,
      slot: "1234",
    },
  ],
  "/eth/v1/beacon/states/77/pending_partial_withdrawals": [
    { validator_index: "7", amount: "18000000000", withdrawable_epoch: "900" },
  ],
  "/eth/v1/beacon/states/head/pending_consolidations": [{ source_index: "3", target_index: "7" }],
  "/eth/v1/beacon/states/finalized/pending_deposits": [{ pubkey: PUBKEY, amount: "-1" }],
};

describe("createConsensusClient", () => {
  let post: Awaited<ReturnType<typeof beaconNode>>;
  let getOnly: Awaited<ReturnType<typeof beaconNode>>;
  before(async () => {
    [post, getOnly] = await Promise.all([beaconNode(), beaconNode({ postValidators: false })]);
  });
  after(async () => {
    await Promise.all([post?.close(), getOnly?.close()]);
  });

  it("decodes validators: numbers, gwei and FAR_FUTURE epochs as bigints, lower-case hex", async () => {
    const client = createConsensusClient({ endpoints: [post.url] });
    const [v] = await client.getValidators([7]);
    assert.deepEqual(v, {
      index: 7,
      balanceGwei: 32_000_000_000n,
      status: "active_ongoing",
      pubkey: PUBKEY,
      withdrawalCredentials: `0x01${"00".repeat(11)}${"cd".repeat(20)}`,
      effectiveBalanceGwei: 32_000_000_000n,
      slashed: false,
      activationEligibilityEpoch: 0n,
      activationEpoch: 1n,
      exitEpoch: FAR_FUTURE_EPOCH,
      withdrawableEpoch: FAR_FUTURE_EPOCH,
    });
  });

  it("posts validator ids in chunks", async () => {
    post.requests.length = 0;
    const client = createConsensusClient({ endpoints: [post.url], validatorsPerRequest: 4 });
    const ids = Array.from({ length: 10 }, (_, i) => i);
    const validators = await client.getValidators(ids);
    assert.deepEqual(
      validators.map((v) => v.index),
      ids,
    );
    assert.deepEqual(
      post.requests.map((r) => [r.method, (JSON.parse(r.body) as { ids: string[] }).ids.length]),
      [
        ["POST", 4],
        ["POST", 4],
        ["POST", 2],
      ],
    );
  });

  it("asks with GET ?id=… when the node refuses the POST form, and remembers it", async () => {
    getOnly.requests.length = 0;
    const client = createConsensusClient({
      endpoints: [getOnly.url],
      validatorsPerRequest: 5,
      validatorsPerQuery: 2,
    });
    const validators = await client.getValidators([1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(
      validators.map((v) => v.index),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.deepEqual(
      getOnly.requests.map((r) => `${r.method} ${r.url.split("?")[1] ?? ""}`),
      ["POST ", "GET id=1,2", "GET id=3,4", "GET id=5", "GET id=6,7"],
    );
  });

  it("reads the finalized execution block and refuses a pre-merge block", async () => {
    const client = createConsensusClient({ endpoints: [post.url] });
    assert.deepEqual(await client.getExecutionBlock(), {
      slot: 320,
      blockNumber: 1_234_567n,
      blockHash: `0x${"ef".repeat(32)}`,
      timestamp: 1_700_000_000n,
    });
    await assert.rejects(client.getExecutionBlock(0), /no execution payload/);
  });

  it("keeps every spec value and types the ones it needs", async () => {
    const spec = await createConsensusClient({ endpoints: [post.url] }).getSpec();
    assert.equal(spec.slotsPerEpoch, 32);
    assert.equal(spec.secondsPerSlot, 12);
    assert.deepEqual(spec.values.BLOB_SCHEDULE, [{ EPOCH: "1" }]);
  });

  it("reads the state's pending deposits, partial withdrawals and consolidations", async () => {
    const client = createConsensusClient({ endpoints: [post.url] });
    assert.deepEqual(await client.getPendingDeposits(), [
      {
        pubkey: PUBKEY,
        withdrawalCredentials: `0x02${"00".repeat(11)}${"cd".repeat(20)}`,
        amountGwei: 50_000_000_000n,
        signature: `0x${"00".repeat(96)}`,
        slot: 1234,
      },
    ]);
    assert.deepEqual(await client.getPendingPartialWithdrawals(77), [
      { validatorIndex: 7, amountGwei: 18_000_000_000n, withdrawableEpoch: 900n },
    ]);
    assert.deepEqual(await client.getPendingConsolidations(), [{ sourceIndex: 3, targetIndex: 7 }]);
  });

  it("refuses a malformed pending deposit, naming the field", async () => {
    const client = createConsensusClient({ endpoints: [post.url] });
    await assert.rejects(client.getPendingDeposits("finalized"), (error: unknown) => {
      assert.ok(error instanceof EndpointRequestError);
      assert.equal(error.kind, "invalid-response");
      assert.match(error.message, /pending_deposits unexpectedly: field "data.0.withdrawal_credentials"/);
      return true;
    });
  });

  it("submits a voluntary exit in Beacon API JSON", async () => {
    post.requests.length = 0;
    const signature = `0x${"AA".repeat(96)}` as const;
    await createConsensusClient({ endpoints: [post.url] }).submitVoluntaryExit({
      epoch: 10n,
      validatorIndex: 7,
      signature,
    });
    assert.equal(post.requests[0]?.method, "POST");
    assert.deepEqual(JSON.parse(post.requests[0]?.body ?? ""), {
      message: { epoch: "10", validator_index: "7" },
      signature: signature.toLowerCase(),
    });
  });

  it("a malformed answer is an error of the node, and does not fail over", async () => {
    const bad = await startScriptedServer(() => ({
      json: { data: { head_slot: "-1", sync_distance: "0", is_syncing: false } },
    }));
    try {
      const client = createConsensusClient({ endpoints: [bad.url, post.url] });
      await assert.rejects(client.getSyncing(), (error: unknown) => {
        assert.ok(error instanceof EndpointRequestError);
        assert.equal(error.kind, "invalid-response");
        assert.match(error.message, /answered \/eth\/v1\/node\/syncing unexpectedly: field "data.head_slot"/);
        return true;
      });
    } finally {
      await bad.close();
    }
  });

  it("fails over on 429, not on 404", async () => {
    const limited = await startScriptedServer(() => ({
      status: 429,
      json: { code: 429, message: "too many" },
    }));
    try {
      const client = createConsensusClient({ endpoints: [limited.url, post.url] });
      assert.equal((await client.getSyncing()).headSlot, 100);
      await assert.rejects(client.getFinalityCheckpoints("head"), (error: unknown) => {
        assert.equal((error as EndpointRequestError).status, 404);
        return true;
      });
    } finally {
      await limited.close();
    }
  });
});

describe("checkConsensusEndpoints", () => {
  const network = resolveNetwork("hoodi", { devnetFile: "" });

  function node(overrides: {
    chainId?: string;
    address?: string;
    root?: string;
    syncing?: boolean;
    elOffline?: boolean;
  }) {
    return startScriptedServer((request) => {
      switch (request.url.replace(/^\/token/, "")) {
        case "/eth/v1/config/deposit_contract":
          return {
            json: {
              data: {
                chain_id: overrides.chainId ?? "560048",
                address: overrides.address ?? "0x00000000219ab540356cbb839cbe05303d7705fa",
              },
            },
          };
        case "/eth/v1/beacon/genesis":
          return {
            json: {
              data: {
                genesis_time: "1742213400",
                genesis_validators_root: overrides.root ?? network.genesisValidatorsRoot,
                genesis_fork_version: "0x10000910",
              },
            },
          };
        case "/eth/v1/node/syncing":
          return {
            json: {
              data: {
                head_slot: "1000",
                sync_distance: overrides.syncing ? "64" : "0",
                is_syncing: overrides.syncing ?? false,
                el_offline: overrides.elOffline ?? false,
              },
            },
          };
        case "/eth/v1/beacon/states/head/finality_checkpoints": {
          const cp = (epoch: number) => ({ epoch: String(epoch), root: `0x${"00".repeat(32)}` });
          return {
            json: { data: { previous_justified: cp(29), current_justified: cp(30), finalized: cp(29) } },
          };
        }
        default:
          return { status: 404, json: { code: 404, message: "not found" } };
      }
    });
  }

  it("reports syncing and EL-offline nodes and accepts a ready one", async () => {
    const nodes = await Promise.all([node({ syncing: true }), node({ elOffline: true }), node({})]);
    try {
      const statuses = await checkConsensusEndpoints(
        nodes.map((n) => n.url),
        network,
      );
      assert.deepEqual(
        statuses.map((s) => [s.healthy, s.problem]),
        [
          [false, "is syncing: 64 slots behind"],
          [false, "reports its execution client offline"],
          [true, undefined],
        ],
      );
      assert.equal(statuses[2]?.finalizedEpoch, 29);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });

  it("when no node is ready, says in one line which endpoint failed and why", async () => {
    const dead = await unusedUrl("/KEY");
    const web = await startWebServer();
    const syncing = await node({ syncing: true });
    const html = await startScriptedServer(() => ({ body: "<html><title>Welcome</title></html>" }));
    try {
      await assert.rejects(
        checkConsensusEndpoints([dead, web.url, syncing.url, html.url], network, { timeoutMs: 2_000 }),
        (error: unknown) => {
          assert.ok(error instanceof OperatorError);
          assert.equal(error.retryable, true);
          assert.equal(
            error.message,
            `no consensus endpoint is ready (${dead.replace("/KEY", "/***")} refused the connection; ` +
              `${web.url} is not a beacon node: it answered HTTP 404 to /eth/v1/config/deposit_contract; ` +
              `${syncing.url} is syncing: 64 slots behind; ` +
              `${html.url} is not a beacon node: it answered HTML to /eth/v1/config/deposit_contract)`,
          );
          assert.ok(!error.message.includes("\n"));
          return true;
        },
      );
    } finally {
      await Promise.all([web.close(), syncing.close(), html.close()]);
    }
  });

  it("a timeout says after how long", async () => {
    // The ready node must answer its three checks within the timeout even on a loaded CI machine.
    const silent = await startScriptedServer(() => ({ delayMs: 5_000, json: {} }));
    const ready = await node({});
    try {
      const [status] = await checkConsensusEndpoints([silent.url, ready.url], network, { timeoutMs: 800 });
      assert.equal(status?.problem, "timed out after 800 ms");
    } finally {
      await Promise.all([silent.close(), ready.close()]);
    }
  });

  it("refuses a node of another chain, deposit contract or genesis, naming it redacted", async () => {
    const cases: Array<[Parameters<typeof node>[0], RegExp]> = [
      [
        { chainId: "1" },
        /^consensus endpoint http:\/\/127\.0\.0\.1:\d+\/\*\*\* is on the wrong chain \(deposit contract chain id 1, not hoodi's 560048\): point it at a hoodi beacon node$/,
      ],
      [
        { address: `0x${"42".repeat(20)}` },
        /is on the wrong chain \(deposit contract 0x4242.*, not hoodi's 0x00000000219ab540356cBB839Cbe05303d7705Fa\)/,
      ],
      [
        { root: `0x${"11".repeat(32)}` },
        /is on the wrong chain \(genesis validators root 0x1111.*, not hoodi's 0x212f/,
      ],
    ];
    for (const [overrides, message] of cases) {
      const wrong = await node(overrides);
      try {
        await assert.rejects(checkConsensusEndpoints([`${wrong.url}/token`], network), (error: unknown) => {
          assert.ok(error instanceof UserInputError);
          assert.match(error.message, message);
          return true;
        });
      } finally {
        await wrong.close();
      }
    }
  });
});
