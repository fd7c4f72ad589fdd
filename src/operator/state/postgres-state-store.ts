import postgres from "postgres";
import { redactUrl } from "../../lib/sanitize.ts";
import type { TransactionJournal } from "../tx/transaction-sender.ts";
import {
  JournalStateError,
  RegistrationConflictError,
  StateStoreBindingError,
  StateStoreError,
} from "./errors.ts";
import {
  HOLDING,
  JOURNAL_COLUMNS,
  type JournalEntry,
  type JournalRow,
  type JournalStatus,
  REGISTERING_KINDS,
  type SignedTransactionInput,
  TRANSITIONS,
  toJournalEntry,
} from "./journal-entry.ts";
import { checkBinding, type StoreBinding } from "./postgres-binding.ts";
import { OPERATOR_SCHEMA, SCHEMA_LOCK_KEY } from "./postgres-schema.ts";
import type { ServiceStore } from "./service-store.ts";
import { CHECKPOINT_NETWORK_VALIDATORS } from "./state-store.ts";
import { assertBlock, checkedSignedInput, toDbPublicKey } from "./statements.ts";

export interface OpenPostgresStateStoreOptions {
  /** postgresql://user[:password]@host[:port]/database; shown only redacted. */
  url: string;
  /** The vault, network and chain the database is bound to on first use. */
  binding: StoreBinding;
  connectTimeoutSeconds?: number;
  now?: () => number;
  /** Who signs the journal's entries (host/pid), for the record: which replica sent what. */
  replica?: string;
}

type Sql = postgres.Sql;

/**
 * The state of `start --db-url` in PostgreSQL, for replicas that share it: the same rows and
 * rules as operator.db. The first open binds the database to its vault and chain; a replica of
 * another vault or chain is refused (StateStoreBindingError) before it reads anything.
 */
