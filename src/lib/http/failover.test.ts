import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OperatorError } from "../errors.ts";
import { redactUrl } from "../sanitize.ts";
import { AllEndpointsFailedError, EndpointRequestError } from "./errors.ts";
import { withFailover } from "./failover.ts";

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

describe("withFailover: order, aborts and secrets", () => {
  const A = "https://user:pw@a.example.com/v3/KEY_A";
  const B = "https://b.example.com/?apikey=KEY_B";
  const busy = (endpoint: string) =>
    new EndpointRequestError({
      endpoint: redactUrl(endpoint),
      failure: { kind: "http", status: 503, reason: "answered HTTP 503" },
      retryable: true,
    });

  it("returns the first endpoint's answer without trying the others", async () => {
    const tried: string[] = [];
    const result = await withFailover(
      [A, B],
      async (endpoint) => {
        tried.push(endpoint);
        return "ok";
      },
      { what: "test" },
    );
    assert.equal(result, "ok");
    assert.deepEqual(tried, [A]);
  });

  it("names endpoints without their credentials, paths or queries", async () => {
    await assert.rejects(
      withFailover([A, B], async (endpoint) => Promise.reject(busy(endpoint)), { what: "test" }),
      (error: unknown) => {
        assert.ok(error instanceof AllEndpointsFailedError);
        assert.deepEqual(error.endpoints, ["https://***@a.example.com/***", "https://b.example.com/***"]);
        assert.ok(!/KEY_A|KEY_B|pw/.test(`${error.message} ${JSON.stringify(error)}`));
        return true;
      },
    );
  });

  it("never falls through on abort", async () => {
    const controller = new AbortController();
    const tried: string[] = [];
    await assert.rejects(
      withFailover(
        [A, B],
        async (endpoint) => {
          tried.push(endpoint);
          controller.abort(new Error("stop"));
          throw busy(endpoint);
        },
        { what: "test", signal: controller.signal },
      ),
      /^Error: stop$/,
    );
    assert.deepEqual(tried, [A]);
    await assert.rejects(
      withFailover([A], async () => "x", { what: "test", signal: AbortSignal.abort(new Error("gone")) }),
      /^Error: gone$/,
    );
    // An abort error from the attempt itself does not fall through either, whatever the policy.
    const aborted = new DOMException("The operation was aborted", "AbortError");
    const attempts: string[] = [];
    await assert.rejects(
      withFailover(
        [A, B],
        async (endpoint) => {
          attempts.push(endpoint);
          throw aborted;
        },
        { what: "test", fallThrough: () => true },
      ),
      (error) => error === aborted,
    );
    assert.deepEqual(attempts, [A]);
  });

  it("refuses an empty endpoint list", async () => {
    await assert.rejects(
      withFailover([], async () => "x", { what: "test" }),
      /^OperatorError: no test endpoint configured$/,
    );
  });
});
