import type { DatabaseSync, StatementSync } from "node:sqlite";
import { JournalStateError, StateStoreError } from "./errors.ts";
import { HOLDING, JOURNAL_COLUMNS, type SignedTransactionInput } from "./journal-entry.ts";
import type { NetworkTables } from "./schema.ts";

/** Every statement the store runs more than once, prepared once per connection. */
export function prepareStatements(db: DatabaseSync, tables: NetworkTables) {
  const statement = (sql: string): StatementSync => db.prepare(sql);
  const columns = JOURNAL_COLUMNS;
  const rColumns =
    "r.id, r.kind, r.public_keys, r.first_deposit_index, r.tx_hash, r.raw_tx, r.nonce, r.status, r.created_at, r.updated_at";
  return {
    insertNetworkValidator: statement(
      `INSERT INTO ${tables.networkValidators} (public_key, block_number) VALUES (?, ?) ON CONFLICT DO NOTHING`,
    ),
    hasNetworkValidator: statement(`SELECT 1 FROM ${tables.networkValidators} WHERE public_key = ?`),
    countNetworkValidators: statement(`SELECT COUNT(*) AS count FROM ${tables.networkValidators}`),
    lastNetworkValidatorBlock: statement(
      `SELECT MAX(block_number) AS block FROM ${tables.networkValidators}`,
    ),
    getCheckpoint: statement(`SELECT block FROM ${tables.checkpoints} WHERE name = ?`),
    setCheckpoint: statement(
      `INSERT INTO ${tables.checkpoints} (name, block) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET block = excluded.block`,
    ),
    advanceCheckpoint: statement(
      `INSERT INTO ${tables.checkpoints} (name, block) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET block = MAX(block, excluded.block)`,
    ),
    holdingTransaction: statement(
      `SELECT r.id, r.status, r.kind FROM transaction_keys k JOIN transactions r ON r.id = k.transaction_id
       WHERE k.public_key = ? AND r.vault = ? AND r.network = ?
         AND r.status IN (${HOLDING.map((s) => `'${s}'`).join(", ")})
       ORDER BY r.id DESC LIMIT 1`,
    ),
    insertTransaction: statement(
      `INSERT INTO transactions (vault, network, kind, public_keys, first_deposit_index, tx_hash, raw_tx, nonce, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'signed', ?, ?)`,
    ),
    insertTransactionKey: statement(
      `INSERT INTO transaction_keys (public_key, transaction_id) VALUES (?, ?)`,
    ),
    openTransactions: statement(
      `SELECT ${columns} FROM transactions
       WHERE vault = ? AND network = ? AND status IN ('signed', 'sent') ORDER BY id`,
    ),
    latestTransactionFor: statement(
      `SELECT ${rColumns} FROM transaction_keys k
       JOIN transactions r ON r.id = k.transaction_id
       WHERE k.public_key = ? AND r.vault = ? AND r.network = ? ORDER BY r.id DESC LIMIT 1`,
    ),
    transactionById: statement(
      `SELECT ${columns} FROM transactions WHERE id = ? AND vault = ? AND network = ?`,
    ),
  };
}

const PUBLIC_KEY_HEX = /^(?:0x)?([0-9a-fA-F]{96})$/;

/** 0x + lower-case hex, as the Python operator stores public keys. */
export function toDbPublicKey(publicKey: string | Uint8Array): string {
  if (typeof publicKey !== "string") {
    if (publicKey.length !== 48)
      throw new StateStoreError(`a public key is 48 bytes, not ${publicKey.length}`);
    return `0x${Buffer.from(publicKey.buffer, publicKey.byteOffset, 48).toString("hex")}`;
  }
  const match = PUBLIC_KEY_HEX.exec(publicKey);
  if (!match) throw new StateStoreError(`"${publicKey.slice(0, 20)}…" is not a 48-byte hex public key`);
  return `0x${(match[1] as string).toLowerCase()}`;
}

export function normalizeHex(value: string, field: string, bytes?: number): string {
  const pattern =
    bytes === undefined ? /^0x(?:[0-9a-fA-F]{2})+$/ : new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`);
  if (!pattern.test(value)) {
    throw new JournalStateError(
      `${field} must be 0x-prefixed hex${bytes === undefined ? "" : ` of ${bytes} bytes`}`,
    );
  }
  return value.toLowerCase();
}

export function assertBlock(block: number, what: string): void {
  if (!Number.isSafeInteger(block) || block < 0) {
    throw new StateStoreError(`${what} ${block} is not a non-negative integer`);
  }
}

/**
 * A signed transaction checked and normalised for the journal, the same way in both databases:
 * keys as 0x + lower-case hex (a registration names at least one, none twice), hashes as hex,
 * the nonce and the first deposit index non-negative integers. Throws JournalStateError.
 */
export function checkedSignedInput(input: SignedTransactionInput): {
  publicKeys: string[];
  txHash: string;
  rawTx: string;
  firstDepositIndex: number | null;
} {
  const publicKeys = (input.publicKeys ?? []).map(toDbPublicKey);
  if (input.kind === "registration" && publicKeys.length === 0) {
    throw new JournalStateError("a registration needs public keys");
  }
  if (new Set(publicKeys).size !== publicKeys.length) {
    throw new JournalStateError("a transaction lists the same public key twice");
  }
  const txHash = normalizeHex(input.txHash, "txHash", 32);
  const rawTx = normalizeHex(input.rawTx, "rawTx");
  if (!Number.isSafeInteger(input.nonce) || input.nonce < 0) {
    throw new JournalStateError(`nonce ${input.nonce} is not a non-negative integer`);
  }
  const firstDepositIndex = input.firstDepositIndex ?? null;
  if (firstDepositIndex !== null && (!Number.isSafeInteger(firstDepositIndex) || firstDepositIndex < 0)) {
    throw new JournalStateError(`firstDepositIndex ${firstDepositIndex} is not a non-negative integer`);
  }
  return { publicKeys, txHash, rawTx, firstDepositIndex };
}
