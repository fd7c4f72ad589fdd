import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLegacyRelayerClient } from "./legacy-relayer-client.ts";

const KEY = `0x${"ab".repeat(48)}`;
const OTHER = `0x${"ef".repeat(48)}`;

/** A fetch double answering each path with `answers[path]`, recording what was sent. */
function fetchDouble(answers: Record<string, unknown>) {
  const sent: { path: string; method: string; body: unknown }[] = [];
  const fetch = (async (input: URL | string, init?: RequestInit) => {
    const url = new URL(String(input));
    sent.push({
      path: url.pathname,
      method: init?.method ?? "GET",
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    return new Response(JSON.stringify(answers[url.pathname]), { status: 200 });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

const client = (answers: Record<string, unknown>) => {
  const double = fetchDouble(answers);
  return {
    sent: double.sent,
    relayer: createLegacyRelayerClient({
      endpoint: "http://relayer.test",
      timeoutMs: 1000,
      fetch: double.fetch,
    }),
  };
};

describe("legacy relayer client (spec A.2)", () => {
  it("reads the network of GET /info", async () => {
    const { relayer } = client({ "/info": { network: "hoodi" } });
    assert.deepEqual(await relayer.info(), { network: "hoodi" });
  });

  it("posts /validators with the keys in order and reads shards and not-yet items, hex with or without 0x", async () => {
    const { relayer, sent } = client({
      "/validators": {
        ready: false,
        validators: [
          {
            public_key: KEY.slice(2).toUpperCase(),
            oracles_exit_signature_shares: {
              public_keys: [OTHER.slice(2)],
              encrypted_exit_signatures: ["0A0b"],
            },
          },
          { public_key: OTHER, oracles_exit_signature_shares: null },
        ],
      },
    });
    const answer = await relayer.validators([KEY, OTHER] as `0x${string}`[]);
    assert.deepEqual(sent, [{ path: "/validators", method: "POST", body: { public_keys: [KEY, OTHER] } }]);
    assert.deepEqual(answer, {
      ready: false,
      validators: [
        { publicKey: KEY, shards: { publicKeys: [OTHER], encryptedExitSignatures: ["0x0a0b"] } },
        { publicKey: OTHER, shards: undefined },
      ],
    });
  });

  it("reads GET /exits as each key's validator index, ignoring the sidecars' other fields", async () => {
    const { relayer } = client({
      "/exits": {
        exits: [
          {
            public_key: KEY,
            validator_index: 500,
            is_exit_signature_ready: false,
            created_at_timestamp: 1,
            created_at_string: "x",
            share_indexes_ready: [1],
          },
          { public_key: OTHER, validator_index: 501 },
        ],
      },
    });
    assert.deepEqual(
      [...(await relayer.exitIndexes()).entries()],
      [
        [KEY, 500],
        [OTHER, 501],
      ],
    );
  });

  it("refuses malformed answers with the path and the field", async () => {
    const bad = client({
      "/validators": { ready: "yes", validators: [] },
      "/exits": { exits: [{ public_key: "0x12", validator_index: 1 }] },
    }).relayer;
    await assert.rejects(bad.validators([KEY as `0x${string}`]), /\/validators/);
    await assert.rejects(bad.exitIndexes(), /\/exits/);
  });
});
