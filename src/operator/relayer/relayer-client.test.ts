import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EndpointRequestError } from "../../lib/http/errors.ts";
import { createOperatorRelayerClient } from "./relayer-client.ts";

const KEY = `0x${"ab".repeat(48)}`;
const SIG = `0x${"cd".repeat(96)}`;

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

describe("operator relayer client", () => {
  it("reads GET /info with and without a validators manager", async () => {
    const manager = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
    const { fetch } = fetchDouble({ "/info": { network: "hoodi", validators_manager_address: manager } });
    const client = createOperatorRelayerClient({ endpoint: "http://relayer.test", timeoutMs: 1000, fetch });
    assert.deepEqual(await client.info(), { network: "hoodi", validatorsManager: manager });
    const bare = fetchDouble({ "/info": { network: "hoodi" } });
    const other = createOperatorRelayerClient({
      endpoint: "http://relayer.test",
      timeoutMs: 1000,
      fetch: bare.fetch,
    });
    assert.deepEqual(await other.info(), { network: "hoodi", validatorsManager: undefined });
  });

  it("posts /register with gwei numbers and reads ready and pending validators, hex with or without 0x", async () => {
    const { fetch, sent } = fetchDouble({
      "/register": {
        validators: [
          {
            public_key: KEY,
            amount: 32_000_000_000,
            deposit_signature: SIG,
            exit_signature: SIG,
            oracles_exit_signature_shares: {
              public_keys: [KEY.slice(2)],
              encrypted_exit_signatures: ["0102"],
            },
          },
          {
            public_key: KEY,
            amount: 32_000_000_000,
            deposit_signature: null,
            exit_signature: null,
            oracles_exit_signature_shares: null,
          },
        ],
        validators_manager_signature: null,
      },
    });
    const client = createOperatorRelayerClient({ endpoint: "http://relayer.test", timeoutMs: 1000, fetch });
    const answer = await client.register({
      vault: "0x3320ad928c20187602a2b2c04eeaa813fa899468",
      validatorsStartIndex: 7,
      amountsGwei: [32_000_000_000n, 32_000_000_000n],
      validatorType: "0x01",
    });
    assert.deepEqual(sent, [
      {
        path: "/register",
        method: "POST",
        body: {
          vault: "0x3320ad928c20187602a2b2c04eeaa813fa899468",
          validators_start_index: 7,
          amounts: [32_000_000_000, 32_000_000_000],
          validator_type: "0x01",
        },
      },
    ]);
    assert.deepEqual(answer, {
      validators: [
        {
          publicKey: KEY,
          amountGwei: 32_000_000_000n,
          depositSignature: SIG,
          oracleShards: { publicKeys: [KEY], encryptedExitSignatures: ["0x0102"] },
        },
        { publicKey: KEY, amountGwei: 32_000_000_000n, depositSignature: undefined, oracleShards: undefined },
      ],
      validatorsManagerSignature: undefined,
    });
  });

  it("names the field of an answer that does not parse", async () => {
    const { fetch } = fetchDouble({ "/register": { validators: [{ public_key: "0x12", amount: 1 }] } });
    const client = createOperatorRelayerClient({ endpoint: "http://relayer.test", timeoutMs: 1000, fetch });
    await assert.rejects(
      client.register({
        vault: "0x3320ad928c20187602a2b2c04eeaa813fa899468",
        validatorsStartIndex: 0,
        amountsGwei: [1n],
        validatorType: "0x02",
      }),
      (error) => error instanceof EndpointRequestError && /validators\.0\.public_key/.test(error.message),
    );
  });
});
