import { JOURNAL_STATUSES } from "./journal-entry.ts";

/**
 * The tables of `start --db-url` in PostgreSQL: the same state as operator.db (network validators,
 * checkpoints, the transaction journal), each row scoped by network (and the journal by vault),
 * plus a meta table that binds the database to one vault and one chain. Created on first use,
 * under a transaction-level advisory lock so that two replicas starting together do not race.
 */
export const OPERATOR_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS operator_meta (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS operator_network_validators (
     network TEXT NOT NULL,
     public_key TEXT NOT NULL,
     block_number BIGINT NOT NULL,
     PRIMARY KEY (network, public_key)
   )`,
  `CREATE TABLE IF NOT EXISTS operator_checkpoints (
     network TEXT NOT NULL,
     name TEXT NOT NULL,
     block BIGINT NOT NULL,
     PRIMARY KEY (network, name)
   )`,
  `CREATE TABLE IF NOT EXISTS operator_transactions (
     id BIGSERIAL PRIMARY KEY,
     vault TEXT NOT NULL,
     network TEXT NOT NULL,
     kind TEXT NOT NULL,
     public_keys TEXT NOT NULL,
     first_deposit_index BIGINT,
     tx_hash TEXT NOT NULL,
     raw_tx TEXT NOT NULL,
     nonce BIGINT NOT NULL,
     status TEXT NOT NULL CHECK (status IN (${JOURNAL_STATUSES.map((s) => `'${s}'`).join(", ")})),
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL,
     replica TEXT NOT NULL DEFAULT ''
   )`,
  "CREATE INDEX IF NOT EXISTS operator_transactions_open ON operator_transactions (vault, network, status)",
  `CREATE TABLE IF NOT EXISTS operator_transaction_keys (
     public_key TEXT NOT NULL,
     transaction_id BIGINT NOT NULL REFERENCES operator_transactions (id),
     PRIMARY KEY (public_key, transaction_id)
   )`,
];

/** The key of the transaction-level advisory lock the schema is created under (any constant). */
export const SCHEMA_LOCK_KEY = 0x766f5f73; // "vo_s"
