import type { LayoutVersion } from "./layout.ts";

/**
 * The remote database tables of the Python operator (spec §7.5): one keypairs and one configs
 * table per network, so that a database written by either tool is read by the other. In the
 * v1.0.x layout keys and shares share the keypairs table: a validator key has no
 * parent_public_key, each of its Shamir shares names the validator key there; the v1.1+ layout
 * has no parent_public_key column and holds whole keys only; the v4 layout has no vault column
 * and no configs table (layout.ts). Every value is 0x-hex text.
 */
export interface RemoteDbTables {
  keypairs: string;
  configs: string;
}

/** Config rows of the configs table (`name` column). */
export const REMOTE_SIGNER_CONFIG_NAME = "remote_signer_config.json";
export const DEPOSIT_DATA_NAME = "deposit_data.json";

const NETWORK_NAME = /^[a-z][a-z0-9_]{0,40}$/;

/** `{network}_keypairs` and `{network}_configs`; the network name becomes part of an SQL identifier. */
export function remoteDbTables(network: string): RemoteDbTables {
  if (!NETWORK_NAME.test(network)) throw new RangeError(`network name "${network}" cannot name a table`);
  return { keypairs: `${network}_keypairs`, configs: `${network}_configs` };
}

/** The keypairs table as the Python operator v1.0.x (default), v1.1+ or v4 creates it. */
export function createKeypairsTableSql(tables: RemoteDbTables, layout: LayoutVersion = "v1.0"): string {
  const vault = layout === "v4" ? "" : "\n    vault VARCHAR(42) NOT NULL,";
  const parent = layout === "v1.0" ? "\n    parent_public_key VARCHAR(98)," : "";
  return `CREATE TABLE IF NOT EXISTS ${tables.keypairs} (${vault}${parent}
    public_key VARCHAR(98) UNIQUE NOT NULL,
    private_key VARCHAR(66) UNIQUE NOT NULL,
    nonce VARCHAR(34) UNIQUE NOT NULL
)`;
}

export function createConfigsTableSql(tables: RemoteDbTables): string {
  return `CREATE TABLE IF NOT EXISTS ${tables.configs} (
    vault VARCHAR(42) NOT NULL,
    name VARCHAR(25) NOT NULL,
    data TEXT NOT NULL,
    UNIQUE(vault, name)
)`;
}
