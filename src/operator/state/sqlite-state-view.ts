import { existsSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { JOURNAL_COLUMNS, type JournalRow, toJournalEntry } from "./journal-entry.ts";
import { networkTables } from "./schema.ts";
import { emptyStateView, type OpenStateViewOptions, type StateView, scanOverlay } from "./state-view.ts";

/** operator.db as `status` and `start --dry-run` see it (state-view.ts): opened read-only, never created. */
export function openSqliteStateView(options: OpenStateViewOptions & { file: string }): StateView {
  const { file, network } = options;
  const vault = options.vault.toLowerCase();
  if (!existsSync(file)) return emptyStateView(file, "does not exist yet (no service has run with it)");
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
    const chain = db
      .prepare("SELECT chain_id AS chainId, genesis_hash AS genesisHash FROM chains WHERE network = ?")
      .get(network) as { chainId: number; genesisHash: string } | undefined;
    if (
      chain &&
      (chain.chainId !== options.chain.chainId ||
        chain.genesisHash !== options.chain.genesisHash.toLowerCase())
    ) {
      db.close();
      return emptyStateView(file, `holds the state of another ${network} chain: start refuses it`);
    }
    const tables = networkTables(network);
    const reads = {
      checkpoint: db.prepare(`SELECT block FROM ${tables.checkpoints} WHERE name = ?`),
      hasValidator: db.prepare(`SELECT 1 FROM ${tables.networkValidators} WHERE public_key = ?`),
      countValidators: db.prepare(`SELECT COUNT(*) AS count FROM ${tables.networkValidators}`),
      open: db.prepare(
        `SELECT ${JOURNAL_COLUMNS} FROM transactions WHERE vault = ? AND network = ? AND status IN ('signed', 'sent') ORDER BY id`,
      ),
      last: db.prepare(
        `SELECT ${JOURNAL_COLUMNS} FROM transactions WHERE vault = ? AND network = ? ORDER BY id DESC LIMIT 1`,
      ),
      count: db.prepare("SELECT COUNT(*) AS count FROM transactions WHERE vault = ? AND network = ?"),
    };
    const opened = db;
    return {
      description: file,
      note: undefined,
      ...scanOverlay({
        checkpoint: async (name) => (reads.checkpoint.get(name) as { block: number } | undefined)?.block,
        networkValidatorCount: async () => (reads.countValidators.get() as { count: number }).count,
        networkValidatorsAmong: async (keys) => new Set(keys.filter((key) => reads.hasValidator.get(key))),
      }),
      openTransactions: async () =>
        (reads.open.all(vault, network) as unknown as JournalRow[]).map(toJournalEntry),
      async lastTransaction() {
        const row = reads.last.get(vault, network) as JournalRow | undefined;
        return row && toJournalEntry(row);
      },
      transactionCount: async () => (reads.count.get(vault, network) as { count: number }).count,
      async close() {
        if (opened.isOpen) opened.close();
      },
    };
  } catch (error) {
    // Not migrated yet (no tables) or not a database: read as empty, and say why.
    if (db?.isOpen) db.close();
    return emptyStateView(file, `not read: ${(error as Error).message}`);
  }
}