export async function openPostgresStateStore(options: OpenPostgresStateStoreOptions): Promise<ServiceStore> {
  const where = `the database ${redactUrl(options.url)}`;
  const sql = postgres(options.url, {
    max: 4,
    onnotice: () => {},
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    connection: { application_name: "vault-operator" },
  });
  try {
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`;
      for (const statement of OPERATOR_SCHEMA) await tx.unsafe(statement);
      const rows = await tx<{ name: string; value: string }[]>`SELECT name, value FROM operator_meta`;
      const stored = new Map(rows.map((row) => [row.name, row.value]));
      const wanted = checkBinding(stored, options.binding, where);
      for (const [name, value] of wanted) {
        await tx`INSERT INTO operator_meta (name, value) VALUES (${name}, ${value}) ON CONFLICT (name) DO NOTHING`;
      }
    });
  } catch (error) {
    await sql.end({ timeout: 1 });
    if (error instanceof StateStoreBindingError) throw error;
    throw new StateStoreError(
      `cannot open ${where}: ${(error as Error).message}: check --db-url (DB_URL) and that PostgreSQL is up`,
      { cause: error, retryable: true },
    );
  }
  return postgresStateStore(sql, options);
}

function postgresStateStore(sql: Sql, options: OpenPostgresStateStoreOptions): ServiceStore {
  const { network } = options.binding;
  const vault = options.binding.vault.toLowerCase();
  const now = options.now ?? Date.now;
  const reads = postgresStateReads(sql, network, vault);

  const recordSigned = async (input: SignedTransactionInput): Promise<number> => {
    const { publicKeys, txHash, rawTx, firstDepositIndex } = checkedSignedInput(input);
    return (await sql.begin(async (tx) => {
      // One writer of the journal at a time: the key check and the insert see the same rows.
      await tx`LOCK TABLE operator_transactions IN SHARE ROW EXCLUSIVE MODE`;
      if (REGISTERING_KINDS.includes(input.kind) && publicKeys.length > 0) {
        const holders = await tx<{ id: string; status: string; kind: string; public_key: string }[]>`
          SELECT DISTINCT ON (k.public_key) r.id, r.status, r.kind, k.public_key
          FROM operator_transaction_keys k JOIN operator_transactions r ON r.id = k.transaction_id
          WHERE k.public_key = ANY(${publicKeys}) AND r.vault = ${vault} AND r.network = ${network}
            AND r.status = ANY(${HOLDING as string[]})
          ORDER BY k.public_key, r.id DESC`;
        const holder = holders.find((h) => REGISTERING_KINDS.includes(h.kind as never));
        if (holder) throw new RegistrationConflictError(holder.public_key, Number(holder.id), holder.status);
      }
      const at = now();
      const [row] = await tx<{ id: string }[]>`
        INSERT INTO operator_transactions (vault, network, kind, public_keys, first_deposit_index, tx_hash,
          raw_tx, nonce, status, created_at, updated_at, replica)
        VALUES (${vault}, ${network}, ${input.kind}, ${JSON.stringify(publicKeys)}, ${firstDepositIndex},
          ${txHash}, ${rawTx}, ${input.nonce}, 'signed', ${at}, ${at}, ${options.replica ?? ""})
        RETURNING id`;
      const id = Number((row as { id: string }).id);
      for (const publicKey of publicKeys) {
        await tx`INSERT INTO operator_transaction_keys (public_key, transaction_id) VALUES (${publicKey}, ${id})`;
      }
      return id;
    })) as number;
  };

  const transition = async (id: number, to: Exclude<JournalStatus, "signed">): Promise<void> => {
    const from = TRANSITIONS[to] as JournalStatus[];
    const result = await sql`
      UPDATE operator_transactions SET status = ${to}, updated_at = ${now()}
      WHERE id = ${id} AND vault = ${vault} AND network = ${network} AND status = ANY(${from})`;
    if (result.count === 1) return;
    const [current] = await sql<{ status: JournalStatus }[]>`
      SELECT status FROM operator_transactions WHERE id = ${id} AND vault = ${vault} AND network = ${network}`;
    if (!current) throw new JournalStateError(`no transaction ${id} for vault ${vault}`);
    if (current.status === to) return;
    throw new JournalStateError(`transaction ${id} is ${current.status}; it cannot become ${to}`);
  };

  const journal: TransactionJournal = {
    recordSigned: (input) => recordSigned(input),
    markSent: (id) => transition(id, "sent"),
    markMined: (id) => transition(id, "mined"),
    markFailed: (id) => transition(id, "failed"),
    markDropped: (id) => transition(id, "dropped"),
    openTransactions: reads.openTransactions,
  };

  return {
    description: redactUrl(options.url),
    journal,
    checkpoint: reads.checkpoint,
    async addNetworkValidators(rows, checkpointBlock) {
      assertBlock(checkpointBlock, "checkpoint block");
      const keys = rows.map((row) => {
        assertBlock(row.blockNumber, "block number");
        return toDbPublicKey(row.publicKey);
      });
      return (await sql.begin(async (tx) => {
        let inserted = 0;
        for (let i = 0; i < keys.length; i++) {
          const result = await tx`
            INSERT INTO operator_network_validators (network, public_key, block_number)
            VALUES (${network}, ${keys[i] as string}, ${rows[i]?.blockNumber as number}) ON CONFLICT DO NOTHING`;
          inserted += result.count;
        }
        await tx`INSERT INTO operator_checkpoints (network, name, block)
          VALUES (${network}, ${CHECKPOINT_NETWORK_VALIDATORS}, ${checkpointBlock})
          ON CONFLICT (network, name) DO UPDATE
          SET block = GREATEST(operator_checkpoints.block, excluded.block)`;
        return inserted;
      })) as number;
    },
    networkValidatorCount: reads.networkValidatorCount,
    networkValidatorsAmong: reads.networkValidatorsAmong,
    async close() {
      await sql.end({ timeout: 5 }).catch(() => {});
    },
  };
}

/**
 * The reads of the `--db-url` state that the service and its read-only view (status, --dry-run)
 * share: the deposit scan's checkpoint and network validators, and the open journal entries.
 */
export function postgresStateReads(sql: Sql, network: string, vault: string) {
  const columns = sql.unsafe(JOURNAL_COLUMNS);
  return {
    async checkpoint(name: string): Promise<number | undefined> {
      const [row] = await sql<{ block: string }[]>`
        SELECT block FROM operator_checkpoints WHERE network = ${network} AND name = ${name}`;
      return row ? Number(row.block) : undefined;
    },
    async networkValidatorCount(): Promise<number> {
      const [row] = await sql<{ count: string }[]>`
        SELECT COUNT(*) AS count FROM operator_network_validators WHERE network = ${network}`;
      return Number(row?.count ?? 0);
    },
    /** The keys of `publicKeys` (0x + hex, any case) stored as network validators, lower-case. */
    async networkValidatorsAmong(publicKeys: readonly string[]): Promise<Set<string>> {
      if (publicKeys.length === 0) return new Set();
      const keys = publicKeys.map(toDbPublicKey);
      const rows = await sql<{ public_key: string }[]>`
        SELECT public_key FROM operator_network_validators
        WHERE network = ${network} AND public_key = ANY(${keys})`;
      return new Set(rows.map((row) => row.public_key));
    },
    /** Signed or sent, oldest first. */
    async openTransactions(): Promise<JournalEntry[]> {
      const rows = await sql<JournalRow[]>`SELECT ${columns} FROM operator_transactions
        WHERE vault = ${vault} AND network = ${network} AND status IN ('signed', 'sent') ORDER BY id`;
      return rows.map(toJournalEntry);
    },
  };
}
