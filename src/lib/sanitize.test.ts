import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OperatorError } from "./errors.ts";
import {
  REDACTED,
  REDACTED_MNEMONIC,
  redactUrl,
  sanitizeContext,
  sanitizeText,
  sanitizeValue,
  serializeError,
} from "./sanitize.ts";

const KEY32 = `0x${"ab".repeat(32)}`;
const PUBKEY48 = `0x${"cd".repeat(48)}`;
const MNEMONIC =
  "abandon ability able about above absent absorb abstract absurd abuse access accident acquire across";

describe("redactUrl", () => {
  it("keeps scheme and host, masks userinfo, path and query", () => {
    assert.equal(
      redactUrl("https://user:pass@rpc.example.com/v3/abc?apikey=xyz"),
      "https://***@rpc.example.com/***",
    );
    assert.equal(redactUrl("https://mainnet.infura.io/v3/0123456789abcdef"), "https://mainnet.infura.io/***");
    assert.equal(redactUrl("http://127.0.0.1:5052/eth/v1/node/syncing"), "http://127.0.0.1:5052/***");
    assert.equal(redactUrl("wss://node.example.com:8546?token=t"), "wss://node.example.com:8546/***");
    assert.equal(redactUrl("http://localhost:5052#frag"), "http://localhost:5052/***");
  });

  it("leaves a bare origin readable", () => {
    assert.equal(redactUrl("http://localhost:5052"), "http://localhost:5052");
    assert.equal(redactUrl("http://localhost:5052/"), "http://localhost:5052");
    assert.equal(redactUrl("https://user@host"), "https://***@host");
  });

  it("masks what does not parse", () => {
    assert.equal(redactUrl("http://exa mple.com/secret"), "http://***");
    assert.equal(redactUrl("not a url with password"), "***");
  });
});

describe("sanitizeText", () => {
  it("redacts URLs inside free text and keeps trailing punctuation", () => {
    assert.equal(
      sanitizeText("request to https://u:p@host.io/key/abc failed (see http://a.io/x)."),
      "request to https://***@host.io/*** failed (see http://a.io/***).",
    );
  });

  it("masks secret assignments, auth headers and hex after secret words", () => {
    assert.equal(sanitizeText("password=hunter2 user=bob"), `password=${REDACTED} user=bob`);
    assert.equal(sanitizeText('{"api_key":"abc123","n":1}'), `{"api_key":"${REDACTED}","n":1}`);
    assert.equal(sanitizeText("Authorization: Bearer eyJhbGciOi.x.y"), `Authorization: Bearer ${REDACTED}`);
    assert.equal(sanitizeText(`invalid private key ${KEY32}`), `invalid private key ${REDACTED}`);
  });

  it("masks 12+ BIP-39-looking words but keeps shorter runs and prose", () => {
    assert.equal(sanitizeText(`phrase: "${MNEMONIC}".`), `phrase: "${REDACTED_MNEMONIC}".`);
    // Adjacent lower-case words are swallowed too: better one word too many than one too few.
    assert.equal(sanitizeText(`Got the ${MNEMONIC} ok`), `Got ${REDACTED_MNEMONIC} ok`);
    const eleven = MNEMONIC.split(" ").slice(0, 11).join(" ");
    assert.equal(sanitizeText(eleven), eleven);
    const prose = "The beacon node at slot 12 returned 503: Service Unavailable, retrying in 2 s";
    assert.equal(sanitizeText(prose), prose);
    assert.equal(sanitizeText(MNEMONIC.replaceAll(" ", "\n")), REDACTED_MNEMONIC);
  });

  it("leaves ordinary hex (hashes, public keys) readable", () => {
    const text = `tx ${KEY32} for pubkey ${PUBKEY48}`;
    assert.equal(sanitizeText(text), text);
  });
});

