import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import { AbortedError } from "./aborted.ts";
import { OperatorError } from "./errors.ts";
import {
  HttpError,
  InvalidResponseError,
  isRetryableStatus,
  NetworkError,
  TimeoutError,
} from "./http-errors.ts";
import { fetchJson, parseRetryAfter } from "./http-json.ts";

const URL_WITH_SECRETS = "https://user:pa55@beacon.example.com/eth/v1/node/syncing?apikey=K3Y";

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

const json = (value: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

function assertNoSecrets(error: unknown): void {
  const text = `${String(error)} ${JSON.stringify(error)}`;
  for (const secret of ["pa55", "K3Y", "syncing", "user:"])
    assert.ok(!text.includes(secret), `leaked ${secret}: ${text}`);
}

describe("fetchJson (fetch double)", () => {
  it("GETs JSON with an accept header and returns it", async () => {
    const { fetch, calls } = fakeFetch(() => json({ data: { is_syncing: false } }));
    assert.deepEqual(await fetchJson("http://localhost:5052/eth/v1/node/syncing", {}, { fetch }), {
      data: { is_syncing: false },
    });
    assert.equal(calls[0]?.init.method, "GET");
    assert.equal(new Headers(calls[0]?.init.headers).get("accept"), "application/json");
  });

  it("POSTs a JSON body with a content type and custom headers", async () => {
    const { fetch, calls } = fakeFetch(() => json({ ok: true }));
    await fetchJson("http://o.io/x", { method: "post", body: { a: 1 }, headers: { "X-Id": "7" } }, { fetch });
    const init = calls[0]?.init;
    assert.equal(init?.method, "POST");
    assert.equal(init?.body, '{"a":1}');
    const headers = new Headers(init?.headers);
    assert.equal(headers.get("content-type"), "application/json");
    assert.equal(headers.get("x-id"), "7");
  });

  it("parses with a schema and returns the typed value", async () => {
    const schema = z.object({ data: z.object({ head_slot: z.coerce.number() }) });
    const { fetch } = fakeFetch(() => json({ data: { head_slot: "123" } }));
    const result = await fetchJson("http://b.io/x", { schema }, { fetch });
    const slot: number = result.data.head_slot;
    assert.equal(slot, 123);
  });

  it("throws a non-retryable InvalidResponseError when the schema rejects the body", async () => {
    const schema = z.object({ data: z.object({ head_slot: z.string() }) });
    const { fetch } = fakeFetch(() => json({ data: { head_slot: 5 } }));
    await assert.rejects(fetchJson(URL_WITH_SECRETS, { schema }, { fetch }), (error: unknown) => {
      assert.ok(error instanceof InvalidResponseError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /data\.head_slot: Invalid input: expected string, received number/);
      assert.match(
        error.message,
        /^GET https:\/\/\*\*\*@beacon\.example\.com\/\*\*\* returned an invalid response/,
      );
      assertNoSecrets(error);
      return true;
    });
  });

  it("throws InvalidResponseError for a body that is not JSON", async () => {
    const { fetch } = fakeFetch(() => new Response("<html>gateway</html>", { status: 200 }));
    await assert.rejects(fetchJson("http://b.io/x", {}, { fetch }), (error: unknown) => {
      assert.ok(error instanceof InvalidResponseError);
      assert.match(error.message, /not JSON: <html>gateway<\/html>/);
      return true;
    });
  });

  it("returns undefined for an empty 2xx body (Beacon API POSTs)", async () => {
    const { fetch } = fakeFetch(() => new Response("", { status: 200 }));
    assert.equal(await fetchJson("http://b.io/pool", { method: "POST", body: [] }, { fetch }), undefined);
  });

  it("throws HttpError with status, a sanitized body excerpt and the right retryable flag", async () => {
    for (const [status, retryable] of [
      [400, false],
      [404, false],
      [408, true],
      [429, true],
      [500, true],
      [503, true],
    ] as const) {
      const { fetch } = fakeFetch(() => json({ message: "nope", token: "T0K" }, status));
      await assert.rejects(fetchJson(URL_WITH_SECRETS, {}, { fetch }), (error: unknown) => {
        assert.ok(error instanceof HttpError);
        assert.equal(error.status, status);
        assert.equal(error.retryable, retryable, `status ${status}`);
        assert.match(error.body, /"message":"nope"/);
        assert.ok(!error.message.includes("T0K"));
        assert.match(error.shortMessage, new RegExp(`returned HTTP ${status}$`));
        assertNoSecrets(error);
        return true;
      });
    }
  });

  it("reads Retry-After into retryAfterMs", async () => {
    const { fetch } = fakeFetch(() => json({}, 429, { "retry-after": "3" }));
    await assert.rejects(
      fetchJson("http://b.io/x", {}, { fetch }),
      (error: unknown) => error instanceof HttpError && error.retryAfterMs === 3000,
    );
    assert.equal(
      parseRetryAfter("Thu, 01 Jan 1970 00:00:10 GMT", () => 4000),
      6000,
    );
    assert.equal(
      parseRetryAfter("soon", () => 0),
      undefined,
    );
    assert.equal(
      parseRetryAfter(null, () => 0),
      undefined,
    );
  });

  it("wraps fetch failures in a retryable NetworkError naming the system error code", async () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:5052"), { code: "ECONNREFUSED" });
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError("fetch failed", { cause })));
    await assert.rejects(fetchJson(URL_WITH_SECRETS, {}, { fetch }), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.equal(error.retryable, true);
      assert.equal(error.message, "GET https://***@beacon.example.com/*** failed: ECONNREFUSED");
      return true;
    });
  });

  it("times out with a retryable TimeoutError, also while reading the body", async () => {
    const hang = ({ init }: Call) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    await assert.rejects(fetchJson(URL_WITH_SECRETS, { timeoutMs: 5 }, fakeFetch(hang)), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.retryable, true);
      assert.equal(error.message, "GET https://***@beacon.example.com/*** timed out after 5 ms");
      return true;
    });
    const slowBody = ({ init }: Call) =>
      new Response(
        new ReadableStream({
          start(stream) {
            init.signal?.addEventListener("abort", () => stream.error(init.signal?.reason));
          },
        }),
      );
    await assert.rejects(fetchJson("http://b.io/x", { timeoutMs: 5 }, fakeFetch(slowBody)), TimeoutError);
  });

  it("rejects with AbortedError (not a timeout) when the caller aborts", async () => {
    const controller = new AbortController();
    const hang = ({ init }: Call) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const pending = fetchJson(
      "http://b.io/x",
      { signal: controller.signal, timeoutMs: 60_000 },
      fakeFetch(hang),
    );
    controller.abort();
    await assert.rejects(pending, AbortedError);
    await assert.rejects(
      fetchJson("http://b.io/x", { signal: AbortSignal.abort() }, fakeFetch(hang)),
      AbortedError,
    );
  });

  it("sends URL credentials as Basic auth and strips them from the URL", async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    await fetchJson("https://us%40er:p%3Ass@b.io/x", {}, { fetch });
    assert.equal(calls[0]?.url, "https://b.io/x");
    assert.equal(
      new Headers(calls[0]?.init.headers).get("authorization"),
      `Basic ${Buffer.from("us@er:p:ss").toString("base64")}`,
    );
  });

  it("rejects an invalid URL and a GET with a body, without leaking the URL", async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    await assert.rejects(fetchJson("not a url?token=x", {}, { fetch }), (error: unknown) => {
      assert.ok(error instanceof OperatorError);
      assert.equal(error.retryable, false);
      assert.ok(!error.message.includes("token"));
      return true;
    });
    await assert.rejects(
      fetchJson("http://b.io/x", { body: {} }, { fetch }),
      /GET request cannot have a body/,
    );
    assert.equal(calls.length, 0);
  });

  it("classifies statuses", () => {
    assert.deepEqual([200, 400, 404, 408, 429, 500, 502, 503].map(isRetryableStatus), [
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});

describe("fetchJson (local server)", () => {
  let server: Server;
  let base: string;

  before(async () => {
    server = createServer((request, response) => {
      if (request.url === "/hang") return; // never answers
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ auth: request.headers.authorization ?? null, path: request.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("round-trips over real HTTP with Basic auth from the URL", async () => {
    const url = base.replace("http://", "http://op:secret@");
    assert.deepEqual(await fetchJson(`${url}/eth/v1/node/version`), {
      auth: `Basic ${Buffer.from("op:secret").toString("base64")}`,
      path: "/eth/v1/node/version",
    });
  });

  it("times out against a server that never answers", async () => {
    await assert.rejects(fetchJson(`${base}/hang`, { timeoutMs: 20 }), TimeoutError);
  });

  it("reports a refused connection as a NetworkError", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(fetchJson(`http://127.0.0.1:${port}/x`), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.match(error.message, /failed: ECONNREFUSED$/);
      return true;
    });
  });
});
