/**
 * The protocol config source against the devnet: the Keeper's last ConfigUpdated event, the file
 * on the devnet's IPFS gateway and the Keeper's thresholds; found far back through small windows,
 * cached, rescanned only over new blocks, and fetched from a second gateway when the first is down.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PublicClient } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { createExecutionClient, type ExecutionClient } from "../../src/chain/execution-client.ts";
import { fetchIpfsJson } from "../../src/chain/ipfs-client.ts";
import { createProtocolConfigSource } from "../../src/chain/protocol-config-source.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { type IpfsGateway, startIpfsGateway } from "../../src/devnet/ipfs/gateway.ts";

describe("protocol config source on the devnet", () => {
  let devnet: Devnet;
  let client: ExecutionClient;
  let secondGateway: IpfsGateway;
  /** Every eth_getLogs range asked, as [from, to]. */
  const ranges: Array<[bigint, bigint]> = [];
  let counting: PublicClient;

  before(async () => {
    devnet = await startDevnet({ blockTime: "automine" });
    client = createExecutionClient({ endpoints: [devnet.executionUrl], network: devnet.network });
    secondGateway = await startIpfsGateway({ store: devnet.ipfs });
    counting = new Proxy(client, {
      get(target, property, receiver) {
        if (property === "getLogs") {
          return (args: { fromBlock: bigint; toBlock: bigint }) => {
            ranges.push([args.fromBlock, args.toBlock]);
            return target.getLogs(args as never);
          };
        }
        return Reflect.get(target, property, receiver);
      },
    }) as unknown as PublicClient;
  });
  after(async () => {
    await secondGateway?.close();
    await devnet?.stop();
  });

  const mine = (blocks: number) =>
    devnet.clients.deployer.request({
      method: "anvil_mine" as never,
      params: [`0x${blocks.toString(16)}`] as never,
    });

  async function updateConfig(json: unknown): Promise<string> {
    const cid = await devnet.ipfs.put(new TextEncoder().encode(JSON.stringify(json)));
    const hash = await devnet.clients.deployer.writeContract({
      address: devnet.network.keeper.address,
      abi: keeperAbi,
      functionName: "updateConfig",
      args: [cid],
    });
    await devnet.clients.deployer.waitForTransactionReceipt({ hash });
    return cid;
  }

  it("fetchIpfsJson reads the devnet's config from its gateway", async () => {
    const cid = await devnet.ipfs.put(new TextEncoder().encode(JSON.stringify(devnet.committee.config())));
    assert.deepEqual(await fetchIpfsJson(cid, { gateways: [devnet.ipfsUrl] }), devnet.committee.config());
  });

  it("returns the devnet's config, found far back in small windows, then serves it from the cache", async () => {
    await mine(200);
    const source = createProtocolConfigSource({
      client: counting,
      network: devnet.network,
      ipfs: { gateways: [devnet.ipfsUrl] },
      windowBlocks: 16,
      concurrency: 3,
    });
    const latest = await client.getBlockNumber({ cacheTime: 0 });
    const snapshot = await source.read();
    assert.deepEqual(snapshot.json, JSON.parse(JSON.stringify(devnet.committee.config())));
    assert.equal(snapshot.validatorsMinOracles, devnet.protocol.validatorsMinOracles);
    assert.equal(snapshot.rewardsMinOracles, devnet.protocol.rewardsMinOracles);
    assert.equal(snapshot.blockNumber, latest);
    assert.ok(snapshot.eventBlockNumber < latest - 199n);
    assert.match(snapshot.configIpfsHash, /^bafkrei/);
    // Windows go backwards from the latest block, none larger than 16 blocks, and stop early.
    assert.equal(ranges[0]?.[1], latest);
    assert.ok(ranges.every(([from, to]) => to - from + 1n <= 16n));
    assert.ok(ranges.length >= 13 && ranges.length <= 15, String(ranges.length));

    // Nothing new: no logs request, and no IPFS request (the gateway is down).
    ranges.length = 0;
    devnet.ipfsGateway.setFault("down");
    try {
      const again = await source.read({ blockNumber: latest });
      assert.equal(again.configIpfsHash, snapshot.configIpfsHash);
      assert.equal(ranges.length, 0);
      await mine(20);
      const later = await source.read();
      assert.equal(later.configIpfsHash, snapshot.configIpfsHash);
      // Only the 20 new blocks: two windows of 16.
      assert.deepEqual(
        ranges.map(([from, to]) => to - from + 1n),
        [16n, 4n],
      );
      assert.equal(ranges.at(-1)?.[0], latest + 1n);
    } finally {
      devnet.ipfsGateway.setFault(null);
    }
  });

  it("follows a new ConfigUpdated event and fetches the new file from a second gateway when the first is down", async () => {
    const source = createProtocolConfigSource({
      client,
      network: devnet.network,
      ipfs: { gateways: [devnet.ipfsUrl, secondGateway.url], timeoutMs: 2_000 },
    });
    const first = await source.read();
    const next = { ...devnet.committee.config(), validators_approval_batch_limit: 7 };
    const cid = await updateConfig(next);
    devnet.ipfsGateway.setFault("down");
    try {
      const snapshot = await source.read();
      assert.equal(snapshot.configIpfsHash, cid);
      assert.notEqual(snapshot.configIpfsHash, first.configIpfsHash);
      assert.deepEqual(snapshot.json, JSON.parse(JSON.stringify(next)));
      assert.ok(snapshot.eventBlockNumber > first.eventBlockNumber);
    } finally {
      devnet.ipfsGateway.setFault(null);
    }
    // Read at an older block: the event before it.
    const old = await source.read({ blockNumber: first.blockNumber });
    assert.equal(old.configIpfsHash, first.configIpfsHash);
  });

  it("reads the thresholds at the same block as the event scan", async () => {
    const source = createProtocolConfigSource({
      client,
      network: devnet.network,
      ipfs: { gateways: [devnet.ipfsUrl] },
    });
    const before = await source.read();
    const hash = await devnet.clients.deployer.writeContract({
      address: devnet.network.keeper.address,
      abi: keeperAbi,
      functionName: "setValidatorsMinOracles",
      args: [3n],
    });
    await devnet.clients.deployer.waitForTransactionReceipt({ hash });
    assert.equal((await source.read()).validatorsMinOracles, 3);
    assert.equal((await source.read({ blockNumber: before.blockNumber })).validatorsMinOracles, 2);
  });
});
