import { existsSync } from "node:fs";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { type JournalEntry, type JournalRow, toJournalEntry } from "./journal-entry.ts";
import { networkTables } from "./schema.ts";
import { CHECKPOINT_NETWORK_VALIDATORS, type ChainIdentity } from "./state-store.ts";
import { toDbPublicKey } from "./statements.ts";

/**
 * The deposit scan's reads and writes of a synchronous SQLite state (StateStore is one; StateView
 * another); asyncDepositStore (sqlite-service-store.ts) makes it the scan's DepositStore.
 */
export interface SyncDepositStore {
  checkpoint(name: string): number | undefined;
  hasNetworkValidator(publicKey: string | Uint8Array): boolean;
  networkValidatorCount(): number;
  addNetworkValidators(
    rows: ReadonlyArray<{ publicKey: string | Uint8Array; blockNumber: number }>,
    checkpointBlock: number,
  ): number;
}

/**
 * The service's state as `status` and `start --dry-run` see it: the database file opened read-only
 * (never created, migrated or locked, so it works beside a running service and before the first
 * one), and whatever the deposit scan adds kept in memory. A file that is missing, not migrated
 * yet or made on another chain reads as empty, and `note` says so.
 */
export interface StateView extends SyncDepositStore {
  readonly file: string;
  /** Why the file was not read (missing, another chain, unreadable); undefined when it was. */
  readonly note: string | undefined;
  /** Transactions signed or sent but not settled, oldest first. */
  openTransactions(): JournalEntry[];
  /** The vault's latest journaled transaction, whatever its status. */
  lastTransaction(): JournalEntry | undefined;
  /** How many rows the vault's journal holds. */
  transactionCount(): number;
  close(): void;
}

export interface OpenStateViewOptions {
  file: string;
  network: string;
  vault: string;
  chain: ChainIdentity;
}

interface Reads {
  checkpoint: StatementSync;
  hasValidator: StatementSync;
  countValidators: StatementSync;
  open: StatementSync;
  last: StatementSync;
  count: StatementSync;
}

const COLUMNS =
  "id, kind, public_keys, first_deposit_index, tx_hash, raw_tx, nonce, status, created_at, updated_at";

export function openStateView(options: OpenStateViewOptions): StateView {
  const vault = options.vault.toLowerCase();
  const { network } = options;
  const added = new Set<string>();
  let scannedTo: number | undefined;
  let db: DatabaseSync | undefined;
  let reads: Reads | undefined;
  let note: string | undefined;

  if (!existsSync(options.file)) {
    note = "does not exist yet (no service has run with it)";
  } else {
    try {
      db = new DatabaseSync(options.file, { readOnly: true, timeout: 5000 });
      const chain = db
        .prepare("SELECT chain_id AS chainId, genesis_hash AS genesisHash FROM chains WHERE network = ?")
        .get(network) as { chainId: number; genesisHash: string } | undefined;
      if (
        chain &&
        (chain.chainId !== options.chain.chainId ||
          chain.genesisHash !== options.chain.genesisHash.toLowerCase())
      ) {
        note = `holds the state of another ${network} chain: start refuses it`;
      } else {
        const tables = networkTables(network);
        reads = {
          checkpoint: db.prepare(`SELECT block FROM ${tables.checkpoints} WHERE name = ?`),
          hasValidator: db.prepare(`SELECT 1 FROM ${tables.networkValidators} WHERE public_key = ?`),
          countValidators: db.prepare(`SELECT COUNT(*) AS count FROM ${tables.networkValidators}`),
          open: db.prepare(
            `SELECT ${COLUMNS} FROM transactions WHERE vault = ? AND network = ? AND status IN ('signed', 'sent') ORDER BY id`,
          ),
          last: db.prepare(
            `SELECT ${COLUMNS} FROM transactions WHERE vault = ? AND network = ? ORDER BY id DESC LIMIT 1`,
          ),
          count: db.prepare("SELECT COUNT(*) AS count FROM transactions WHERE vault = ? AND network = ?"),
        };
      }
    } catch (error) {
      // Not migrated yet (no tables) or not a database: read as empty, and say why.
      reads = undefined;
      db?.close();
      db = undefined;
      note = `not read: ${(error as Error).message}`;
    }
  }

  const stored = {
    checkpoint: (name: string) => (reads?.checkpoint.get(name) as { block: number } | undefined)?.block,
    has: (key: string) => reads?.hasValidator.get(key) !== undefined,
    count: () => (reads ? (reads.countValidators.get() as { count: number }).count : 0),
  };

  return {
    file: options.file,
    note,
    checkpoint(name) {
      const block = stored.checkpoint(name);
      if (name !== CHECKPOINT_NETWORK_VALIDATORS || scannedTo === undefined) return block;
      return block === undefined || scannedTo > block ? scannedTo : block;
    },
    hasNetworkValidator(publicKey) {
      const key = toDbPublicKey(publicKey);
      return added.has(key) || stored.has(key);
    },
    networkValidatorCount: () => stored.count() + added.size,
    addNetworkValidators(rows, checkpointBlock) {
      let inserted = 0;
      for (const row of rows) {
        const key = toDbPublicKey(row.publicKey);
        if (added.has(key) || stored.has(key)) continue;
        added.add(key);
        inserted++;
      }
      scannedTo = scannedTo === undefined ? checkpointBlock : Math.max(scannedTo, checkpointBlock);
      return inserted;
    },
    openTransactions: () =>
      reads ? (reads.open.all(vault, network) as unknown as JournalRow[]).map(toJournalEntry) : [],
    lastTransaction() {
      const row = reads?.last.get(vault, network) as JournalRow | undefined;
      return row && toJournalEntry(row);
    },
    transactionCount: () => (reads ? (reads.count.get(vault, network) as { count: number }).count : 0),
    close() {
      if (db?.isOpen) db.close();
    },
  };
}
