/**
 * The vault's registered validators (spec §7.2): its `ValidatorRegistered(bytes publicKey)`
 * events, scanned in adaptive block chunks from the Keeper's genesis block.
 */
import type { Address, Hex, PublicClient } from "viem";
import { vaultAbi } from "../../chain/abi/vault.ts";
import { type BlockRangeOptions, scanBlockRanges } from "../../chain/block-ranges.ts";
import { OperatorError } from "../../lib/errors.ts";

type VaultEvent = Extract<(typeof vaultAbi)[number], { type: "event" }>;

const VALIDATOR_REGISTERED = vaultAbi.find(
  (item): item is Extract<VaultEvent, { name: "ValidatorRegistered" }> =>
    item.type === "event" && item.name === "ValidatorRegistered",
) as Extract<VaultEvent, { name: "ValidatorRegistered" }>;

export interface ScanRegisteredKeysParameters extends Omit<BlockRangeOptions, "what"> {
  client: Pick<PublicClient, "getLogs">;
  vault: Address;
}

/** The public keys (0x, lower case) the vault registered, in registration order, each once. */
export async function scanRegisteredKeys(params: ScanRegisteredKeysParameters): Promise<Hex[]> {
  const { client, vault, ...ranges } = params;
  const fetch = (fromBlock: bigint, toBlock: bigint) =>
    client.getLogs({ address: vault, event: VALIDATOR_REGISTERED, fromBlock, toBlock, strict: true });
  const keys = new Set<Hex>();
  for await (const { result } of scanBlockRanges(fetch, { ...ranges, what: "ValidatorRegistered events" })) {
    for (const log of result) {
      const publicKey = log.args.publicKey.toLowerCase() as Hex;
      if (!/^0x[0-9a-f]{96}$/.test(publicKey)) {
        throw new OperatorError(
          `vault ${vault} logged a ValidatorRegistered event with a public key that is not 48 bytes (block ${log.blockNumber})`,
        );
      }
      keys.add(publicKey);
    }
  }
  return [...keys];
}
