import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type ScriptedServer,
  startScriptedServer,
  unusedUrl,
} from "../../../test/support/scripted-server.ts";
import { OperatorError } from "../errors.ts";
import { EndpointRequestError } from "./errors.ts";
import { httpJson, httpRequest, joinUrl } from "./request.ts";

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

describe("httpRequest (fetch double)", () => {
  const URL_WITH_SECRETS = "https://user:pa55@beacon.example.com/K3Y?apikey=K3Y";

  interface Call {
    url: string;
    init: RequestInit;
  }

  /** A fetch double answering with `respond`, recording calls. */
  function fakeFetch(respond: (call: Call) => Response | Promise<Response>) {
    const calls: Call[] = [];
    const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
      const call = { url: String(input), init };
      calls.push(call);
      return respond(call);
    }) as typeof globalThis.fetch;
    return { fetch, calls };
  }

  const json = (value: unknown, status = 200) =>
    new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

  function assertNoSecrets(error: unknown): void {
    const text = `${String(error)} ${JSON.stringify(error)}`;
    for (const secret of ["pa55", "K3Y", "user:"])
      assert.ok(!text.includes(secret), `leaked ${secret}: ${text}`);
  }

  it("GETs with an accept header; sends a JSON body, its content type and the caller's headers", async () => {
    const { fetch, calls } = fakeFetch(() => json({ ok: true }));
    assert.deepEqual(await httpJson("http://b.io", "/x", { timeoutMs: 1_000, fetch }), { ok: true });
    assert.equal(calls[0]?.init.method, "GET");
    assert.equal(new Headers(calls[0]?.init.headers).get("accept"), "application/json");
    await httpJson("http://b.io", "/keys", {
      method: "DELETE",
      json: { a: 1 },
      headers: { "X-Id": "7" },
      timeoutMs: 1_000,
      fetch,
    });
    const init = calls[1]?.init;
    assert.equal(init?.method, "DELETE");
    assert.equal(init?.body, '{"a":1}');
    const headers = new Headers(init?.headers);
    assert.equal(headers.get("content-type"), "application/json");
    assert.equal(headers.get("x-id"), "7");
  });

  it("returns undefined for an empty 2xx body (Beacon API POSTs)", async () => {
    const { fetch } = fakeFetch(() => new Response("", { status: 200 }));
    assert.equal(
      await httpJson("http://b.io", "/pool", { method: "POST", json: [], timeoutMs: 1_000, fetch }),
      undefined,
    );
  });

  it("sends URL credentials as Basic auth and strips them from the URL", async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    await httpJson("https://us%40er:p%3Ass@b.io", "/x", { timeoutMs: 1_000, fetch });
    assert.equal(calls[0]?.url, "https://b.io/x");
    assert.equal(
      new Headers(calls[0]?.init.headers).get("authorization"),
      `Basic ${Buffer.from("us@er:p:ss").toString("base64")}`,
    );
  });

  it("an error status: its retryable flag, the sanitized body kept, no secret of the URL shown", async () => {
    for (const [status, retryable] of [
      [400, false],
      [404, false],
      [408, true],
      [429, true],
      [500, true],
      [503, true],
    ] as const) {
      const { fetch } = fakeFetch(() =>
        json({ errors: ["nope"], hint: "see https://u:pw@docs.example/K3Y" }, status),
      );
      await assert.rejects(
        httpJson(URL_WITH_SECRETS, "/eth/v1/x", { timeoutMs: 1_000, fetch }),
        (error: unknown) => {
          assert.ok(error instanceof EndpointRequestError);
          assert.equal(error.status, status);
          assert.equal(error.retryable, retryable, `status ${status}`);
          assert.match(error.body ?? "", /"errors":\["nope"\]/);
          assert.match(
            error.message,
            new RegExp(`^https://\\*\\*\\*@beacon\\.example\\.com/\\*\\*\\* answered HTTP ${status}`),
          );
          assertNoSecrets(error);
          return true;
        },
      );
    }
  });

  it("times out with a retryable failure, also while reading the body", async () => {
    const hang = ({ init }: Call) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    await assert.rejects(
      httpRequest(URL_WITH_SECRETS, "/x", { timeoutMs: 5, fetch: fakeFetch(hang).fetch }),
      (error: unknown) => {
        assert.ok(error instanceof EndpointRequestError);
        assert.equal(error.kind, "timeout");
        assert.equal(error.retryable, true);
        assert.equal(error.message, "https://***@beacon.example.com/*** timed out after 5 ms");
        return true;
      },
    );
    const slowBody = ({ init }: Call) =>
      new Response(
        new ReadableStream({
          start(stream) {
            init.signal?.addEventListener("abort", () => stream.error(init.signal?.reason));
          },
        }),
      );
    await assert.rejects(
      httpRequest("http://b.io", "/x", { timeoutMs: 5, fetch: fakeFetch(slowBody).fetch }),
      (error: unknown) => error instanceof EndpointRequestError && error.kind === "timeout",
    );
  });

  it("an abort before or during the request rejects with the signal's reason, and leaves no listener", async () => {
    const hang = ({ init }: Call) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const { fetch, calls } = fakeFetch(hang);
    await assert.rejects(
      httpRequest("http://b.io", "/x", {
        timeoutMs: 60_000,
        signal: AbortSignal.abort(new Error("gone")),
        fetch,
      }),
      /^Error: gone$/,
    );
    assert.equal(calls.length, 0);
    const controller = new AbortController();
    const pending = httpRequest("http://b.io", "/x", { timeoutMs: 60_000, signal: controller.signal, fetch });
    controller.abort(new Error("stop"));
    await assert.rejects(pending, /^Error: stop$/);
    // A shutdown signal that outlives many requests keeps no listener of theirs.
    const shutdown = new AbortController();
    let listeners = 0;
    const add = shutdown.signal.addEventListener.bind(shutdown.signal);
    const remove = shutdown.signal.removeEventListener.bind(shutdown.signal);
    shutdown.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    shutdown.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof remove;
    const ok = fakeFetch(() => json({}));
    for (let i = 0; i < 3; i++)
      await httpJson("http://b.io", "/x", { timeoutMs: 1_000, signal: shutdown.signal, fetch: ok.fetch });
    assert.equal(listeners, 0);
  });

  it("refuses an invalid URL and a GET with a body, without sending or showing the URL", async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    await assert.rejects(
      httpRequest("not a url?token=x", "/x", { timeoutMs: 1_000, fetch }),
      (error: unknown) => {
        assert.ok(error instanceof OperatorError);
        assert.equal(error.retryable, false);
        assert.ok(!error.message.includes("token"));
        assert.equal(error.cause, undefined, "the platform's error keeps the URL as given");
        return true;
      },
    );
    await assert.rejects(
      httpRequest("http://b.io?token=x", "/x", { json: {}, timeoutMs: 1_000, fetch }),
      (error: unknown) => {
        assert.ok(error instanceof OperatorError);
        assert.match(error.message, /GET request cannot have a body/);
        assert.ok(!error.message.includes("token"));
        return true;
      },
    );
    assert.equal(calls.length, 0);
  });
});
