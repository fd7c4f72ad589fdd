/**
 * One entry of the transaction journal: a signed transaction of the service and how far it got.
 * signed → sent → mined | failed | dropped; signed and sent are "open" (a restart settles them).
 * A registration entry also holds the validator keys it registers: a key is never in two live
 * registrations.
 */
export const JOURNAL_STATUSES = ["signed", "sent", "mined", "failed", "dropped"] as const;
export type JournalStatus = (typeof JOURNAL_STATUSES)[number];

/** What a transaction does; every transaction the service sends is journaled as one of these. */
export const TRANSACTION_KINDS = [
  "registration",
  "harvest",
  "exit-signatures",
  /** fundValidators: deposits to existing 0x02 validators. */
  "top-up",
  /** withdrawValidators: EIP-7002 partial withdrawals and full exits. */
  "withdrawal",
  /** consolidateValidators: EIP-7251 consolidations and 0x01 → 0x02 switches. */
  "consolidation",
  /** SSV (ssv.db): registerValidator / bulkRegisterValidator; the entry names the validator keys. */
  "ssv-register",
  /** SSV: removeValidator / bulkRemoveValidator (offboarding, migration). */
  "ssv-remove",
  /** SSV: deposit into a cluster (top-up). */
  "ssv-deposit",
  /** SSV: withdraw from a cluster (an empty cluster's balance). */
  "ssv-withdraw",
  /** SSV: reactivate a liquidated cluster. */
  "ssv-reactivate",
  /** SSV: setFeeRecipientAddress (the vault's MEV escrow). */
  "ssv-fee-recipient",
  /** SSV: the SSV token's approve of the SSVNetwork (SSV-token era). */
  "ssv-approve",
] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/**
 * Kinds that put validator keys somewhere they must be only once (the vault, an SSV cluster): a
 * key in a live one of these cannot go into another. The key is free again after the entry failed
 * or was dropped, or when a later entry that releases it ("ssv-remove") names it.
 */
export const REGISTERING_KINDS: readonly TransactionKind[] = ["registration", "ssv-register"];

export interface SignedTransactionInput {
  kind: TransactionKind;
  /** The validator keys a registration registers (none for other kinds). */
  publicKeys?: readonly (string | Uint8Array)[];
  /** The validators-registry / deposit index the approval was made for, if any. */
  firstDepositIndex?: number;
  txHash: string;
  /** The signed raw transaction, so that a restarted service can rebroadcast the same bytes. */
  rawTx: string;
  nonce: number;
}

export interface JournalEntry {
  id: number;
  kind: TransactionKind;
  publicKeys: `0x${string}`[];
  firstDepositIndex: number | undefined;
  txHash: `0x${string}`;
  rawTx: `0x${string}`;
  nonce: number;
  status: JournalStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** The journal's columns, in {@link JournalRow}'s order, as both databases name them. */
export const JOURNAL_COLUMNS =
  "id, kind, public_keys, first_deposit_index, tx_hash, raw_tx, nonce, status, created_at, updated_at";

/** A transactions row as SQLite returns it; PostgreSQL returns its BIGINT columns as strings. */
export interface JournalRow {
  id: number | string;
  kind: TransactionKind;
  public_keys: string;
  first_deposit_index: number | string | null;
  tx_hash: string;
  raw_tx: string;
  nonce: number | string;
  status: JournalStatus;
  created_at: number | string;
  updated_at: number | string;
}

/**
 * Statuses an entry may move to, and from which. Mined is final; so are failed and dropped,
 * except that a "dropped" transaction seen mined later is recorded as mined: the chain wins.
 */
export const TRANSITIONS: Record<Exclude<JournalStatus, "signed">, readonly JournalStatus[]> = {
  sent: ["signed"],
  mined: ["signed", "sent", "dropped"],
  failed: ["signed", "sent"],
  dropped: ["signed", "sent"],
};

/** Statuses that hold a key: it may not go into another registration. */
export const HOLDING: readonly JournalStatus[] = ["signed", "sent", "mined"];

export function toJournalEntry(row: JournalRow): JournalEntry {
  return {
    id: Number(row.id),
    kind: row.kind,
    publicKeys: JSON.parse(row.public_keys) as `0x${string}`[],
    firstDepositIndex: row.first_deposit_index === null ? undefined : Number(row.first_deposit_index),
    txHash: row.tx_hash as `0x${string}`,
    rawTx: row.raw_tx as `0x${string}`,
    nonce: Number(row.nonce),
    status: row.status,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}
