/**
 * The vault's registered validators (spec §7.2): its `ValidatorRegistered(bytes publicKey)`
 * events, scanned in adaptive block chunks from the Keeper's genesis block. The genesis vault took
 * over StakeWise V2's validators: for it, the V2 pool's `ValidatorRegistered(bytes publicKey,
 * address operator)` events are read too, from the pool's genesis block to a month after the
 * Keeper's.
 */
import { type Address, type Hex, type PublicClient, parseAbiItem } from "viem";
import { vaultAbi } from "../../chain/abi/vault.ts";
import { type BlockRangeOptions, scanBlockRanges } from "../../chain/block-ranges.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { OperatorError } from "../../lib/errors.ts";

type VaultEvent = Extract<(typeof vaultAbi)[number], { type: "event" }>;

const VALIDATOR_REGISTERED = vaultAbi.find(
  (item): item is Extract<VaultEvent, { name: "ValidatorRegistered" }> =>
    item.type === "event" && item.name === "ValidatorRegistered",
) as Extract<VaultEvent, { name: "ValidatorRegistered" }>;

/** StakeWise V2's pool event (not in our ABIs: no devnet contract emits it). */
export const V2_POOL_VALIDATOR_REGISTERED = parseAbiItem(
  "event ValidatorRegistered(bytes publicKey, address operator)",
);

/** How long after the Keeper's genesis the V2 pool could still register validators. */
const V2_POOL_TAIL_SECONDS = 30 * 24 * 3600;

type Ranges = Omit<BlockRangeOptions, "what" | "fromBlock" | "toBlock">;

export interface ScanRegisteredKeysParameters extends Omit<BlockRangeOptions, "what"> {
  client: Pick<PublicClient, "getLogs">;
  vault: Address;
}

/** The public keys (0x, lower case) the vault registered, in registration order, each once. */
export async function scanRegisteredKeys(params: ScanRegisteredKeysParameters): Promise<Hex[]> {
  const { client, vault, ...ranges } = params;
  const keys = new Set<Hex>();
  const fetch = (fromBlock: bigint, toBlock: bigint) =>
    client.getLogs({ address: vault, event: VALIDATOR_REGISTERED, fromBlock, toBlock, strict: true });
  for await (const { result } of scanBlockRanges(fetch, { ...ranges, what: "ValidatorRegistered events" })) {
    for (const log of result) addKey(keys, log.args.publicKey, `vault ${vault}`, log.blockNumber);
  }
  return [...keys];
}

export interface ScanVaultKeysParameters extends Ranges {
  client: Pick<PublicClient, "getLogs">;
  network: Pick<NetworkConfig, "keeper" | "genesisVault" | "v2Pool" | "secondsPerSlot">;
  vault: Address;
  /** The chain head: the scans end there. */
  toBlock: bigint;
}

/**
 * Every validator key the vault registered: its own events and, for the genesis vault of a
 * network with a V2 pool, the pool's registrations (V2 pool keys first, as they came first).
 */
export async function scanVaultKeys(params: ScanVaultKeysParameters): Promise<Hex[]> {
  const { client, network, vault, toBlock, ...ranges } = params;
  const keys = new Set<Hex>();
  const pool = network.v2Pool;
  if (pool && network.genesisVault?.toLowerCase() === vault.toLowerCase()) {
    const tail = BigInt(Math.ceil(V2_POOL_TAIL_SECONDS / network.secondsPerSlot));
    const poolEnd = BigInt(network.keeper.genesisBlock) + tail;
    const fetch = (fromBlock: bigint, to: bigint) =>
      client.getLogs({
        address: pool.address,
        event: V2_POOL_VALIDATOR_REGISTERED,
        fromBlock,
        toBlock: to,
        strict: true,
      });
    for await (const { result } of scanBlockRanges(fetch, {
      ...ranges,
      fromBlock: BigInt(pool.genesisBlock),
      toBlock: poolEnd < toBlock ? poolEnd : toBlock,
      what: "V2 pool ValidatorRegistered events",
    })) {
      for (const log of result) addKey(keys, log.args.publicKey, `V2 pool ${pool.address}`, log.blockNumber);
    }
  }
  const vaultKeys = await scanRegisteredKeys({
    client,
    vault,
    ...ranges,
    fromBlock: BigInt(network.keeper.genesisBlock),
    toBlock,
  });
  for (const key of vaultKeys) keys.add(key);
  return [...keys];
}

function addKey(keys: Set<Hex>, publicKey: Hex, source: string, block: bigint | null): void {
  const key = publicKey.toLowerCase() as Hex;
  if (!/^0x[0-9a-f]{96}$/.test(key)) {
    throw new OperatorError(
      `${source} logged a ValidatorRegistered event with a public key that is not 48 bytes (block ${block})`,
    );
  }
  keys.add(key);
}
