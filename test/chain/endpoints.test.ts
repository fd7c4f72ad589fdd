/**
 * The execution and consensus clients against the devnet: a real anvil and the beacon simulator.
 * Endpoint checks accept the devnet and refuse another chain with a clear message; a dead
 * endpoint is skipped by the fallback; a beacon node that is down hands over to a second one.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { checkConsensusEndpoints, createConsensusClient } from "../../src/chain/consensus-client.ts";
import { checkExecutionEndpoints, createExecutionClient } from "../../src/chain/execution-client.ts";
import type { NetworkConfig } from "../../src/config/networks.ts";
import { type BeaconServer, startBeaconServer } from "../../src/devnet/beacon/server.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { UserInputError } from "../../src/lib/errors.ts";
import { startWebServer } from "../support/scripted-server.ts";

/** A loopback URL nobody listens on. */
async function deadUrl(path = ""): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}${path}`;
}

describe("chain clients against the devnet", () => {
  let devnet: Devnet;
  let second: BeaconServer;
  let dead: string;

  before(async () => {
    devnet = await startDevnet({ blockTime: "automine", slotsPerEpoch: 2 });
    second = await startBeaconServer({ state: devnet.beacon });
    dead = await deadUrl("/secret-key");
  });
  after(async () => {
    await second?.close();
    await devnet?.stop();
  });

  describe("execution", () => {
    it("checkExecutionEndpoints accepts the devnet node and reports a dead one without its path", async () => {
      const statuses = await checkExecutionEndpoints([dead, devnet.executionUrl], devnet.network, {
        timeoutMs: 2_000,
      });
      assert.equal(statuses.length, 2);
      assert.equal(statuses[0]?.healthy, false);
      assert.equal(statuses[0]?.problem, "refused the connection");
      assert.ok(!statuses[0]?.endpoint.includes("secret-key"), statuses[0]?.endpoint);
      assert.equal(statuses[1]?.healthy, true);
      assert.equal(statuses[1]?.chainId, devnet.network.chainId);
      assert.equal(statuses[1]?.syncing, false);
      assert.ok((statuses[1]?.blockNumber ?? 0n) > 0n);
    });

    it("refuses a node on another chain, naming the endpoint and both chain ids", async () => {
      const other: NetworkConfig = { ...devnet.network, chainId: devnet.network.chainId + 1 };
      await assert.rejects(checkExecutionEndpoints([devnet.executionUrl], other), (error: unknown) => {
        assert.ok(error instanceof UserInputError);
        assert.match(
          error.message,
          new RegExp(
            `^execution endpoint http://127\\.0\\.0\\.1:\\d+ is on the wrong chain \\(chain id ${devnet.network.chainId}, not devnet's ${other.chainId}\\): point it at a devnet node$`,
          ),
        );
        return true;
      });
    });

    it("fails retryably when no endpoint is ready, naming each endpoint and its reason", async () => {
      const web = await startWebServer();
      try {
        await assert.rejects(
          checkExecutionEndpoints([dead, web.url], devnet.network, { timeoutMs: 2_000 }),
          (error: unknown) => {
            assert.equal((error as { retryable?: boolean }).retryable, true);
            assert.equal(
              (error as Error).message,
              `no execution endpoint is ready (${dead.replace("/secret-key", "/***")} refused the connection; ${web.url} is not an execution node: it answered HTTP 501 to eth_chainId)`,
            );
            return true;
          },
        );
      } finally {
        await web.close();
      }
    });

    it("the fallback skips a dead endpoint and reads from the next", async () => {
      const warnings: Array<Record<string, unknown> | undefined> = [];
      const client = createExecutionClient({
        endpoints: [dead, devnet.executionUrl],
        network: devnet.network,
        timeoutMs: 2_000,
        logger: { warn: (_message, context) => warnings.push(context) },
      });
      assert.equal(await client.getChainId(), devnet.network.chainId);
      const block = await client.getBlockNumber();
      assert.ok(block > 0n);
      assert.ok(warnings.length >= 1);
      assert.ok(warnings.every((w) => !String(w?.endpoint).includes("secret-key")));
    });

    it("errors name a failed endpoint without its path", async () => {
      const client = createExecutionClient({ endpoints: [dead], network: devnet.network, timeoutMs: 2_000 });
      await assert.rejects(client.getBlockNumber(), (error: unknown) => {
        const text = `${String(error)}\n${(error as Error).stack}\n${JSON.stringify(error)}`;
        assert.ok(!text.includes("secret-key"), text);
        assert.match(text, /http:\/\/127\.0\.0\.1:\d+\/\*\*\*/);
        return true;
      });
    });

    it("a revert is the answer: no fall-through to the next endpoint", async () => {
      let calls = 0;
      const client = createExecutionClient({
        endpoints: [devnet.executionUrl, devnet.executionUrl],
        network: devnet.network,
        logger: { warn: () => calls++ },
      });
      await assert.rejects(
        client.readContract({
          address: devnet.vault.address,
          abi: [
            {
              type: "function",
              name: "nope",
              stateMutability: "view",
              inputs: [],
              outputs: [{ type: "uint256" }],
            },
          ],
          functionName: "nope",
        }),
      );
      assert.equal(calls, 0);
    });
  });

  describe("consensus", () => {
    it("checkConsensusEndpoints accepts the simulator and reports a dead one", async () => {
      const statuses = await checkConsensusEndpoints([dead, devnet.consensusUrl], devnet.network, {
        timeoutMs: 2_000,
      });
      assert.equal(statuses[0]?.healthy, false);
      assert.equal(statuses[0]?.problem, "refused the connection");
      assert.ok(!statuses[0]?.endpoint.includes("secret-key"));
      assert.equal(statuses[1]?.healthy, true);
      assert.equal(statuses[1]?.chainId, devnet.network.chainId);
      assert.equal(statuses[1]?.genesisValidatorsRoot, devnet.network.genesisValidatorsRoot.toLowerCase());
    });

    it("refuses a beacon node of another chain or genesis", async () => {
      const otherChain: NetworkConfig = { ...devnet.network, chainId: 1 };
      await assert.rejects(checkConsensusEndpoints([devnet.consensusUrl], otherChain), (error: unknown) => {
        assert.ok(error instanceof UserInputError);
        assert.match(
          error.message,
          /^consensus endpoint http:\/\/127\.0\.0\.1:\d+ is on the wrong chain \(deposit contract chain id \d+, not devnet's 1\): point it at a devnet beacon node$/,
        );
        return true;
      });
      const otherGenesis: NetworkConfig = {
        ...devnet.network,
        genesisValidatorsRoot: `0x${"11".repeat(32)}`,
      };
      await assert.rejects(
        checkConsensusEndpoints([devnet.consensusUrl], otherGenesis),
        /is on the wrong chain \(genesis validators root 0x[0-9a-f]{64}, not devnet's 0x1111/,
      );
    });

    it("a syncing node is not ready", async () => {
      second.setFault("syncing", "node");
      try {
        const statuses = await checkConsensusEndpoints([second.url, devnet.consensusUrl], devnet.network);
        assert.equal(statuses[0]?.healthy, false);
        assert.match(statuses[0]?.problem ?? "", /syncing/);
        assert.equal(statuses[1]?.healthy, true);
      } finally {
        second.setFault(null, "node");
      }
    });

    it("reads genesis, spec, deposit contract, syncing, finality and the finalized execution block", async () => {
      const client = createConsensusClient({ endpoints: [devnet.consensusUrl] });
      const genesis = await client.getGenesis();
      assert.equal(genesis.genesisValidatorsRoot, devnet.network.genesisValidatorsRoot.toLowerCase());
      assert.equal(genesis.genesisForkVersion, devnet.network.genesisForkVersion.toLowerCase());
      const spec = await client.getSpec();
      assert.equal(spec.slotsPerEpoch, 2);
      assert.equal(spec.values.DEPOSIT_CHAIN_ID, String(devnet.network.chainId));
      const deposit = await client.getDepositContract();
      assert.equal(deposit.address, devnet.network.depositContract.address.toLowerCase());
      assert.equal((await client.getSyncing()).isSyncing, false);
      const finality = await client.getFinalityCheckpoints();
      assert.ok(finality.finalized.epoch <= finality.currentJustified.epoch);
      await devnet.beacon.sync();
      const head = await client.getExecutionBlock("head");
      assert.ok(head.blockNumber > 0n);
      const finalized = await client.getExecutionBlock();
      assert.ok(finalized.blockNumber <= head.blockNumber);
    });

    it("fails over to the second beacon node while the first is down", async () => {
      const warnings: string[] = [];
      const client = createConsensusClient({
        endpoints: [devnet.consensusUrl, second.url],
        logger: { warn: (message) => warnings.push(message) },
      });
      devnet.beaconServer.setFault("down");
      try {
        const genesis = await client.getGenesis();
        assert.equal(genesis.genesisValidatorsRoot, devnet.network.genesisValidatorsRoot.toLowerCase());
        assert.deepEqual(await client.getValidators([0, 1]), []);
        assert.equal(warnings.length, 2);
      } finally {
        devnet.beaconServer.setFault(null);
      }
    });

    it("a 4xx answer does not fail over", async () => {
      let warned = 0;
      const client = createConsensusClient({
        endpoints: [devnet.consensusUrl, second.url],
        logger: { warn: () => warned++ },
      });
      await assert.rejects(client.getFinalityCheckpoints(999_999_999), (error: unknown) => {
        assert.equal((error as { status?: number }).status, 404);
        return true;
      });
      assert.equal(warned, 0);
    });

    it("every node down is one retryable error listing each", async () => {
      const client = createConsensusClient({ endpoints: [devnet.consensusUrl, dead], timeoutMs: 2_000 });
      devnet.beaconServer.setFault("down");
      try {
        await assert.rejects(client.getSyncing(), (error: unknown) => {
          assert.equal((error as { retryable?: boolean }).retryable, true);
          assert.match(
            (error as Error).message,
            /^every consensus endpoint failed \(http:\/\/127\.0\.0\.1:\d+ answered HTTP 503.*; http:\/\/127\.0\.0\.1:\d+\/\*\*\* refused the connection\)$/,
          );
          return true;
        });
      } finally {
        devnet.beaconServer.setFault(null);
      }
    });
  });
});
