import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OperatorError } from "../errors.ts";
import {
  AllEndpointsFailedError,
  EndpointRequestError,
  isRetryableFailure,
  isRetryableStatus,
} from "./errors.ts";

describe("isRetryableStatus", () => {
  it("is true for 408, 429 and 5xx only", () => {
    for (const status of [408, 429, 500, 502, 503, 504, 599]) assert.equal(isRetryableStatus(status), true);
    for (const status of [200, 301, 400, 401, 403, 404, 405, 414])
      assert.equal(isRetryableStatus(status), false);
  });

  it("is false past the 5xx range", () => {
    for (const status of [600, 999]) assert.equal(isRetryableStatus(status), false);
  });
});

describe("isRetryableFailure", () => {
  it("is true only for errors flagged retryable", () => {
    assert.equal(isRetryableFailure(new OperatorError("rpc down", { retryable: true })), true);
    assert.equal(isRetryableFailure(new OperatorError("bad request")), false);
    assert.equal(isRetryableFailure(new Error("x")), false);
    assert.equal(isRetryableFailure({ retryable: "yes" }), false);
    assert.equal(isRetryableFailure({ retryable: true }), false);
    assert.equal(isRetryableFailure(null), false);
  });
});

describe("EndpointRequestError", () => {
  it("is the endpoint and its reason, with the failure's kind and status", () => {
    const error = new EndpointRequestError({
      endpoint: "https://***@node.example/***",
      failure: { kind: "http", status: 503, reason: "answered HTTP 503: busy" },
      request: "/eth/v1/node/syncing",
      body: '{"message":"busy"}',
      retryable: true,
    });
    assert.equal(error.message, "https://***@node.example/*** answered HTTP 503: busy");
    assert.equal(error.kind, "http");
    assert.equal(error.status, 503);
    assert.equal(error.body, '{"message":"busy"}');
    assert.equal(error.retryable, true);
  });
});

describe("AllEndpointsFailedError", () => {
  it("names each endpoint with its reason and keeps each failure", () => {
    const first = new OperatorError("socket closed", { retryable: true });
    const second = new OperatorError("rpc down", { retryable: true });
    const error = new AllEndpointsFailedError(
      "every test endpoint failed",
      [
        { endpoint: "http://a", error: first, reason: "dropped the connection" },
        { endpoint: "http://b/***", error: second },
      ],
      { retryable: true },
    );
    assert.equal(
      error.message,
      "every test endpoint failed (http://a dropped the connection; http://b/*** failed: rpc down)",
    );
    assert.deepEqual(error.failures, [first, second]);
    assert.deepEqual(error.reasons, ["dropped the connection", "failed: rpc down"]);
    assert.equal(error.cause, second);
  });
});