describe("sanitizeValue", () => {
  it("redacts every value under secret-named keys", () => {
    assert.deepEqual(
      sanitizeValue({
        password: "hunter2",
        keystorePassword: 1234,
        privateKey: KEY32,
        private_key: { nested: "x" },
        MNEMONIC: "a b c",
        accessToken: "t",
        apiKey: "k",
        authorization: "Basic abc",
        secrets: ["a", "b"],
        seedPhrase: "x",
      }),
      {
        password: REDACTED,
        keystorePassword: REDACTED,
        privateKey: REDACTED,
        private_key: REDACTED,
        MNEMONIC: REDACTED,
        accessToken: REDACTED,
        apiKey: REDACTED,
        authorization: REDACTED,
        secrets: REDACTED,
        seedPhrase: REDACTED,
      },
    );
  });

  it("keeps descriptive keys about secrets and protocol names readable", () => {
    const value = {
      passwordFile: "/data/password.txt",
      privateKeyPath: "/data/key",
      passwordSet: true,
      tokenAddress: "0x0000000000000000000000000000000000000001",
      osToken: "12",
      osTokenShares: "5",
      mintedOsToken: "7",
      gasToken: "ETH",
      gas_token: "xDAI",
      tokenSymbol: "GNO",
      withdrawalCredentials: `0x01${"00".repeat(31)}`,
    };
    assert.deepEqual(sanitizeValue(value), value);
  });

  it("still redacts token-like secrets under token keys, whatever they hold", () => {
    const secrets = {
      token: "ghp_0123456789abcdefABCDEF0123456789abcd",
      authToken: "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo",
      accessToken: "hvs.CAESIJ0123456789abcdef",
      apiToken: "ETH",
      refreshToken: "r-123",
      token_value: "abc",
      tokens: ["a", "b"],
      gasTokenSecret: "s",
    };
    assert.deepEqual(
      sanitizeValue(secrets),
      Object.fromEntries(Object.keys(secrets).map((key) => [key, REDACTED])),
    );
  });

  it("redacts 32-byte hex under key-named keys but keeps public keys", () => {
    assert.deepEqual(
      sanitizeValue({ key: KEY32, signingKey: "ab".repeat(32), pubkey: PUBKEY48, keys: [KEY32, PUBKEY48] }),
      { key: REDACTED, signingKey: REDACTED, pubkey: PUBKEY48, keys: [REDACTED, PUBKEY48] },
    );
    assert.deepEqual(sanitizeValue({ blockRoot: KEY32 }), { blockRoot: KEY32 });
  });

  it("keeps booleans and nulls under secret keys (whether a secret is set is not secret)", () => {
    assert.deepEqual(sanitizeValue({ password: null, token: undefined, secret: false }), {
      password: null,
      token: undefined,
      secret: false,
    });
  });

  it("honours extra redact keys, as whole keys or words", () => {
    assert.deepEqual(sanitizeValue({ vaultPin: "1", pin: "2", spin: "3" }, { redactKeys: ["PIN"] }), {
      vaultPin: REDACTED,
      pin: REDACTED,
      spin: "3",
    });
  });

  it("sanitizes strings anywhere, including nested arrays and maps", () => {
    assert.deepEqual(
      sanitizeValue({ endpoints: ["https://u:p@a.io/x"], notes: new Map([["n", MNEMONIC]]) }),
      { endpoints: ["https://***@a.io/***"], notes: { n: REDACTED_MNEMONIC } },
    );
  });

  it("makes values JSON-safe", () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const out = sanitizeValue({
      big: 10n ** 30n,
      bytes: new Uint8Array(32),
      date: new Date(0),
      url: new URL("https://u:p@x.io/a"),
      nan: Number.NaN,
      fn: function named() {},
      set: new Set([1, 2]),
      circular,
      long: "x".repeat(2100),
      many: Array.from({ length: 105 }, (_, i) => i),
    }) as Record<string, unknown>;
    assert.equal(out.big, "1000000000000000000000000000000");
    assert.equal(out.bytes, "[32 bytes]");
    assert.equal(out.date, "1970-01-01T00:00:00.000Z");
    assert.equal(out.url, "https://***@x.io/***");
    assert.equal(out.nan, "NaN");
    assert.equal(out.fn, "[function named]");
    assert.deepEqual(out.set, [1, 2]);
    assert.deepEqual(out.circular, { a: 1, self: "[circular]" });
    assert.match(out.long as string, /…\(100 more chars\)$/);
    assert.equal((out.many as unknown[]).length, 101);
    assert.doesNotThrow(() => JSON.stringify(out));
  });

  it("cuts deep nesting and keeps shared (non-circular) references", () => {
    const shared = { x: 1 };
    assert.deepEqual(sanitizeValue({ a: shared, b: shared }), { a: { x: 1 }, b: { x: 1 } });
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 10; i++) deep = { deep };
    assert.match(JSON.stringify(sanitizeValue(deep)), /\[too deep\]/);
  });

  it("sanitizeContext returns an object", () => {
    assert.deepEqual(sanitizeContext({ token: "x", n: 1 }), { token: REDACTED, n: 1 });
  });
});

