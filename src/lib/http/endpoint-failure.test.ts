import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPublicClient, http } from "viem";
import {
  type ScriptedServer,
  startScriptedServer,
  startWebServer,
  unusedUrl,
} from "../../../test/support/scripted-server.ts";
import { OperatorError } from "../errors.ts";
import {
  type BodyForm,
  classifyFailure,
  describeBody,
  type EndpointFailure,
  failureReason,
  notANode,
  timedOutAfter,
} from "./endpoint-failure.ts";

/** The error a real fetch of `url` fails with. */
async function fetchError(url: string, init: RequestInit = {}): Promise<unknown> {
  return fetch(url, init).then(
    () => assert.fail(`${url} answered`),
    (error: unknown) => error,
  );
}

/** The error a real viem JSON-RPC request to `url` fails with. */
async function viemError(url: string, timeout = 2_000): Promise<unknown> {
  const client = createPublicClient({ transport: http(url, { retryCount: 0, timeout }) });
  return client.request({ method: "eth_chainId" }).then(
    (result) => assert.fail(`${url} answered ${String(result)}`),
    (error: unknown) => error,
  );
}

const systemError = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("classifyFailure", () => {
  let web: ScriptedServer;
  let server: ScriptedServer;
  before(async () => {
    web = await startWebServer();
    server = await startScriptedServer((request) => {
      if (request.url === "/drop") return { destroy: true };
      if (request.url === "/slow") return { delayMs: 400, json: {} };
      if (request.url === "/limit") {
        return {
          status: 429,
          json: { jsonrpc: "2.0", id: 0, error: { code: -32005, message: "limit exceeded" } },
        };
      }
      if (request.url === "/busy") return { status: 503, json: { error: "upstream down\nretry later" } };
      return { body: "<!DOCTYPE html><html><title>Home</title></html>" };
    });
  });
  after(async () => {
    await Promise.all([web?.close(), server?.close()]);
  });

  it("names what a real fetch met: a refusal, a dropped connection, TLS, a blocked port, a timeout", async () => {
    assert.equal(failureReason(await fetchError(await unusedUrl())), "refused the connection");
    assert.equal(failureReason(await fetchError(`${server.url}/drop`)), "dropped the connection");
    assert.equal(
      failureReason(await fetchError(server.url.replace("http:", "https:"))),
      "failed TLS: the server does not speak TLS (an http:// endpoint?)",
    );
    assert.equal(
      failureReason(await fetchError("http://127.0.0.1:1/")),
      "uses a port that fetch refuses to connect to",
    );
    const timedOut = await fetchError(`${server.url}/slow`, { signal: AbortSignal.timeout(50) });
    assert.deepEqual(classifyFailure(timedOut, { timeoutMs: 50 }), {
      kind: "timeout",
      reason: "timed out after 50 ms",
    });
  });

  it("reads viem's errors from real requests: HTTP status and body, HTML, JSON-RPC errors, timeouts", async () => {
    assert.deepEqual(classifyFailure(await viemError(web.url)), {
      kind: "http",
      status: 501,
      body: "html",
      reason: 'answered HTTP 501: an HTML page titled "Error response"',
    });
    assert.deepEqual(classifyFailure(await viemError(`${server.url}/busy`)), {
      kind: "http",
      status: 503,
      body: "text",
      reason: "answered HTTP 503: upstream down",
    });
    assert.deepEqual(classifyFailure(await viemError(server.url)), {
      kind: "not-json",
      body: "html",
      reason: "answered HTML, not JSON",
    });
    assert.equal(
      failureReason(await viemError(`${server.url}/limit`)),
      "answered JSON-RPC error -32005: limit exceeded",
    );
    assert.equal(
      failureReason(await viemError(`${server.url}/slow`, 100), { timeoutMs: 100 }),
      "timed out after 100 ms",
    );
    assert.equal(failureReason(await viemError(await unusedUrl())), "refused the connection");
  });

  it("maps system error codes to a few words, the innermost code first", () => {
    const wrapped = (code: string) => new TypeError("fetch failed", { cause: systemError(code) });
    assert.equal(failureReason(wrapped("ENOTFOUND")), "cannot be resolved: DNS lookup failed");
    assert.equal(failureReason(wrapped("EAI_AGAIN")), "cannot be resolved: DNS lookup failed");
    assert.equal(failureReason(wrapped("ECONNRESET")), "dropped the connection");
    assert.equal(failureReason(wrapped("ETIMEDOUT")), "timed out");
    assert.equal(failureReason(wrapped("CERT_HAS_EXPIRED")), "failed TLS: certificate has expired");
    assert.equal(
      failureReason(wrapped("DEPTH_ZERO_SELF_SIGNED_CERT")),
      "failed TLS: self-signed certificate",
    );
    assert.equal(
      failureReason(wrapped("ERR_TLS_CERT_ALTNAME_INVALID")),
      "failed TLS: certificate is for another host name",
    );
    assert.equal(failureReason(wrapped("EHOSTUNREACH")), "cannot be reached: EHOSTUNREACH");
  });

  it("keeps a classified error's own classification and says 'failed: …' for anything else", () => {
    const failure: EndpointFailure = { kind: "invalid-response", reason: "answered content of another hash" };
    const classified = Object.assign(new OperatorError("x"), { failure });
    assert.equal(classifyFailure(new Error("outer", { cause: classified })), failure);
    assert.deepEqual(classifyFailure(new Error("odd\nsecond line https://u:p@h/KEY")), {
      kind: "other",
      reason: "failed: odd",
    });
    assert.equal(failureReason(new Error("token=abc broke")), "failed: token=[redacted] broke");
  });
});

