/**
 * The vault's registered validators (spec §7.2): its `ValidatorRegistered(bytes publicKey)`
 * events and, for a version-5 vault's 0x02 validators, its `V2ValidatorRegistered(bytes
 * publicKey, uint256 amount)` events, scanned in adaptive block chunks from the Keeper's genesis block (or the vault's own
 * first block, when the user knows it). The genesis vault took
 * over StakeWise V2's validators: for it, the V2 pool's `ValidatorRegistered(bytes publicKey,
 * address operator)` events are read too, from the pool's genesis block to a month after the
 * Keeper's.
 */
import { type Address, type Hex, type PublicClient, parseAbiItem } from "viem";
import { type BlockRangeOptions, scanBlockRanges } from "../../chain/block-ranges.ts";
import { scanRegisteredKeys } from "../../chain/vault-validator-events.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { OperatorError } from "../../lib/errors.ts";

/** StakeWise V2's pool event (not in our ABIs: no devnet contract emits it). */
export const V2_POOL_VALIDATOR_REGISTERED = parseAbiItem(
  "event ValidatorRegistered(bytes publicKey, address operator)",
);

/** How long after the Keeper's genesis the V2 pool could still register validators. */
const V2_POOL_TAIL_SECONDS = 30 * 24 * 3600;

type Ranges = Omit<BlockRangeOptions, "what" | "fromBlock" | "toBlock">;

export interface ScanVaultKeysParameters extends Ranges {
  client: Pick<PublicClient, "getLogs">;
  network: Pick<NetworkConfig, "keeper" | "genesisVault" | "v2Pool" | "secondsPerSlot">;
  vault: Address;
  /** The vault's creation block (--vault-first-block): its own events are read from there. */
  fromBlock?: bigint;
  /** The chain head: the scans end there. */
  toBlock: bigint;
}

/**
 * Every validator key the vault registered (0x, lower case, each once, in registration order):
 * its own events and, for the genesis vault of a network with a V2 pool, the pool's
 * registrations (V2 pool keys first, as they came first).
 */
export async function scanVaultKeys(params: ScanVaultKeysParameters): Promise<Hex[]> {
  const { client, network, vault, toBlock, fromBlock, ...ranges } = params;
  const keys = new Set<Hex>();
  const pool = network.v2Pool;
  if (pool && network.genesisVault?.toLowerCase() === vault.toLowerCase()) {
    const tail = BigInt(Math.ceil(V2_POOL_TAIL_SECONDS / network.secondsPerSlot));
    const poolEnd = BigInt(network.keeper.genesisBlock) + tail;
    await collectKeys(
      keys,
      (fromBlock, to) =>
        client.getLogs({
          address: pool.address,
          event: V2_POOL_VALIDATOR_REGISTERED,
          fromBlock,
          toBlock: to,
          strict: true,
        }),
      {
        ...ranges,
        fromBlock: BigInt(pool.genesisBlock),
        toBlock: poolEnd < toBlock ? poolEnd : toBlock,
        what: "V2 pool ValidatorRegistered events",
      },
      `V2 pool ${pool.address}`,
    );
  }
  // The vault's own registrations, 0x01 and 0x02 (the scan exit-validators and consolidate use).
  const own = await scanRegisteredKeys({
    ...ranges,
    client,
    vault,
    fromBlock: fromBlock ?? BigInt(network.keeper.genesisBlock),
    toBlock,
  });
  for (const key of own) keys.add(key);
  return [...keys];
}

/** Adds the public keys of the `ValidatorRegistered` logs `fetch` gives over `ranges` to `keys`. */
async function collectKeys(
  keys: Set<Hex>,
  fetch: (
    fromBlock: bigint,
    toBlock: bigint,
  ) => Promise<readonly { args: { publicKey: Hex }; blockNumber: bigint | null }[]>,
  ranges: BlockRangeOptions,
  source: string,
): Promise<void> {
  for await (const { result } of scanBlockRanges(fetch, ranges)) {
    for (const log of result) addKey(keys, log.args.publicKey, source, log.blockNumber);
  }
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
