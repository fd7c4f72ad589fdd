import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { HttpRequestError, RpcRequestError, TimeoutError } from "viem";
import { bearerJwtProblem } from "../../test/support/jwt-auth.ts";
import {
  type ScriptedAnswer,
  type ScriptedServer,
  startScriptedServer,
  startWebServer,
  unusedUrl,
} from "../../test/support/scripted-server.ts";
import { type NetworkConfig, resolveNetwork } from "../config/networks.ts";
import { errorChain, OperatorError, UserInputError } from "../lib/errors.ts";
import { AllEndpointsFailedError, EndpointRequestError } from "../lib/http/errors.ts";
import { createLogger, type LogFormat } from "../lib/logger.ts";
import { checkExecutionEndpoints, createExecutionClient, isRetryableRpcError } from "./execution-client.ts";

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
    // The good endpoint must answer within the timeout even on a loaded CI machine.
    const silent = await startScriptedServer(() => ({ delayMs: 10_000, status: 200, body: "" }));
    try {
      const client = createExecutionClient({ endpoints: [silent.url, good.url], network, timeoutMs: 800 });
      const started = Date.now();
      assert.equal(await client.getBlockNumber({ cacheTime: 0 }), 16n);
      assert.ok(Date.now() - started < 5_000);
    } finally {
      await silent.close();
    }
  });

  it("when every endpoint fails, one error names each with its reason and none of their secrets", async () => {
    const dead = await unusedUrl("/v3/SECRET");
    const client = createExecutionClient({ endpoints: [`${down.url}/v3/SECRET`, dead], network });
    await assert.rejects(client.getBlockNumber({ cacheTime: 0 }), (error: unknown) => {
      assert.ok(error instanceof AllEndpointsFailedError);
      assert.equal(error.retryable, true);
      assert.equal(
        error.message,
        `every execution endpoint failed (${down.url}/*** answered HTTP 503: upstream down; ${dead.replace("/v3/SECRET", "/***")} refused the connection)`,
      );
      assert.equal(error.failures.length, 2);
      const text = errorChain(error)
        .map((e) => `${(e as Error).message}\n${(e as Error).stack}`)
        .join("\n");
      assert.ok(!text.includes("SECRET"), text);
      return true;
    });
  });

  it("an HTTP 4xx that is not JSON-RPC is thrown naming the endpoint, without falling through", async () => {
    const web = await startScriptedServer(() => ({
      status: 404,
      body: "<html><title>Not Found</title></html>",
    }));
    try {
      const before = good.requests.length;
      const client = createExecutionClient({ endpoints: [`${web.url}/KEY`, good.url], network });
      await assert.rejects(client.getBlockNumber({ cacheTime: 0 }), (error: unknown) => {
        assert.ok(error instanceof EndpointRequestError);
        assert.equal(error.retryable, false);
        assert.equal(
          error.message,
          `${web.url}/*** is not an execution node: it answered HTTP 404 to eth_blockNumber`,
        );
        return true;
      });
      assert.equal(good.requests.length, before);
    } finally {
      await web.close();
    }
  });

  it("a web server that is not a node (HTTP 501) is skipped for the next endpoint", async () => {
    const web = await startWebServer();
    try {
      const warnings: unknown[] = [];
      const client = createExecutionClient({
        endpoints: [web.url, good.url],
        network,
        logger: { warn: (_m, context) => warnings.push(context?.reason) },
      });
      assert.equal(await client.getBlockNumber({ cacheTime: 0 }), 16n);
      assert.deepEqual(warnings, ["is not an execution node: it answered HTTP 501 to eth_blockNumber"]);
    } finally {
      await web.close();
    }
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
          [dead.replace("/KEY", "/***"), false, "refused the connection"],
          [syncing.url, false, "is syncing"],
          [empty.url, false, "has no blocks yet"],
          [good.url, true, undefined],
        ],
      );
      assert.equal(statuses[3]?.blockNumber, 16n);
    } finally {
      await Promise.all([syncing.close(), empty.close(), good.close()]);
    }
  });

  it("when none is ready, says in one line which endpoint failed and why", async () => {
    const dead = await unusedUrl("/KEY");
    const web = await startWebServer();
    const html = await startScriptedServer(() => ({ body: "<!DOCTYPE html><html><title>Hi</title></html>" }));
    const notRpc = await startScriptedServer(() => ({ json: { hello: "world" } }));
    const silent = await startScriptedServer(() => ({ delayMs: 500, json: {} }));
    try {
      await assert.rejects(
        checkExecutionEndpoints(
          [dead, `${web.url.replace("http://", "http://user:pw@")}/`, html.url, notRpc.url, silent.url],
          network,
          { timeoutMs: 200 },
        ),
        (error: unknown) => {
          assert.ok(error instanceof OperatorError);
          assert.equal(error.retryable, true);
          assert.equal(
            error.message,
            `no execution endpoint is ready (${dead.replace("/KEY", "/***")} refused the connection; ` +
              `${web.url.replace("http://", "http://***@")} is not an execution node: it answered HTTP 501 to eth_chainId; ` +
              `${html.url} is not an execution node: it answered HTML to eth_chainId; ` +
              `${notRpc.url} is not an execution node: it answered JSON that is not JSON-RPC to eth_chainId; ` +
              `${silent.url} timed out after 200 ms)`,
          );
          return true;
        },
      );
    } finally {
      await Promise.all([web.close(), html.close(), notRpc.close(), silent.close()]);
    }
  });

  it("refuses a node of another chain, naming it redacted and both chain ids", async () => {
    const gnosis = await rpcNode({ ...healthy, eth_chainId: "0x64" });
    try {
      await assert.rejects(checkExecutionEndpoints([`${gnosis.url}/KEY`], network), (error: unknown) => {
        assert.ok(error instanceof UserInputError);
        assert.equal(
          error.message,
          `execution endpoint ${gnosis.url}/*** is on the wrong chain (chain id 100, not devnet's 31337): point it at a devnet node`,
        );
        return true;
      });
    } finally {
      await gnosis.close();
    }
  });
});

