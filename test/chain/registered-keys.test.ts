/**
 * recover's key scan against a real anvil: a vault's ValidatorRegistered(bytes) events and, for
 * the genesis vault, StakeWise V2's pool ValidatorRegistered(bytes, address) events within their
 * window. The two contracts are stand-ins set with anvil_setCode whose code logs its calldata
 * under the event's topic, so the logs are exactly what the real contracts emit.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type Address,
  createTestClient,
  createWalletClient,
  encodeAbiParameters,
  type Hex,
  http,
  publicActions,
  toEventSelector,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type AnvilInstance, startAnvil } from "../../src/devnet/anvil.ts";
import { scanVaultKeys, V2_POOL_VALIDATOR_REGISTERED } from "../../src/operator/recover/registered-keys.ts";

const FUNDED_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const VAULT: Address = "0x00000000000000000000000000000000000a0001";
const POOL: Address = "0x00000000000000000000000000000000000b0002";
const OTHER_VAULT: Address = "0x00000000000000000000000000000000000a0003";
/** A version-5 vault: it logs both registration events. */
const V5_VAULT: Address = "0x00000000000000000000000000000000000a0005";

/** Runtime code: CALLDATACOPY(0, 0, size); LOG1(0, size, topic); STOP. */
const emitter = (topic: Hex): Hex => `0x365f5f377f${topic.slice(2)}365fa100`;
/** Runtime code: the first 32 bytes of calldata are the topic, the rest the data. */
const topicEmitter: Hex = "0x6020360360205f375f35602036035fa100";
const key = (n: number): Hex => `0x${n.toString(16).padStart(96, "0")}`;

describe("recover's registered-key scan on anvil", () => {
  let anvil: AnvilInstance;
  let client: ReturnType<typeof makeClient>;

  const makeClient = (url: string) =>
    createWalletClient({
      account: privateKeyToAccount(FUNDED_KEY),
      transport: http(url),
      cacheTime: 0,
    }).extend(publicActions);

  const emit = async (to: Address, data: Hex) => {
    const hash = await client.sendTransaction({ to, data, chain: null });
    await client.waitForTransactionReceipt({ hash });
  };
  const vaultRegistered = (publicKey: Hex) =>
    emit(VAULT, encodeAbiParameters([{ type: "bytes" }], [publicKey]));
  const poolRegistered = (publicKey: Hex) =>
    emit(
      POOL,
      encodeAbiParameters(
        [{ type: "bytes" }, { type: "address" }],
        [publicKey, "0x0000000000000000000000000000000000000abc"],
      ),
    );

  before(async () => {
    anvil = await startAnvil({ blockTime: "automine" });
    client = makeClient(anvil.url);
    const test = createTestClient({ mode: "anvil", transport: http(anvil.url) });
    const vaultTopic = toEventSelector("event ValidatorRegistered(bytes publicKey)");
    await test.setCode({ address: VAULT, bytecode: emitter(vaultTopic) });
    await test.setCode({ address: OTHER_VAULT, bytecode: emitter(vaultTopic) });
    await test.setCode({ address: POOL, bytecode: emitter(toEventSelector(V2_POOL_VALIDATOR_REGISTERED)) });
    await test.setCode({ address: V5_VAULT, bytecode: topicEmitter });
  });
  after(async () => {
    await anvil?.stop();
  });

  it("reads the genesis vault's keys from the V2 pool, within a month of the Keeper's genesis, then its own", async () => {
    await poolRegistered(key(1));
    await poolRegistered(key(2));
    const keeperGenesis = await client.getBlockNumber();
    await vaultRegistered(key(3));
    await poolRegistered(key(4)); // still inside the window
    await vaultRegistered(key(2)); // a key seen twice counts once
    // 2 blocks per "month": the next pool event falls outside the window.
    const network = {
      keeper: { address: OTHER_VAULT, genesisBlock: Number(keeperGenesis) },
      genesisVault: VAULT,
      v2Pool: { address: POOL, genesisBlock: 0 },
      secondsPerSlot: 15 * 24 * 3600,
    } as const;
    await poolRegistered(key(5));
    await client.request({ method: "anvil_mine" as never, params: ["0x3"] as never });
    const head = await client.getBlockNumber();
    assert.deepEqual(await scanVaultKeys({ client, network, vault: VAULT, toBlock: head }), [
      key(1),
      key(2),
      key(4),
      key(3),
    ]);
    // Another vault of the same network reads only its own events.
    await emit(OTHER_VAULT, encodeAbiParameters([{ type: "bytes" }], [key(9)]));
    const later = await client.getBlockNumber();
    assert.deepEqual(await scanVaultKeys({ client, network, vault: OTHER_VAULT, toBlock: later }), [key(9)]);
    // --vault-first-block: the vault's own events from there (the V2 pool's window is the pool's).
    const firstBlock = later + 1n;
    await emit(OTHER_VAULT, encodeAbiParameters([{ type: "bytes" }], [key(10)]));
    const last = await client.getBlockNumber();
    assert.deepEqual(
      await scanVaultKeys({ client, network, vault: OTHER_VAULT, fromBlock: firstBlock, toBlock: last }),
      [key(10)],
    );
  });

  it("reads a version-5 vault's 0x02 registrations (V2ValidatorRegistered) beside its 0x01 ones", async () => {
    const from = await client.getBlockNumber();
    const v1Topic = toEventSelector("event ValidatorRegistered(bytes publicKey)");
    const v2Topic = toEventSelector("event V2ValidatorRegistered(bytes publicKey, uint256 amount)");
    await emit(V5_VAULT, `${v1Topic}${encodeAbiParameters([{ type: "bytes" }], [key(20)]).slice(2)}`);
    await emit(
      V5_VAULT,
      `${v2Topic}${encodeAbiParameters([{ type: "bytes" }, { type: "uint256" }], [key(21), 64_000_000_000n]).slice(2)}`,
    );
    const network = {
      keeper: { address: OTHER_VAULT, genesisBlock: Number(from) },
      secondsPerSlot: 12,
    } as const;
    assert.deepEqual(
      await scanVaultKeys({ client, network, vault: V5_VAULT, toBlock: await client.getBlockNumber() }),
      [key(20), key(21)],
    );
  });
});
