import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TypedDataDefinition } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type ScriptedServer, startScriptedServer, unusedUrl } from "../../test/support/scripted-server.ts";
import type { OracleApproval } from "./approval-request.ts";
import { requestApprovals } from "./oracle-client.ts";

const oracle = privateKeyToAccount(`0x${"11".repeat(32)}`);
const impostor = privateKeyToAccount(`0x${"22".repeat(32)}`);

const typedData = (approval: OracleApproval): TypedDataDefinition => ({
  domain: { name: "test" },
  types: { Approval: [{ name: "ipfsHash", type: "string" }] },
  primaryType: "Approval",
  message: { ipfsHash: approval.ipfs_hash },
});

async function signedBy(account: typeof oracle): Promise<OracleApproval> {
  const approval = { ipfs_hash: "bafy-test", deadline: 1_700_000_000, signature: "0x" };
  const signature = await account.signTypedData(typedData(approval) as never);
  return { ...approval, signature };
}

describe("requestApprovals", () => {
  let honest: ScriptedServer;
  let forged: ScriptedServer;
  let rejecting: ScriptedServer;
  let malformed: ScriptedServer;

  before(async () => {
    const good = await signedBy(oracle);
    const bad = await signedBy(impostor);
    honest = await startScriptedServer(() => ({ json: good }));
    forged = await startScriptedServer(() => ({ json: bad }));
    rejecting = await startScriptedServer(() => ({
      status: 400,
      json: { error: "deadline is too far in the future" },
    }));
    malformed = await startScriptedServer(() => ({ json: { signature: "0x12" } }));
  });
  after(async () => {
    await Promise.all([honest, forged, rejecting, malformed].map((s) => s?.close()));
  });

  const ask = (endpoints: string[]) =>
    requestApprovals({
      oracles: [{ address: oracle.address, endpoints }],
      path: "",
      body: { vault: "0x01" },
      timeoutMs: 2_000,
      typedData,
      shuffle: (items) => [...items],
    });

  it("takes the first replica whose answer the oracle signed", async () => {
    const dead = await unusedUrl();
    const result = await ask([dead, honest.url]);
    assert.equal(result.failures.length, 0);
    assert.equal(result.approvals[0]?.oracle, oracle.address);
    assert.equal(honest.requests.at(-1)?.method, "POST");
    assert.equal(honest.requests.at(-1)?.url, "/");
  });

  it("names every replica tried, redacted, with its reason in the chain clients' words", async () => {
    const dead = await unusedUrl("/KEY");
    const result = await ask([
      dead,
      rejecting.url.replace("http://", "http://user:pw@"),
      malformed.url,
      `${forged.url}/?token=abc`,
    ]);
    assert.deepEqual(result.approvals, []);
    assert.deepEqual(result.failures, [
      {
        oracle: oracle.address,
        reason:
          `${dead.replace("/KEY", "/***")} refused the connection, ` +
          `${rejecting.url.replace("http://", "http://***@")} answered HTTP 400: deadline is too far in the future, ` +
          `${malformed.url} answered / unexpectedly: field "signature" must be 0x-prefixed hex of 65 bytes, ` +
          `${forged.url}/*** answered a signature by ${impostor.address}, not by the oracle`,
      },
    ]);
  });
});