describe("execution failures in the logs", () => {
  /** The service's logger in `format`, writing to memory. */
  function logTo(format: LogFormat) {
    const chunks: string[] = [];
    const log = createLogger({
      level: "info",
      format,
      destination: { write: (c: string) => chunks.push(c) },
    });
    return { log, text: () => chunks.join("") };
  }

  for (const format of ["text", "json"] as const) {
    it(`are one line each, with the reason and the causes, never a request body or a credential (${format})`, async () => {
      const dead = await unusedUrl("/v3/SECRET");
      const web = await startScriptedServer(() => ({
        status: 404,
        body: "<!DOCTYPE html>\n<html><title>404 Not Found</title>\n<body>nothing here</body></html>",
      }));
      const credentialed = `${web.url.replace("http://", "http://user:hunter2@")}/v3/SECRET`;
      try {
        const { log, text } = logTo(format);
        const warnings = log.child({ module: "start" });
        const client = createExecutionClient({ endpoints: [dead], network, logger: warnings });
        const refused = await client.getBlockNumber({ cacheTime: 0 }).catch((error: unknown) => error);
        log.error("task failed", { task: "registration" }, refused);
        const htmlClient = createExecutionClient({ endpoints: [credentialed], network, logger: warnings });
        const html = await htmlClient.getBlockNumber({ cacheTime: 0 }).catch((error: unknown) => error);
        log.error("task failed", { task: "registration" }, html);

        const lines = text().split("\n").filter(Boolean);
        assert.equal(lines.length, 3, text());
        for (const bad of [
          "Request body",
          "Version: viem",
          "SECRET",
          "hunter2",
          "user:",
          'eth_blockNumber"}',
        ]) {
          assert.ok(!text().includes(bad), `${bad} in:\n${text()}`);
        }
        const deadShown = dead.replace("/v3/SECRET", "/***");
        if (format === "json") {
          const [warning, refusedLine, htmlLine] = lines.map((l) => JSON.parse(l));
          assert.equal(warning.msg, "execution endpoint failed");
          assert.equal(warning.endpoint, deadShown);
          assert.equal(warning.reason, "refused the connection");
          assert.equal(warning.error.message, "HTTP request failed: fetch failed");
          assert.deepEqual(warning.error.causes.slice(0, 1), ["TypeError: fetch failed"]);
          assert.match(warning.error.causes[1], /^Error: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
          assert.equal(refusedLine.error.name, "AllEndpointsFailedError");
          assert.equal(
            refusedLine.error.message,
            `the execution endpoint failed (${deadShown} refused the connection)`,
          );
          assert.equal(refusedLine.error.causes[0], "HttpRequestError: HTTP request failed: fetch failed");
          assert.equal(htmlLine.error.name, "EndpointRequestError");
          assert.equal(
            htmlLine.error.message,
            `http://***@${web.url.slice("http://".length)}/*** is not an execution node: it answered HTTP 404 to eth_blockNumber`,
          );
          assert.deepEqual(htmlLine.error.causes, ["HttpRequestError: HTTP request failed: <!DOCTYPE html>"]);
        } else {
          assert.match(
            lines[0] ?? "",
            new RegExp(
              `^\\S+ \\S+ WARN +\\[start\\] execution endpoint failed endpoint=${deadShown.replace(/[.*]/g, "\\$&")} method=eth_blockNumber reason="refused the connection" error="HttpRequestError: HTTP request failed: fetch failed" causes=\\["TypeError: fetch failed","Error: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+"\\]$`,
            ),
          );
          assert.match(
            lines[1] ?? "",
            /error="AllEndpointsFailedError: the execution endpoint failed \(.* refused the connection\)" retryable=true causes=\["HttpRequestError: /,
          );
          assert.match(
            lines[2] ?? "",
            /is not an execution node: it answered HTTP 404 to eth_blockNumber" retryable=false causes=\["HttpRequestError: HTTP request failed: <!DOCTYPE html>"\]$/,
          );
        }
      } finally {
        await web.close();
      }
    });
  }
});

describe("execution endpoints behind JWT authentication (--execution-jwt-secret)", () => {
  const secret = new Uint8Array(32).fill(7);
  /** A node that answers only requests with a fresh HS256 token of `secret` (geth's rule). */
  const authenticatedNode = () => {
    const answers = rpcNode(healthy);
    return answers.then(async (node) => {
      const gate = await startScriptedServer(async (request) => {
        const problem = bearerJwtProblem(request.headers, secret);
        if (problem) return { status: 401, body: problem };
        const response = await fetch(node.url, { method: "POST", body: request.body });
        return { json: await response.json() };
      });
      return { gate, close: () => Promise.all([gate.close(), node.close()]) };
    });
  };

  it("every request, startup checks included, carries its own token; reads work", async () => {
    const { gate, close } = await authenticatedNode();
    try {
      const statuses = await checkExecutionEndpoints([gate.url], network, { jwtSecret: secret });
      assert.equal(statuses[0]?.healthy, true);
      const client = createExecutionClient({ endpoints: [gate.url], network, jwtSecret: secret });
      assert.equal(await client.getBlockNumber(), 16n);
      assert.ok(gate.requests.length >= 4);
      assert.ok(
        gate.requests.every((r) => /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(r.headers.authorization ?? "")),
      );
    } finally {
      await close();
    }
  });

  it("no secret or a wrong one: one line naming the endpoint and the flag to check", async () => {
    const { gate, close } = await authenticatedNode();
    try {
      for (const jwtSecret of [undefined, new Uint8Array(32).fill(8)]) {
        await assert.rejects(
          checkExecutionEndpoints([gate.url], network, { jwtSecret }),
          (error: unknown) => {
            assert.ok(error instanceof OperatorError);
            assert.match(
              error.message,
              /^no execution endpoint is ready \(http:\/\/127\.0\.0\.1:\d+ answered HTTP 401: (missing token|signature invalid) \(check --execution-jwt-secret, or the credentials in the endpoint URL\)\)$/,
            );
            return true;
          },
        );
      }
    } finally {
      await close();
    }
  });
});
