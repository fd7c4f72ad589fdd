import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { OperatorError } from "../lib/errors.ts";
import {
  AllEndpointsFailedError,
  EndpointRequestError,
  httpJson,
  httpRequest,
  joinUrl,
  withFailover,
} from "./http-request.ts";
import { type ScriptedServer, startScriptedServer, unusedUrl } from "./test-fixtures.ts";

describe("joinUrl", () => {
  it("keeps the base's path prefix and query", () => {
    assert.equal(joinUrl("http://h:1", "/eth/v1/x").toString(), "http://h:1/eth/v1/x");
    assert.equal(joinUrl("http://h:1/", "/eth/v1/x?id=1,2").toString(), "http://h:1/eth/v1/x?id=1,2");
    assert.equal(joinUrl("https://h/key/", "/ipfs/cid").toString(), "https://h/key/ipfs/cid");
    assert.equal(joinUrl("https://h/p?apikey=k", "/a?b=c").toString(), "https://h/p/a?apikey=k&b=c");
  });
});

describe("httpRequest", () => {
  let server: ScriptedServer;
  before(async () => {
    server = await startScriptedServer((request) => {
      if (request.url.startsWith("/slow")) return { delayMs: 300, json: {} };
      if (request.url.startsWith("/big")) return { body: "x".repeat(2_000) };
      if (request.url.startsWith("/text")) return { body: "hello" };
      if (request.url.startsWith("/missing"))
        return { status: 404, json: { code: 404, message: "Not found" } };
      if (request.url.startsWith("/busy")) return { status: 503, body: "busy\nmore" };
      return {
        json: { method: request.method, body: request.body, auth: request.headers.authorization ?? null },
      };
    });
  });
  after(() => server?.close());

  it("sends JSON and Basic credentials from the URL's user info", async () => {
    const base = server.url.replace("http://", "http://alice:s%3Acret@");
    const json = await httpJson(base, "/echo", { method: "POST", json: { ids: ["1"] }, timeoutMs: 1_000 });
    assert.deepEqual(json, {
      method: "POST",
      body: '{"ids":["1"]}',
      auth: `Basic ${Buffer.from("alice:s:cret").toString("base64")}`,
    });
  });

  it("types failures: HTTP status with the node's message, timeout, network, size, not JSON", async () => {
    const expectFailure = async (
      promise: Promise<unknown>,
      kind: string,
      retryable: boolean,
      message: RegExp,
    ) =>
      assert.rejects(promise, (error: unknown) => {
        assert.ok(error instanceof EndpointRequestError, String(error));
        assert.equal(error.kind, kind);
        assert.equal(error.retryable, retryable);
        assert.match(error.message, message);
        return true;
      });
    await expectFailure(
      httpRequest(server.url, "/missing", { timeoutMs: 1_000 }),
      "http",
      false,
      /HTTP 404: Not found/,
    );
    await expectFailure(
      httpRequest(server.url, "/busy", { timeoutMs: 1_000 }),
      "http",
      true,
      /HTTP 503: busy$/,
    );
    await expectFailure(httpRequest(server.url, "/slow", { timeoutMs: 50 }), "timeout", true, /within 50 ms/);
    await expectFailure(
      httpRequest(await unusedUrl("/key"), "/x", { timeoutMs: 1_000 }),
      "network",
      true,
      /http:\/\/127\.0\.0\.1:\d+\/\*\*\* cannot be reached \(ECONNREFUSED\)/,
    );
    await expectFailure(
      httpRequest(server.url, "/big", { timeoutMs: 1_000, maxBytes: 1_000 }),
      "invalid-response",
      false,
      /larger than allowed/,
    );
    await expectFailure(
      httpJson(server.url, "/text", { timeoutMs: 1_000 }),
      "invalid-response",
      false,
      /not JSON/,
    );
  });

  it("an abort rejects with the signal's reason, not an endpoint failure", async () => {
    const controller = new AbortController();
    const pending = httpRequest(server.url, "/slow", { timeoutMs: 5_000, signal: controller.signal });
    controller.abort(new Error("stop"));
    await assert.rejects(pending, /^Error: stop$/);
  });
});

describe("withFailover", () => {
  const retryable = (message: string) => new OperatorError(message, { retryable: true });

  it("returns the first success, after retryable failures only", async () => {
    const tried: string[] = [];
    const warnings: unknown[] = [];
    const result = await withFailover(
      ["http://a/key", "http://b", "http://c"],
      async (endpoint) => {
        tried.push(endpoint);
        if (endpoint !== "http://c") throw retryable(`${endpoint} down`);
        return 42;
      },
      { what: "test", logger: { warn: (_m, context) => warnings.push(context) } },
    );
    assert.equal(result, 42);
    assert.deepEqual(tried, ["http://a/key", "http://b", "http://c"]);
    assert.deepEqual(warnings, [{ endpoint: "http://a/***" }, { endpoint: "http://b" }]);
  });

  it("throws a non-retryable failure at once", async () => {
    const tried: string[] = [];
    await assert.rejects(
      withFailover(
        ["http://a", "http://b"],
        async (endpoint) => {
          tried.push(endpoint);
          throw new OperatorError("bad request");
        },
        { what: "test" },
      ),
      /^OperatorError: bad request$/,
    );
    assert.deepEqual(tried, ["http://a"]);
  });

  it("keeps every endpoint's failure when all fail", async () => {
    await assert.rejects(
      withFailover(["http://a", "http://b/k"], async (e) => Promise.reject(retryable(`${e} is down`)), {
        what: "test",
      }),
      (error: unknown) => {
        assert.ok(error instanceof AllEndpointsFailedError);
        assert.equal(error.retryable, true);
        assert.equal(error.failures.length, 2);
        assert.equal(
          error.message,
          "every test endpoint failed (http://a: http://a is down; http://b/***: http://b/k is down)",
        );
        return true;
      },
    );
  });
});
