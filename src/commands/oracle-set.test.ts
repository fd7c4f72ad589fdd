import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { startScriptedServer, unusedUrl } from "../../test/support/scripted-server.ts";
import type { createExecutionClient } from "../chain/execution-client.ts";
import { resolveNetwork } from "../config/networks.ts";
import { OperatorError } from "../lib/errors.ts";
import { readOracleSet } from "./oracle-set.ts";

/** Hoodi without Multicall3: the thresholds are read one by one. */
const { multicall3: _multicall3, ...network } = resolveNetwork("hoodi", { devnetFile: "" });
const CID_V0 = "QmawUdo17Fvo7xa6ARCUSMV1eoVwPtVuzx8L8Crj2xozWm";
/** Identity CID of {"object":1}: read from the CID itself, not a gateway. */
const INLINE_JSON = "bafkqadd3ejxwe2tfmn2ceorrpu";

/** An execution client double whose Keeper's last ConfigUpdated event names `cid`. */
function keeperWithConfig(cid: string, fail: { getLogs?: unknown } = {}) {
  return {
    getBlockNumber: async () => 95_000n,
    getLogs: async () => {
      if (fail.getLogs) throw fail.getLogs;
      return [{ blockNumber: 94_500n, args: { configIpfsHash: cid } }];
    },
    readContract: async () => 2n,
  } as unknown as ReturnType<typeof createExecutionClient>;
}

describe("readOracleSet", () => {
  const saved = process.env.IPFS_FETCH_ENDPOINTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.IPFS_FETCH_ENDPOINTS;
    else process.env.IPFS_FETCH_ENDPOINTS = saved;
  });
  const signal = new AbortController().signal;

  it("names the oracle config and each gateway tried with its reason", async () => {
    const dead = await unusedUrl("/KEY");
    const missing = await startScriptedServer(() => ({ status: 404, body: "not found" }));
    process.env.IPFS_FETCH_ENDPOINTS = `${dead},${missing.url}`;
    try {
      await assert.rejects(readOracleSet(keeperWithConfig(CID_V0), network, signal), (error: unknown) => {
        assert.ok(error instanceof OperatorError);
        assert.equal(error.retryable, true);
        assert.equal(
          error.message,
          `cannot fetch the oracle config ${CID_V0} from IPFS (${dead.replace("/KEY", "/***")} refused the connection; ${missing.url} answered HTTP 404: not found)`,
        );
        return true;
      });
    } finally {
      await missing.close();
    }
  });

  it("names the Keeper's events when the execution node fails, and the config file when it is wrong", async () => {
    process.env.IPFS_FETCH_ENDPOINTS = await unusedUrl();
    const rpcError = Object.assign(new Error("RPC Request failed.\n\nURL: …"), {
      shortMessage: "RPC Request failed.",
      details: "query returned more than 10000 results",
    });
    await assert.rejects(
      readOracleSet(keeperWithConfig(CID_V0, { getLogs: rpcError }), network, signal),
      (error: unknown) => {
        assert.ok(error instanceof OperatorError);
        assert.equal(
          error.message,
          "cannot read the Keeper's ConfigUpdated events: RPC Request failed: query returned more than 10000 results",
        );
        return true;
      },
    );
    await assert.rejects(
      readOracleSet(keeperWithConfig(INLINE_JSON), network, signal),
      /^OperatorError: protocol config ipfs:\/\/bafkqadd3ejxwe2tfmn2ceorrpu: field "oracles"/,
    );
  });
});