describe("notANode", () => {
  const http = (status: number, body: BodyForm): EndpointFailure => ({
    kind: "http",
    status,
    body,
    reason: "",
  });

  it("reads 404/405/501 without JSON and 2xx non-JSON answers as the wrong kind of server", () => {
    assert.equal(
      notANode(http(501, "html"), "an execution node", "eth_chainId"),
      "is not an execution node: it answered HTTP 501 to eth_chainId",
    );
    assert.equal(
      notANode(http(404, "empty"), "a beacon node", "/eth/v1/config/deposit_contract"),
      "is not a beacon node: it answered HTTP 404 to /eth/v1/config/deposit_contract",
    );
    assert.equal(
      notANode({ kind: "not-json", body: "html", reason: "" }, "a beacon node", "/x"),
      "is not a beacon node: it answered HTML to /x",
    );
    assert.equal(
      notANode({ kind: "not-json", body: "text", reason: "" }, "a beacon node", "/x"),
      "is not a beacon node: it answered text that is not JSON to /x",
    );
  });

  it("leaves a node's own answers alone: a JSON 404, a 503, a timeout", () => {
    assert.equal(notANode(http(404, "json"), "a beacon node", "/eth/v1/beacon/genesis"), undefined);
    assert.equal(notANode(http(503, "html"), "an execution node", "eth_chainId"), undefined);
    assert.equal(
      notANode({ kind: "timeout", reason: "timed out" }, "an execution node", "eth_chainId"),
      undefined,
    );
  });
});

describe("describeBody", () => {
  it("gives the body's form and a short, secret-free line from it", () => {
    assert.deepEqual(describeBody(undefined), { form: "empty", text: "" });
    assert.deepEqual(describeBody('{"code":404,"message":"Not found"}'), { form: "json", text: "Not found" });
    assert.deepEqual(describeBody('{"error":{"message":"rate limited"}}'), {
      form: "json",
      text: "rate limited",
    });
    assert.deepEqual(describeBody("<html><head><title> Bad Gateway </title></head></html>"), {
      form: "html",
      text: 'an HTML page titled "Bad Gateway"',
    });
    assert.deepEqual(describeBody("<p>oops</p>"), { form: "html", text: "an HTML page" });
    assert.deepEqual(describeBody("upstream https://u:p@node.example/v3/KEY down\nmore"), {
      form: "text",
      text: "upstream https://***@node.example/*** down",
    });
    assert.equal(describeBody("x".repeat(500)).text.length, 120);
  });
});

describe("timedOutAfter", () => {
  it("says after how long, in ms below a second and in seconds above", () => {
    assert.equal(timedOutAfter(undefined), "timed out");
    assert.equal(timedOutAfter(250), "timed out after 250 ms");
    assert.equal(timedOutAfter(30_000), "timed out after 30 s");
    assert.equal(timedOutAfter(1_500), "timed out after 1.5 s");
  });
});
