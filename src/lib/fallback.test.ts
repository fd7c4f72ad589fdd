import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AbortedError } from "./aborted.ts";
import { OperatorError } from "./errors.ts";
import { AllEndpointsFailedError, withFallback } from "./fallback.ts";
import { HttpError, TimeoutError } from "./http-errors.ts";

const A = "https://user:pw@a.example.com/v3/KEY_A";
const B = "https://b.example.com/?apikey=KEY_B";
const C = "http://127.0.0.1:5052";

const http = (url: string, status: number) => new HttpError({ method: "GET", url, status, body: "" });

describe("withFallback", () => {
  it("returns the first endpoint's answer without trying the others", async () => {
    const tried: string[] = [];
    const result = await withFallback([A, B], async (endpoint) => {
      tried.push(endpoint);
      return "ok";
    });
    assert.equal(result, "ok");
    assert.deepEqual(tried, [A]);
  });

  it("falls through on retryable errors, in order, and reports each fallback", async () => {
    const events: [string, number][] = [];
    const tried: number[] = [];
    const result = await withFallback(
      [A, B, C],
      async (endpoint, index) => {
        tried.push(index);
        if (endpoint === A) throw http(A, 503);
        if (endpoint === B) throw new TimeoutError({ method: "GET", url: B, timeoutMs: 10 });
        return "from C";
      },
      { onFallback: ({ endpoint, index }) => events.push([endpoint, index]) },
    );
    assert.equal(result, "from C");
    assert.deepEqual(tried, [0, 1, 2]);
    assert.deepEqual(events, [
      ["https://***@a.example.com/***", 0],
      ["https://b.example.com/***", 1],
    ]);
  });

  it("stops at a non-retryable error: that is the answer", async () => {
    const notFound = http(A, 404);
    const tried: string[] = [];
    await assert.rejects(
      withFallback([A, B], async (endpoint) => {
        tried.push(endpoint);
        throw notFound;
      }),
      (error) => error === notFound,
    );
    assert.deepEqual(tried, [A]);
  });

  it("throws AllEndpointsFailedError keeping every cause, with redacted URLs", async () => {
    const causes = [http(A, 502), new OperatorError("rpc down", { retryable: true }), http(C, 429)];
    await assert.rejects(
      withFallback([A, B, C], async (_endpoint, index) => {
        throw causes[index];
      }),
      (error: unknown) => {
        assert.ok(error instanceof AllEndpointsFailedError);
        assert.equal(error.retryable, true);
        assert.deepEqual(error.errors, causes);
        assert.deepEqual(error.endpoints, ["https://***@a.example.com/***", "https://b.example.com/***", C]);
        assert.equal(
          error.message,
          "all 3 endpoints failed ([1] https://***@a.example.com/***: GET https://***@a.example.com/*** returned HTTP 502; " +
            "[2] https://b.example.com/***: rpc down; [3] http://127.0.0.1:5052: GET http://127.0.0.1:5052 returned HTTP 429)",
        );
        assert.ok(!/KEY_A|KEY_B|pw/.test(error.message));
        return true;
      },
    );
  });

  it("uses a custom isRetryable and describe for non-URL endpoints", async () => {
    const clients = [{ id: "primary" }, { id: "backup" }];
    await assert.rejects(
      withFallback(
        clients,
        async () => {
          throw new Error("ECONNRESET while calling https://x.io/secret-path");
        },
        { isRetryable: () => true, describe: (client) => client.id },
      ),
      (error: unknown) => {
        assert.ok(error instanceof AllEndpointsFailedError);
        assert.deepEqual(error.endpoints, ["primary", "backup"]);
        assert.match(error.message, /\[1\] primary: ECONNRESET while calling https:\/\/x\.io\/\*\*\*/);
        return true;
      },
    );
  });

  it("never falls through on abort", async () => {
    const controller = new AbortController();
    const tried: string[] = [];
    await assert.rejects(
      withFallback(
        [A, B],
        async (endpoint) => {
          tried.push(endpoint);
          controller.abort();
          throw new OperatorError("socket closed", { retryable: true });
        },
        { signal: controller.signal },
      ),
      AbortedError,
    );
    assert.deepEqual(tried, [A]);
    await assert.rejects(
      withFallback([A], async () => "x", { signal: AbortSignal.abort() }),
      AbortedError,
    );
    // An abort error from the call itself does not fall through either, even when "retryable".
    await assert.rejects(
      withFallback([A, B], async () => Promise.reject(new AbortedError()), { isRetryable: () => true }),
      AbortedError,
    );
  });

  it("refuses an empty endpoint list", async () => {
    await assert.rejects(
      withFallback([], async () => "x"),
      /no endpoints configured/,
    );
  });
});
