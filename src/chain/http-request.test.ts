import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type ScriptedServer, startScriptedServer, unusedUrl } from "../../test/support/scripted-server.ts";
import { OperatorError } from "../lib/errors.ts";
import { redactUrl } from "../lib/sanitize.ts";
import {
  AllEndpointsFailedError,
  EndpointRequestError,
  httpJson,
  httpRequest,
  joinUrl,
  withFailover,
} from "./http-request.ts";

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
      if (request.url.startsWith("/page"))
        return {
          status: 404,
          body: "<!DOCTYPE HTML>\n<html><head><title>Error response</title></head></html>",
        };
      if (request.url.startsWith("/html")) return { body: "<html><body>hello</body></html>" };
      if (request.url.startsWith("/drop")) return { destroy: true };
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

  it("types failures, each message the endpoint and its reason in one line", async () => {
    const expectFailure = async (
      promise: Promise<unknown>,
      kind: string,
      retryable: boolean,
      message: string,
    ) =>
      assert.rejects(promise, (error: unknown) => {
        assert.ok(error instanceof EndpointRequestError, String(error));
        assert.equal(error.kind, kind);
        assert.equal(error.retryable, retryable);
        assert.equal(error.message, message);
        return true;
      });
    const at = server.url;
    const timeoutMs = 1_000;
    await expectFailure(
      httpRequest(at, "/missing", { timeoutMs }),
      "http",
      false,
      `${at} answered HTTP 404: Not found`,
    );
    await expectFailure(
      httpRequest(at, "/page", { timeoutMs }),
      "http",
      false,
      `${at} answered HTTP 404: an HTML page titled "Error response"`,
    );
    await expectFailure(
      httpRequest(at, "/busy", { timeoutMs }),
      "http",
      true,
      `${at} answered HTTP 503: busy`,
    );
    await expectFailure(
      httpRequest(at, "/slow", { timeoutMs: 50 }),
      "timeout",
      true,
      `${at} timed out after 50 ms`,
    );
    const dead = await unusedUrl("/key");
    await expectFailure(
      httpRequest(dead, "/x", { timeoutMs }),
      "network",
      true,
      `${dead.replace("/key", "/***")} refused the connection`,
    );
    await expectFailure(
      httpRequest(at, "/drop", { timeoutMs }),
      "network",
      true,
      `${at} dropped the connection`,
    );
    const tls = at.replace("http://", "https://");
    await expectFailure(
      httpRequest(tls, "/x", { timeoutMs }),
      "network",
      true,
      `${tls} failed TLS: the server does not speak TLS (an http:// endpoint?)`,
    );
    await expectFailure(
      httpRequest("http://127.0.0.1:1", "/x", { timeoutMs }),
      "network",
      true,
      "http://127.0.0.1:1 uses a port that fetch refuses to connect to",
    );
    await expectFailure(
      httpRequest(at, "/big", { timeoutMs, maxBytes: 1_000 }),
      "invalid-response",
      false,
      `${at} answered /big with more than 1000 bytes`,
    );
    await expectFailure(
      httpJson(at, "/text", { timeoutMs }),
      "not-json",
      false,
      `${at} answered /text with text that is not JSON`,
    );
    await expectFailure(
      httpJson(at, "/html?q=1", { timeoutMs }),
      "not-json",
      false,
      `${at} answered /html with HTML, not JSON`,
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
  const down = (endpoint: string) =>
    new EndpointRequestError({
      endpoint,
      failure: { kind: "network", reason: "refused the connection" },
      retryable: true,
    });

  it("returns the first success, after retryable failures only, warning with each reason", async () => {
    const tried: string[] = [];
    const warnings: unknown[] = [];
    const result = await withFailover(
      ["http://a/key", "http://b", "http://c"],
      async (endpoint) => {
        tried.push(endpoint);
        if (endpoint !== "http://c") throw down(endpoint);
        return 42;
      },
      { what: "test", logger: { warn: (_m, context) => warnings.push(context) } },
    );
    assert.equal(result, 42);
    assert.deepEqual(tried, ["http://a/key", "http://b", "http://c"]);
    assert.deepEqual(warnings, [
      { endpoint: "http://a/***", reason: "refused the connection" },
      { endpoint: "http://b", reason: "refused the connection" },
    ]);
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

  it("keeps every endpoint's failure when all fail, one line naming each with its reason", async () => {
    const odd = new OperatorError("something\nodd", { retryable: true });
    await assert.rejects(
      withFailover(
        ["http://a", "http://b/k", "http://c"],
        async (e) => Promise.reject(e === "http://c" ? odd : down(redactUrl(e))),
        { what: "test" },
      ),
      (error: unknown) => {
        assert.ok(error instanceof AllEndpointsFailedError);
        assert.equal(error.retryable, true);
        assert.equal(error.failures.length, 3);
        assert.equal(error.cause, odd);
        assert.deepEqual(error.endpoints, ["http://a", "http://b/***", "http://c"]);
        assert.equal(
          error.message,
          "every test endpoint failed (http://a refused the connection; http://b/*** refused the connection; http://c failed: something odd)",
        );
        return true;
      },
    );
  });
});
