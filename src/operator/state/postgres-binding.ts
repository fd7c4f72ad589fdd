import { StateStoreBindingError } from "./errors.ts";

/** What a `--db-url` database is bound to on first use: one vault on one chain. */
export interface StoreBinding {
  vault: `0x${string}`;
  network: string;
  chainId: number;
  /** Hash of the execution chain's genesis block: tells a restarted devnet from the old one. */
  genesisHash: string;
}

/**
 * Compares the meta rows a database holds with `binding`: throws StateStoreBindingError (one
 * line naming both and the fix) when the database belongs to another vault or chain; returns the
 * rows to record (all of them on first use; inserting what is already there is a no-op).
 */
export function checkBinding(
  stored: ReadonlyMap<string, string>,
  binding: StoreBinding,
  where: string,
): Array<[string, string]> {
  const wanted: Array<[string, string]> = [
    ["vault", binding.vault.toLowerCase()],
    ["network", binding.network],
    ["chain_id", String(binding.chainId)],
    ["genesis_hash", binding.genesisHash.toLowerCase()],
  ];
  const vault = stored.get("vault");
  if (vault !== undefined && vault !== binding.vault.toLowerCase()) {
    throw new StateStoreBindingError(
      `${where} holds the state of vault ${vault}, not ${binding.vault.toLowerCase()}: give each vault its own database in --db-url (DB_URL); replicas of one vault share one database`,
    );
  }
  const network = stored.get("network");
  const chainId = stored.get("chain_id");
  const genesis = stored.get("genesis_hash");
  if (
    (network !== undefined && network !== binding.network) ||
    (chainId !== undefined && chainId !== String(binding.chainId)) ||
    (genesis !== undefined && genesis !== binding.genesisHash.toLowerCase())
  ) {
    throw new StateStoreBindingError(
      `${where} holds the state of another chain (${network} chain id ${chainId}, genesis block ${genesis}) than the one at --execution-endpoints (${binding.network} chain id ${binding.chainId}, genesis block ${binding.genesisHash.toLowerCase()}): point --execution-endpoints at the chain it was made on, or give this chain its own database`,
    );
  }
  return wanted;
}
