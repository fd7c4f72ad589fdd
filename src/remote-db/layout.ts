import { UserInputError } from "../lib/errors.ts";

/**
 * The three layouts of the Python operator's remote database (spec §7.5), told apart by the
 * keypairs table, never by a flag:
 *
 * - `v1.0` (v0.2.7 – v1.0.8): `parent_public_key` column. Each validator key has a row without a
 *   parent, and one row per oracle holds a Shamir share of it (spec §4.2) naming the key as its
 *   parent; the configs table holds `remote_signer_config.json` (key → shares) and the deposit
 *   data. Web3Signer gets keys and shares; the operator signs exits with the shares.
 * - `v1.1` (v1.1.0, March 2024 – v3.x): no `parent_public_key`. Rows are whole validator keys;
 *   the configs table holds the deposit data only. Web3Signer gets the keys; the operator asks it
 *   for the full exit signature and splits the signature (spec §4.3).
 * - `v4` (v4.0.0, September 2025 –): no `vault` column either, and no configs table. The rows are
 *   the network's whole validator keys, whichever vault they serve: vaults of version 2 and up
 *   keep no deposit data, and the remote signer signs whole exits as in v1.1. Every command works
 *   on the whole table; `--vault` selects nothing.
 *
 * A Python operator upgraded from v1.0.x to v1.1+ keeps its table (CREATE TABLE IF NOT EXISTS)
 * and writes v1.1 rows into it: a vault whose rows in a table with the column are all without a
 * parent, and that has no remote signer config, is read as `v1.1` too.
 */
export type LayoutVersion = "v1.0" | "v1.1" | "v4";

export const LAYOUT_VERSIONS: readonly LayoutVersion[] = ["v1.0", "v1.1", "v4"];

/** How the layouts are named in messages. */
export const LAYOUT_NAMES: Record<LayoutVersion, string> = { "v1.0": "v1.0.x", "v1.1": "v1.1+", v4: "v4" };

/**
 * The layout `setup` gives a new database: the one the Python operator has written since v1.1.0,
 * which its v1.1 – v3.x releases read (they would hand a v1.0 table's key shares to validator
 * clients as validator keys).
 */
export const NEW_DATABASE_LAYOUT: LayoutVersion = "v1.1";

export interface StoredLayout {
  /**
   * What the vault's rows mean: keys and key shares (`v1.0`), whole keys only (`v1.1`), or the
   * network's whole keys, of no vault in particular (`v4`).
   */
  version: LayoutVersion;
  /** The keypairs table has the parent_public_key column (v1.0.x's table). */
  parentColumn: boolean;
}

/** The columns of a keypairs table that tell the layouts apart. */
export interface KeypairsShape {
  parentColumn: boolean;
  /** Without it (v4), the rows belong to no vault and there is no configs table. */
  vaultColumn: boolean;
}

/** The columns every layout's keypairs table has. */
const KEY_COLUMNS = ["public_key", "private_key", "nonce"] as const;

/**
 * The shape of a keypairs table from its column names. Tables vault-operator cannot use (no key
 * columns, or key shares without a vault) are one clear line.
 */
export function keypairsTableShape(columns: ReadonlySet<string>, table: string): KeypairsShape {
  const missing = KEY_COLUMNS.filter((column) => !columns.has(column));
  if (missing.length > 0) {
    throw new UserInputError(
      `the table ${table} has no ${missing.join(", ")} column: it is not the Python operator's keypairs table; use another database or --network`,
    );
  }
  const shape = { parentColumn: columns.has("parent_public_key"), vaultColumn: columns.has("vault") };
  if (shape.parentColumn && !shape.vaultColumn) {
    throw new UserInputError(
      `the table ${table} has parent_public_key but no vault column: no Python operator release wrote it; use another database or --network`,
    );
  }
  return shape;
}

/** What one vault's rows in a table with `parent_public_key` say about their layout. */
export interface VaultRowsSummary {
  rows: number;
  /** Rows that name a parent: key shares. */
  shares: number;
  /** A `remote_signer_config.json` config row exists for the vault. */
  signerConfig: boolean;
}

/** The layout of a vault's rows (see {@link LayoutVersion}). */
export function storedLayout(shape: KeypairsShape, vault?: VaultRowsSummary): StoredLayout {
  if (!shape.vaultColumn) return { version: "v4", parentColumn: false };
  if (!shape.parentColumn) return { version: "v1.1", parentColumn: false };
  const keysOnly = vault !== undefined && vault.rows > 0 && vault.shares === 0 && !vault.signerConfig;
  return { version: keysOnly ? "v1.1" : "v1.0", parentColumn: true };
}

/** The one line a remote-db command prints about the layout it found (or created). */
export function layoutLine(layout: StoredLayout, table: string, created = false): string {
  const where = created ? `created ${table}` : table;
  if (layout.version === "v1.0") {
    return `Remote database layout: v1.0.x (${where} with parent_public_key: validator keys and one key share per oracle)`;
  }
  if (layout.version === "v4") {
    return `Remote database layout: v4 (${where} without vault: the network's whole validator keys, for every vault; no configs)`;
  }
  if (!layout.parentColumn) {
    return `Remote database layout: v1.1+ (${where} without parent_public_key: whole validator keys, no key shares)`;
  }
  return `Remote database layout: v1.1+ (whole validator keys, no key shares, in ${where} of v1.0.x: parent_public_key stays empty)`;
}
