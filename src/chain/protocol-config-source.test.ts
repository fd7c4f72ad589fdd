import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PublicClient } from "viem";
import { unusedUrl } from "../../test/support/scripted-server.ts";
import { resolveNetwork } from "../config/networks.ts";
import { OperatorError } from "../lib/errors.ts";
import { AllEndpointsFailedError } from "../lib/http/errors.ts";
import { IpfsFetchError } from "./ipfs-client.ts";
import { createProtocolConfigSource } from "./protocol-config-source.ts";

/** Hoodi without Multicall3: the thresholds are read one by one. */
const { multicall3: _multicall3, ...network } = resolveNetwork("hoodi", { devnetFile: "" });

/**
 * A chain double with ConfigUpdated events at the given blocks; thresholds 2 and 3. `fail` makes
 * one of its calls throw.
 */
function chainDouble(
  latest: bigint,
  events: ReadonlyArray<[bigint, string]>,
  fail: { getLogs?: unknown; readContract?: unknown } = {},
) {
  const ranges: Array<[bigint, bigint]> = [];
  const client = {
    getBlockNumber: async () => latest,
    getLogs: async ({ fromBlock, toBlock }: { fromBlock: bigint; toBlock: bigint }) => {
      if (fail.getLogs) throw fail.getLogs;
      ranges.push([fromBlock, toBlock]);
      return events
        .filter(([block]) => block >= fromBlock && block <= toBlock)
        .map(([blockNumber, configIpfsHash]) => ({ blockNumber, args: { configIpfsHash } }));
    },
    readContract: async ({ functionName }: { functionName: string }) => {
      if (fail.readContract) throw fail.readContract;
      return functionName === "validatorsMinOracles" ? 2n : 3n;
    },
  };
  return { client: client as unknown as PublicClient, ranges };
}

const INLINE_JSON = "bafkqadd3ejxwe2tfmn2ceorrpu"; // identity CID of {"object":1}

describe("createProtocolConfigSource", () => {
  it("scans backwards from the block in windows, several at a time, from the config event block", async () => {
    const { client, ranges } = chainDouble(100_000n, [[94_500n, INLINE_JSON]]);
    const source = createProtocolConfigSource({
      client,
      network,
      ipfs: { gateways: ["http://127.0.0.1:1"] },
      windowBlocks: 1_000,
      concurrency: 2,
    });
    const snapshot = await source.read();
    assert.deepEqual(snapshot, {
      configIpfsHash: INLINE_JSON,
      json: { object: 1 },
      validatorsMinOracles: 2,
      rewardsMinOracles: 3,
      blockNumber: 100_000n,
      eventBlockNumber: 94_500n,
    });
    assert.deepEqual(ranges.slice(0, 2), [
      [99_001n, 100_000n],
      [98_001n, 99_000n],
    ]);
    assert.deepEqual(ranges.at(-1), [94_090n, 95_000n]);
  });

  it("says when the Keeper has no ConfigUpdated event", async () => {
    const { client } = chainDouble(95_000n, []);
    const source = createProtocolConfigSource({
      client,
      network,
      ipfs: { gateways: ["http://127.0.0.1:1"] },
    });
    await assert.rejects(source.read(), (error: unknown) => {
      assert.ok(error instanceof OperatorError);
      assert.equal(error.retryable, false);
      assert.match(
        error.message,
        /the Keeper 0xA7D1Ac9D6F32B404C75626874BA56f7654c1dC0f has no ConfigUpdated event from block 94090 to 95000/,
      );
      return true;
    });
  });

  it("a failure names the step: the Keeper's events, its thresholds, the oracle config on IPFS", async () => {
    const down = new AllEndpointsFailedError(
      "every execution endpoint failed",
      [{ endpoint: "http://a", error: new Error("x"), reason: "refused the connection" }],
      { retryable: true },
    );
    const read = (fail: Parameters<typeof chainDouble>[2], events: ReadonlyArray<[bigint, string]>) =>
      createProtocolConfigSource({
        client: chainDouble(95_000n, events, fail).client,
        network,
        ipfs: { gateways: [gateway], timeoutMs: 1_000 },
      }).read();
    const gateway = await unusedUrl();
    await assert.rejects(read({ getLogs: down }, []), (error: unknown) => {
      assert.ok(error instanceof OperatorError);
      assert.equal(error.retryable, true);
      assert.equal(
        error.message,
        "cannot read the Keeper's ConfigUpdated events: every execution endpoint failed (http://a refused the connection)",
      );
      return true;
    });
    const reverted = new Error("execution reverted\nVersion: viem");
    await assert.rejects(read({ readContract: reverted }, [[94_500n, INLINE_JSON]]), (error: unknown) => {
      assert.ok(error instanceof OperatorError);
      assert.equal(error.retryable, false);
      assert.equal(error.message, "cannot read the Keeper's oracle thresholds: execution reverted");
      return true;
    });
    const cid = "QmawUdo17Fvo7xa6ARCUSMV1eoVwPtVuzx8L8Crj2xozWm";
    await assert.rejects(read({}, [[94_500n, cid]]), (error: unknown) => {
      assert.ok(error instanceof IpfsFetchError);
      assert.equal(
        error.message,
        `cannot fetch the oracle config ${cid} from IPFS (${gateway} refused the connection)`,
      );
      return true;
    });
  });
});
