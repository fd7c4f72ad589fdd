import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HttpRequestError } from "viem";
import { UserInputError } from "../lib/errors.ts";
import { redactUrl } from "../lib/sanitize.ts";
import {
  assertEndpointUrls,
  assertOneHealthy,
  NoEndpointReadyError,
  scrubUrlFromError,
  urlHasSecrets,
} from "./endpoints.ts";

describe("redactUrl", () => {
  it("keeps scheme, host and port; masks user info, path, query and fragment", () => {
    assert.equal(redactUrl("http://127.0.0.1:8545"), "http://127.0.0.1:8545");
    assert.equal(redactUrl("http://127.0.0.1:8545/"), "http://127.0.0.1:8545");
    assert.equal(
      redactUrl("https://user:pa55@mainnet.infura.io/v3/0123abcd?key=secret#frag"),
      "https://***@mainnet.infura.io/***",
    );
    assert.equal(redactUrl("https://node.example/?apikey=1"), "https://node.example/***");
    assert.equal(redactUrl("not a url"), "***");
  });

  it("urlHasSecrets says whether anything would be masked", () => {
    assert.equal(urlHasSecrets("http://localhost:5052"), false);
    assert.equal(urlHasSecrets("http://localhost:5052/"), false);
    assert.equal(urlHasSecrets("http://localhost:5052/key"), true);
    assert.equal(urlHasSecrets("http://u@localhost"), true);
    assert.equal(urlHasSecrets("http://localhost?x=1"), true);
  });
});

describe("assertEndpointUrls", () => {
  it("wants at least one http(s) URL and names bad ones redacted", () => {
    assert.throws(() => assertEndpointUrls([], "execution"), UserInputError);
    assert.throws(
      () => assertEndpointUrls(["ws://host/key"], "execution"),
      /ws:\/\/host\/\*\*\* must be an http/,
    );
    assert.throws(() => assertEndpointUrls(["nope"], "consensus"), /consensus endpoint \*\*\* is not a URL/);
    assertEndpointUrls(["http://a", "https://b/c"], "execution");
  });
});

describe("scrubUrlFromError", () => {
  it("replaces the endpoint in viem's error messages, causes included", () => {
    const url = "https://user:pw@node.example/v3/KEY123?token=abc";
    const inner = new HttpRequestError({ url, status: 503, details: "bad gateway" });
    const outer = new Error(`request to ${url} failed`, { cause: inner });
    scrubUrlFromError(outer, url);
    const text = [
      outer.message,
      outer.stack,
      inner.message,
      inner.url,
      inner.stack,
      ...(inner.metaMessages ?? []),
    ].join("\n");
    assert.ok(!text.includes("KEY123"), text);
    assert.ok(!text.includes("token=abc"), text);
    assert.ok(!text.includes("pw@"), text);
    assert.match(inner.message, /URL: https:\/\/\*\*\*@node\.example\/\*\*\*\n/);
  });

  it("leaves errors alone for a URL without secrets", () => {
    const error = new Error("http://localhost:8545 failed");
    scrubUrlFromError(error, "http://localhost:8545");
    assert.equal(error.message, "http://localhost:8545 failed");
  });
});

describe("assertOneHealthy", () => {
  it("passes with one healthy endpoint and otherwise lists every endpoint with its problem, retryable", () => {
    assertOneHealthy("execution", [
      { endpoint: "http://a", healthy: false, problem: "is syncing" },
      { endpoint: "http://b", healthy: true },
    ]);
    const refused = new Error("connect ECONNREFUSED");
    assert.throws(
      () =>
        assertOneHealthy("consensus", [
          { endpoint: "http://a", healthy: false, problem: "is syncing" },
          { endpoint: "http://b/***", healthy: false, problem: "refused the connection", error: refused },
          { endpoint: "http://c", healthy: false },
        ]),
      (error: unknown) => {
        assert.ok(error instanceof NoEndpointReadyError);
        assert.equal(error.retryable, true);
        assert.equal(error.shortMessage, "no consensus endpoint is ready");
        assert.equal(
          error.message,
          "no consensus endpoint is ready (http://a is syncing; http://b/*** refused the connection; http://c is not ready)",
        );
        assert.equal(error.cause, refused);
        assert.equal(error.statuses.length, 3);
        return true;
      },
    );
  });
});
