import postgres from "postgres";
import { redactUrl } from "../../lib/sanitize.ts";
import { StateStoreBindingError } from "./errors.ts";
import { JOURNAL_COLUMNS, type JournalRow, toJournalEntry } from "./journal-entry.ts";
import { checkBinding } from "./postgres-binding.ts";
import { postgresStateReads } from "./postgres-state-store.ts";
import { emptyStateView, type OpenStateViewOptions, type StateView, scanOverlay } from "./state-view.ts";

/**
 * The `--db-url` database as `status` and `start --dry-run` see it (state-view.ts): one session
 * whose transactions are read-only, no schema made and no binding written. A database that cannot
 * be reached, holds no operator state yet, or belongs to another vault or chain reads as empty,
 * and the note says which.
 */
export async function openPostgresStateView(
  options: OpenStateViewOptions & { url: string; connectTimeoutSeconds?: number },
): Promise<StateView> {
  const description = redactUrl(options.url);
  const { network } = options;
  const vault = options.vault.toLowerCase();
  const sql = postgres(options.url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    connection: { application_name: "vault-operator (read-only)", default_transaction_read_only: true },
  });
  const empty = async (note: string) => {
    await sql.end({ timeout: 1 }).catch(() => {});
    return emptyStateView(description, note);
  };
  try {
    const [tables] = await sql<{ meta: string | null }[]>`SELECT to_regclass('operator_meta')::text AS meta`;
    if (!tables?.meta) return await empty("holds no operator state yet (no service has run with it)");
    const meta = await sql<{ name: string; value: string }[]>`SELECT name, value FROM operator_meta`;
    checkBinding(
      new Map(meta.map((row) => [row.name, row.value])),
      {
        vault: options.vault as `0x${string}`,
        network,
        chainId: options.chain.chainId,
        genesisHash: options.chain.genesisHash,
      },
      "it",
    );
  } catch (error) {
    if (error instanceof StateStoreBindingError) return await empty(`not read: ${error.message}`);
    return await empty(`not read: cannot reach it (${(error as Error).message})`);
  }
  const reads = postgresStateReads(sql, network, vault);
  const columns = sql.unsafe(JOURNAL_COLUMNS);
  return {
    description,
    note: undefined,
    ...scanOverlay(reads),
    openTransactions: reads.openTransactions,
    async lastTransaction() {
      const [row] = await sql<JournalRow[]>`SELECT ${columns} FROM operator_transactions
        WHERE vault = ${vault} AND network = ${network} ORDER BY id DESC LIMIT 1`;
      return row && toJournalEntry(row);
    },
    async transactionCount() {
      const [row] = await sql<{ count: string }[]>`
        SELECT COUNT(*) AS count FROM operator_transactions WHERE vault = ${vault} AND network = ${network}`;
      return Number(row?.count ?? 0);
    },
    async close() {
      await sql.end({ timeout: 5 }).catch(() => {});
    },
  };
}
