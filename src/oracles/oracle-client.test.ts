import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TypedDataDefinition } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type ScriptedServer, startScriptedServer, unusedUrl } from "../../test/support/scripted-server.ts";
import type { OracleApproval } from "./approval-request.ts";
import {
  agreeingApprovals,
  NotEnoughOracleAnswersError,
  NotEnoughOracleApprovalsError,
  requestApprovals,
  requestForcedExits,
  requestOutdatedSignatures,
} from "./oracle-client.ts";

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

describe("requestOutdatedSignatures", () => {
  const vault = "0x00000000000000000000000000000000000000aa";
  const report = { exit_signature_block_number: 12, validators: [{ index: 3 }, { index: 5 }] };
  let reporting: ScriptedServer;
  let failing: ScriptedServer;

  before(async () => {
    reporting = await startScriptedServer(() => ({ json: report }));
    failing = await startScriptedServer(() => ({ status: 503, json: { error: "busy" } }));
  });
  after(async () => {
    await Promise.all([reporting, failing].map((s) => s?.close()));
  });

  const ask = (endpoints: string[][], threshold: number) =>
    requestOutdatedSignatures({
      oracles: endpoints.map((e, i) => ({ address: `0x${String(i + 1).repeat(40)}` as const, endpoints: e })),
      vault,
      threshold,
      timeoutMs: 2_000,
      shuffle: (items) => [...items],
    });

  it("GETs /signatures/{vault} of every oracle, through its replicas in turn", async () => {
    const dead = await unusedUrl();
    const reports = await ask([[dead, reporting.url], [`${reporting.url}/`]], 2);
    assert.deepEqual(reports, [report, report]);
    assert.deepEqual(
      reporting.requests.slice(-2).map((r) => `${r.method} ${r.url}`),
      [`GET /signatures/${vault}`, `GET /signatures/${vault}`],
    );
  });

  it("fewer answers than the threshold is a retryable error naming each failed oracle, not an empty report", async () => {
    const dead = await unusedUrl("/KEY");
    await assert.rejects(ask([[reporting.url], [dead, failing.url], []], 2), (error: unknown) => {
      assert.ok(error instanceof NotEnoughOracleAnswersError);
      assert.equal(error.retryable, true);
      assert.equal(
        error.message,
        "1 of 3 oracles answered which exit signatures are outdated, 2 required (" +
          `0x${"2".repeat(40)}: ${dead.replace("/KEY", "/***")} refused the connection, ${failing.url} answered HTTP 503: busy; ` +
          `0x${"3".repeat(40)}: no endpoints)`,
      );
      return true;
    });
  });

  it("an abort rejects", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await assert.rejects(
      requestOutdatedSignatures({
        oracles: [{ address: oracle.address, endpoints: [reporting.url] }],
        vault,
        threshold: 1,
        timeoutMs: 2_000,
        signal: controller.signal,
      }),
      /^Error: stop$/,
    );
  });
});

describe("agreeingApprovals", () => {
  it("names the failed oracles when too few approvals agree", async () => {
    const approval = await signedBy(oracle);
    assert.throws(
      () =>
        agreeingApprovals([{ oracle: oracle.address, approval }], 2, [
          { oracle: impostor.address, reason: "http://o2 refused the connection" },
        ]),
      (error: unknown) => {
        assert.ok(error instanceof NotEnoughOracleApprovalsError);
        assert.equal(
          error.message,
          `1 oracle approvals agree, 2 required (${impostor.address}: http://o2 refused the connection)`,
        );
        return true;
      },
    );
    assert.equal(agreeingApprovals([{ oracle: oracle.address, approval }], 1).ipfsHash, "bafy-test");
  });
});

describe("requestForcedExits", () => {
  let reporting: ScriptedServer;
  let malformed: ScriptedServer;

  before(async () => {
    reporting = await startScriptedServer(() => ({ json: [{ index: 4 }, { index: 9 }] }));
    malformed = await startScriptedServer(() => ({ json: [{ index: "4" }] }));
  });
  after(async () => {
    await Promise.all([reporting, malformed].map((s) => s?.close()));
  });

  it("GETs /exits/ of every oracle through its replicas; one that fails votes for nothing", async () => {
    const dead = await unusedUrl();
    const { answers, failures } = await requestForcedExits({
      oracles: [
        { address: `0x${"1".repeat(40)}`, endpoints: [dead, reporting.url] },
        { address: `0x${"2".repeat(40)}`, endpoints: [malformed.url] },
        { address: `0x${"3".repeat(40)}`, endpoints: [`${reporting.url}/`] },
      ],
      timeoutMs: 2_000,
      shuffle: (items) => [...items],
    });
    assert.deepEqual(answers, [[4, 9], [], [4, 9]]);
    assert.deepEqual(
      failures.map((f) => f.oracle),
      [`0x${"2".repeat(40)}`],
    );
    assert.ok(reporting.requests.every((r) => r.method === "GET" && r.url === "/exits/"));
  });
});