describe("serializeError", () => {
  it("keeps name, sanitized one-line message, retryable and each cause as one line", () => {
    const root = new TypeError("connect ECONNREFUSED 10.0.0.1:8545\n    at internal");
    const error = new OperatorError("request to https://u:p@rpc.io/v3/key failed", {
      retryable: true,
      cause: new Error("fetch failed", { cause: root }),
    });
    assert.deepEqual(serializeError(error), {
      name: "OperatorError",
      message: "request to https://***@rpc.io/*** failed",
      retryable: true,
      causes: ["Error: fetch failed", "TypeError: connect ECONNREFUSED 10.0.0.1:8545"],
    });
  });

  it("gives a viem-style error's short message and details, never its request body or metaMessages", () => {
    const viemLike = Object.assign(
      new Error(
        'HTTP request failed.\n\nURL: https://node.example/v3/KEY\nRequest body: {"method":"eth_call","params":[{"data":"0xsecret"}]}\n\nDetails: fetch failed\nVersion: viem@2',
      ),
      {
        name: "HttpRequestError",
        shortMessage: "HTTP request failed.",
        details: "fetch failed",
        metaMessages: ["URL: https://node.example/v3/KEY", 'Request body: {"method":"eth_call"}'],
      },
    );
    const out = serializeError(new OperatorError("read failed", { cause: viemLike }), { stack: true });
    assert.deepEqual(out.causes, ["HttpRequestError: HTTP request failed: fetch failed"]);
    const text = JSON.stringify(out);
    for (const bad of ["Request body", "KEY", "0xsecret", "Version: viem"])
      assert.ok(!text.includes(bad), text);
    assert.match(
      out.stack ?? "",
      /^OperatorError: read failed\n\s+at [\s\S]*\ncaused by: HttpRequestError: HTTP request failed: fetch failed\n\s+at /,
    );
  });

  it("adds sanitized stacks (with causes) only when asked", () => {
    const error = new Error(`bad mnemonic ${MNEMONIC}`, { cause: new RangeError("inner") });
    const out = serializeError(error, { stack: true });
    assert.ok(out.stack?.includes("caused by: RangeError: inner"));
    assert.ok(!out.stack?.includes("abandon"));
    assert.equal(serializeError(error).stack, undefined);
  });

  it("describes thrown non-errors in one line", () => {
    assert.deepEqual(serializeError("password=x"), { name: "string", message: `password=${REDACTED}` });
    assert.deepEqual(serializeError({ token: "t" }), { name: "object", message: `{"token":"${REDACTED}"}` });
    assert.deepEqual(serializeError(null), { name: "null", message: "null" });
    assert.deepEqual(serializeError("a\nb"), { name: "string", message: "a" });
  });

  it("stops on cyclic causes", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    assert.deepEqual(serializeError(a).causes, ["Error: b"]);
  });
});
