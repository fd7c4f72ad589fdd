/**
 * One entry of the registration journal: a signed registration transaction and how far it got.
 * signed → sent → mined | failed | dropped; signed and sent are "open" (a restart settles them).
 */
export type RegistrationStatus = "signed" | "sent" | "mined" | "failed" | "dropped";

export interface SignedRegistrationInput {
  publicKeys: readonly (string | Uint8Array)[];
  /** The validators-registry / deposit index the approval was made for, if any. */
  firstDepositIndex?: number;
  txHash: string;
  /** The signed raw transaction, so that a restarted service can rebroadcast the same bytes. */
  rawTx: string;
  nonce: number;
}

export interface Registration {
  id: number;
  publicKeys: `0x${string}`[];
  firstDepositIndex: number | undefined;
  txHash: `0x${string}`;
  rawTx: `0x${string}`;
  nonce: number;
  status: RegistrationStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** A registrations row as SQLite returns it. */
export interface RegistrationRow {
  id: number;
  public_keys: string;
  first_deposit_index: number | null;
  tx_hash: string;
  raw_tx: string;
  nonce: number;
  status: RegistrationStatus;
  created_at: number;
  updated_at: number;
}

/**
 * Statuses a registration may move to, and from which. Mined is final; so are failed and dropped,
 * except that a "dropped" transaction seen mined later is recorded as mined: the chain wins.
 */
export const TRANSITIONS: Record<Exclude<RegistrationStatus, "signed">, readonly RegistrationStatus[]> = {
  sent: ["signed"],
  mined: ["signed", "sent", "dropped"],
  failed: ["signed", "sent"],
  dropped: ["signed", "sent"],
};

/** Statuses that hold a key: it may not go into another registration. */
export const HOLDING: readonly RegistrationStatus[] = ["signed", "sent", "mined"];

export function toRegistration(row: RegistrationRow): Registration {
  return {
    id: row.id,
    publicKeys: JSON.parse(row.public_keys) as `0x${string}`[],
    firstDepositIndex: row.first_deposit_index ?? undefined,
    txHash: row.tx_hash as `0x${string}`,
    rawTx: row.raw_tx as `0x${string}`,
    nonce: row.nonce,
    status: row.status,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
