import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { HttpRequestError, RpcRequestError, TimeoutError } from "viem";
import { type NetworkConfig, resolveNetwork } from "../config/networks.ts";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { checkExecutionEndpoints, createExecutionClient, isRetryableRpcError } from "./execution-client.ts";
import { type ScriptedAnswer, type ScriptedServer, startScriptedServer, unusedUrl } from "./test-fixtures.ts";

const network: NetworkConfig = {
  ...resolveNetwork("hoodi", { devnetFile: "" }),
  name: "devnet",
  chainId: 31337,
  secondsPerSlot: 1,
};

type Node = Record<string, unknown | ((params: unknown) => ScriptedAnswer)>;

/** A JSON-RPC node double: `results[method]` is the result, or a function giving the whole answer. */
function rpcNode(results: Node): Promise<ScriptedServer> {
  return startScriptedServer((request) => {
    const { id, method, params } = JSON.parse(request.body) as {
      id: number;
      method: string;
      params: unknown;
    };
    const entry = results[method];
    if (typeof entry === "function") {
      const answer = (entry as (params: unknown) => ScriptedAnswer)(params);
      return answer.json && typeof answer.json === "object"
        ? { ...answer, json: { jsonrpc: "2.0", id, ...answer.json } }
        : answer;
    }
    if (entry === undefined) {
      return { json: { jsonrpc: "2.0", id, error: { code: -32601, message: `method ${method} not found` } } };
    }
    return { json: { jsonrpc: "2.0", id, result: entry } };
  });
}

const healthy: Node = { eth_chainId: "0x7a69", eth_syncing: false, eth_blockNumber: "0x10" };

describe("isRetryableRpcError", () => {
  const url = "http://node";
  const body = { method: "eth_call" };
  it("retries network errors, timeouts, 408/429/5xx and rate limits", () => {
    assert.equal(isRetryableRpcError(new HttpRequestError({ url, cause: new Error("fetch failed") })), true);
    assert.equal(isRetryableRpcError(new TimeoutError({ body, url })), true);
    for (const status of [408, 429, 500, 503]) {
      assert.equal(isRetryableRpcError(new HttpRequestError({ url, status })), true, String(status));
    }
    const rateLimited = new RpcRequestError({
      body,
      url,
      error: { code: -32005, message: "limit exceeded" },
    });
    assert.equal(isRetryableRpcError(rateLimited), true);
    const wrapped = new Error("outer", { cause: new HttpRequestError({ url, status: 502 }) });
    assert.equal(isRetryableRpcError(wrapped), true);
  });

  it("does not retry reverts, 4xx answers, JSON-RPC errors or aborts", () => {
    for (const status of [400, 401, 403, 404]) {
      assert.equal(isRetryableRpcError(new HttpRequestError({ url, status })), false, String(status));
    }
    const revert = new RpcRequestError({
      body,
      url,
      error: { code: 3, message: "execution reverted", data: "0x" },
    });
    assert.equal(isRetryableRpcError(revert), false);
    const revertIn500 = new RpcRequestError({
      body,
      url,
      status: 500,
      error: { code: -32000, message: "execution reverted: nope" },
    });
    assert.equal(isRetryableRpcError(revertIn500), false);
    const invalid = new RpcRequestError({ body, url, error: { code: -32602, message: "invalid params" } });
    assert.equal(isRetryableRpcError(invalid), false);
    const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
    assert.equal(isRetryableRpcError(abort), false);
    assert.equal(isRetryableRpcError("text"), false);
  });
});

