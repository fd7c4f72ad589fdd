import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { concat, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type ScriptedServer, startScriptedServer, unusedUrl } from "../../test/support/scripted-server.ts";
import {
  consolidationsCheckerDomain,
  consolidationsCheckerTypedData,
} from "../chain/vault-validators-eip712.ts";
import { requestConsolidationApproval } from "./consolidation-approval.ts";
import { NotEnoughOracleApprovalsError } from "./oracle-client.ts";

const VAULT = "0x1111111111111111111111111111111111111111";
const CHECKER = "0x2222222222222222222222222222222222222222";
const KEY = `0x${"ab".repeat(48)}` as Hex;
const typedData = consolidationsCheckerTypedData(consolidationsCheckerDomain(1, CHECKER), {
  vault: VAULT,
  validators: concat([KEY, KEY]),
});
// Three oracles whose addresses sort in an order other than the list's.
const accounts = [`0x${"33".repeat(32)}`, `0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`].map((k) =>
  privateKeyToAccount(k as Hex),
);
const sorted = [...accounts].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));

describe("requestConsolidationApproval", () => {
  const servers: ScriptedServer[] = [];
  let forged: ScriptedServer;

  before(async () => {
    for (const account of accounts) {
      const signature = await account.signTypedData(typedData);
      servers.push(await startScriptedServer(() => ({ json: { signature } })));
    }
    const impostor = await privateKeyToAccount(`0x${"44".repeat(32)}`).signTypedData(typedData);
    forged = await startScriptedServer(() => ({ json: { signature: impostor } }));
  });
  after(async () => {
    await Promise.all([...servers, forged].map((s) => s.close()));
  });

  const ask = (endpoints: string[][], threshold: number) =>
    requestConsolidationApproval({
      oracles: accounts.map((a, i) => ({ address: a.address, endpoints: endpoints[i] ?? [] })),
      body: { public_keys: [KEY], vault_address: VAULT },
      typedData,
      threshold,
      timeoutMs: 2_000,
      shuffle: (items) => [...items],
    });

  it("POSTs the keys and vault to /consolidate-validators/ and concatenates the first threshold by oracle address", async () => {
    const signatures = await ask(
      servers.map((s) => [s.url]),
      2,
    );
    const expected = concat(await Promise.all(sorted.slice(0, 2).map((a) => a.signTypedData(typedData))));
    assert.equal(signatures, expected);
    const request = servers[0]?.requests.at(-1);
    assert.equal(request?.method, "POST");
    assert.equal(request?.url, "/consolidate-validators/");
    assert.deepEqual(JSON.parse(request?.body ?? "{}"), { public_keys: [KEY], vault_address: VAULT });
  });

  it("moves to the next replica when one fails", async () => {
    const dead = await unusedUrl();
    const signatures = await ask(
      servers.map((s) => [dead, s.url]),
      3,
    );
    assert.equal(signatures.length, 2 + 3 * 130);
  });

  it("never uses a signature that is not the oracle's, and says who failed below the threshold", async () => {
    await assert.rejects(ask([[forged.url], [servers[1]?.url ?? ""], []], 2), (error: unknown) => {
      assert.ok(error instanceof NotEnoughOracleApprovalsError);
      assert.equal(error.retryable, true);
      assert.match(error.message, /1 of 3 oracles approved the consolidation, 2 required/);
      assert.match(error.message, /not by the oracle/);
      return true;
    });
  });
});
