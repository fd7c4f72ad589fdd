import { OperatorError } from "../../lib/errors.ts";
import type {
  OracleExitShares,
  PublicKeyShareRow,
  SignatureKind,
  StoredShare,
  ValidatorRecord,
  ValidatorType,
} from "./records.ts";

/**
 * The relayer's tables (spec A.3's recommended schema), the same DDL for SQLite and PostgreSQL.
 * `relayer_meta` records the network the state belongs to: a store made for another network is
 * refused instead of mixed.
 */
export const RELAYER_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS relayer_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS validators (
    public_key TEXT PRIMARY KEY,
    vault TEXT,
    amount BIGINT NOT NULL,
    validator_type TEXT NOT NULL,
    validator_index BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    exit_signature TEXT,
    deposit_signature TEXT,
    oracle_shares_json TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS signature_shares (
    public_key TEXT NOT NULL REFERENCES validators (public_key) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('exit', 'deposit')),
    share_index BIGINT NOT NULL CHECK (share_index > 0),
    signature TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    UNIQUE (public_key, kind, share_index)
  )`,
  // The public key shares a sidecar sent and that were shown to share the validator key (used only
  // without a trusted source): kept so that a restarted relayer still knows the cluster's indexes.
  `CREATE TABLE IF NOT EXISTS public_key_shares (
    public_key TEXT NOT NULL REFERENCES validators (public_key) ON DELETE CASCADE,
    share_index BIGINT NOT NULL CHECK (share_index > 0),
    public_key_share TEXT NOT NULL,
    UNIQUE (public_key, share_index)
  )`,
  `CREATE TABLE IF NOT EXISTS registered_keys (
    public_key TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('cl', 'deposit')),
    block BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, block BIGINT NOT NULL)`,
];

export class RelayerStoreError extends OperatorError {
  override name = "RelayerStoreError";
}

/** Refuses state made for another network (the meta row is written on first use). */
export function checkStoreNetwork(stored: string | undefined, network: string, where: string): void {
  if (stored !== undefined && stored !== network) {
    throw new RelayerStoreError(
      `${where} holds relayer state of network ${stored}, not ${network}: use another --db-url or --data-dir`,
    );
  }
}

/** A validators row as either driver returns it (numbers may come back as bigint or string). */
export interface ValidatorRow {
  public_key: string;
  vault: string | null;
  amount: number | bigint | string;
  validator_type: string;
  validator_index: number | bigint | string;
  created_at: number | bigint | string;
  exit_signature: string | null;
  deposit_signature: string | null;
  oracle_shares_json: string | null;
}

export interface ShareIndexRow {
  public_key: string;
  kind: string;
  share_index: number | bigint | string;
}

/** Records from rows: share indexes grouped per key and kind, ascending. */
export function toRecords(
  rows: readonly ValidatorRow[],
  shareRows: readonly ShareIndexRow[],
): ValidatorRecord[] {
  const indexes = new Map<string, { exit: bigint[]; deposit: bigint[] }>();
  for (const row of shareRows) {
    const entry = indexes.get(row.public_key) ?? { exit: [], deposit: [] };
    entry[row.kind === "deposit" ? "deposit" : "exit"].push(BigInt(row.share_index));
    indexes.set(row.public_key, entry);
  }
  const ascending = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.map((row) => {
    const entry = indexes.get(row.public_key);
    return {
      publicKey: row.public_key as `0x${string}`,
      vault: row.vault as `0x${string}` | null,
      amountGwei: Number(row.amount),
      validatorType: row.validator_type as ValidatorType,
      validatorIndex: Number(row.validator_index),
      createdAt: Number(row.created_at),
      exitSignature: row.exit_signature as `0x${string}` | null,
      depositSignature: row.deposit_signature as `0x${string}` | null,
      oracleExitShares:
        row.oracle_shares_json === null ? null : (JSON.parse(row.oracle_shares_json) as OracleExitShares),
      exitShareIndexes: (entry?.exit ?? []).sort(ascending),
      depositShareIndexes: (entry?.deposit ?? []).sort(ascending),
    };
  });
}

export function toShares(
  rows: readonly { share_index: number | bigint | string; signature: string }[],
): StoredShare[] {
  return rows.map((row) => ({
    shareIndex: BigInt(row.share_index),
    signature: row.signature as `0x${string}`,
  }));
}

export function toPublicKeyShares(
  rows: readonly { share_index: number | bigint | string; public_key_share: string }[],
): PublicKeyShareRow[] {
  return rows.map((row) => ({
    shareIndex: BigInt(row.share_index),
    publicKeyShare: row.public_key_share as `0x${string}`,
  }));
}

export function signatureColumn(kind: SignatureKind): "exit_signature" | "deposit_signature" {
  return kind === "exit" ? "exit_signature" : "deposit_signature";
}