describe("createExecutionClient", () => {
  let down: ScriptedServer;
  let limited: ScriptedServer;
  let good: ScriptedServer;
  let reverting: ScriptedServer;

  before(async () => {
    down = await startScriptedServer(() => ({ status: 503, body: "upstream down" }));
    limited = await rpcNode({
      eth_blockNumber: () => ({ status: 429, json: { error: { code: 429, message: "slow down" } } }),
    });
    good = await rpcNode({ ...healthy, eth_call: "0x01" });
    reverting = await rpcNode({
      eth_call: () => ({ json: { error: { code: 3, message: "execution reverted", data: "0x" } } }),
    });
  });
  after(async () => {
    await Promise.all([down, limited, good, reverting].map((s) => s?.close()));
  });

  it("falls through 503 and 429 to the next endpoint, warning once per failure without secrets", async () => {
    const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
    const client = createExecutionClient({
      endpoints: [`${down.url}/KEY?token=abc`, limited.url, good.url],
      network,
      logger: { warn: (message, context) => warnings.push([message, context]) },
    });
    assert.equal(await client.getBlockNumber({ cacheTime: 0 }), 16n);
    assert.deepEqual(
      warnings.map(([message, context]) => [message, context?.endpoint, context?.method]),
      [
        ["execution endpoint failed", `${down.url}/***`, "eth_blockNumber"],
        ["execution endpoint failed", limited.url, "eth_blockNumber"],
      ],
    );
  });

  it("does not fall through a revert", async () => {
    const before = good.requests.length;
    const client = createExecutionClient({ endpoints: [reverting.url, good.url], network });
    await assert.rejects(client.call({ to: "0x0000000000000000000000000000000000000001", data: "0x" }));
    assert.equal(good.requests.length, before);
  });

  it("times out a silent endpoint and moves on", async () => {
    const silent = await startScriptedServer(() => ({ delayMs: 500, status: 200, body: "" }));
    try {
      const client = createExecutionClient({ endpoints: [silent.url, good.url], network, timeoutMs: 100 });
      const started = Date.now();
      assert.equal(await client.getBlockNumber({ cacheTime: 0 }), 16n);
      assert.ok(Date.now() - started < 1_500);
    } finally {
      await silent.close();
    }
  });

  it("when every endpoint fails, the error names none of their secrets", async () => {
    const client = createExecutionClient({
      endpoints: [`${down.url}/v3/SECRET`, await unusedUrl("/v3/SECRET")],
      network,
    });
    await assert.rejects(client.getBlockNumber({ cacheTime: 0 }), (error: unknown) => {
      const text = `${(error as Error).message}\n${(error as Error).stack}`;
      assert.ok(!text.includes("SECRET"), text);
      return true;
    });
  });

  it("refuses an empty or malformed endpoint list", () => {
    assert.throws(() => createExecutionClient({ endpoints: [], network }), UserInputError);
    assert.throws(() => createExecutionClient({ endpoints: ["localhost:8545"], network }), UserInputError);
  });
});

describe("checkExecutionEndpoints", () => {
  it("reports each endpoint and requires one healthy", async () => {
    const syncing = await rpcNode({
      ...healthy,
      eth_syncing: { startingBlock: "0x0", currentBlock: "0x1", highestBlock: "0x9" },
    });
    const empty = await rpcNode({ ...healthy, eth_blockNumber: "0x0" });
    const good = await rpcNode(healthy);
    const dead = await unusedUrl("/KEY");
    try {
      const statuses = await checkExecutionEndpoints([dead, syncing.url, empty.url, good.url], network);
      assert.deepEqual(
        statuses.map((s) => [s.endpoint, s.healthy, s.problem]),
        [
          [dead.replace("/KEY", "/***"), false, "ECONNREFUSED"],
          [syncing.url, false, "syncing"],
          [empty.url, false, "no blocks yet (block number 0)"],
          [good.url, true, undefined],
        ],
      );
      assert.equal(statuses[3]?.blockNumber, 16n);
      await assert.rejects(
        checkExecutionEndpoints([dead, syncing.url, empty.url], network),
        (error: unknown) => {
          assert.ok(error instanceof OperatorError);
          assert.equal(error.retryable, true);
          assert.match(
            error.message,
            /no execution endpoint is ready \(.*ECONNREFUSED; .*syncing; .*block number 0\)/,
          );
          return true;
        },
      );
    } finally {
      await Promise.all([syncing.close(), empty.close(), good.close()]);
    }
  });

  it("refuses a node of another chain, naming it redacted and both chain ids", async () => {
    const gnosis = await rpcNode({ ...healthy, eth_chainId: "0x64" });
    try {
      await assert.rejects(checkExecutionEndpoints([`${gnosis.url}/KEY`], network), (error: unknown) => {
        assert.ok(error instanceof UserInputError);
        assert.equal(
          error.message,
          `execution endpoint ${gnosis.url}/*** is on chain id 100, but devnet is chain id 31337: point it at a devnet node`,
        );
        return true;
      });
    } finally {
      await gnosis.close();
    }
  });
});
