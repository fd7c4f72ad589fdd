import type { DatabaseSync } from "node:sqlite";
import { StateStoreError } from "./errors.ts";

/**
 * The operator.db schema, versioned per scope: the network tables are named after the network
 * (the Python operator's layout, spec §6.8, so its database can be reused), the registration
 * journal is ours. Each scope's migrations run once, in one transaction with its version bump.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: DatabaseSync): void;
}

export interface NetworkTables {
  networkValidators: string;
  checkpoints: string;
}

export function networkTables(network: string): NetworkTables {
  if (!/^[a-z][a-z0-9_]*$/.test(network)) {
    throw new StateStoreError(`network name "${network}" cannot name a table`);
  }
  return { networkValidators: `${network}_network_validators`, checkpoints: `${network}_checkpoints` };
}

export const JOURNAL_SCOPE = "journal";

const JOURNAL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "registration journal",
    up(db) {
      db.exec(`
        CREATE TABLE registrations (
          id INTEGER PRIMARY KEY,
          vault TEXT NOT NULL,
          network TEXT NOT NULL,
          public_keys TEXT NOT NULL,
          first_deposit_index INTEGER,
          tx_hash TEXT NOT NULL,
          raw_tx TEXT NOT NULL,
          nonce INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('signed', 'sent', 'mined', 'failed', 'dropped')),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX registrations_open ON registrations (vault, network, status);
        CREATE TABLE registration_keys (
          public_key TEXT NOT NULL,
          registration_id INTEGER NOT NULL REFERENCES registrations (id),
          PRIMARY KEY (public_key, registration_id)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    description: "one journal for every transaction of the service, with its kind",
    up(db) {
      // The registrations move over as entries of kind "registration", ids and keys kept.
      db.exec(`
        CREATE TABLE transactions (
          id INTEGER PRIMARY KEY,
          vault TEXT NOT NULL,
          network TEXT NOT NULL,
          kind TEXT NOT NULL,
          public_keys TEXT NOT NULL,
          first_deposit_index INTEGER,
          tx_hash TEXT NOT NULL,
          raw_tx TEXT NOT NULL,
          nonce INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('signed', 'sent', 'mined', 'failed', 'dropped')),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        INSERT INTO transactions (id, vault, network, kind, public_keys, first_deposit_index, tx_hash,
            raw_tx, nonce, status, created_at, updated_at)
          SELECT id, vault, network, 'registration', public_keys, first_deposit_index, tx_hash, raw_tx,
            nonce, status, created_at, updated_at
          FROM registrations;
        CREATE INDEX transactions_open ON transactions (vault, network, status);
        CREATE TABLE transaction_keys (
          public_key TEXT NOT NULL,
          transaction_id INTEGER NOT NULL REFERENCES transactions (id),
          PRIMARY KEY (public_key, transaction_id)
        ) WITHOUT ROWID;
        INSERT INTO transaction_keys (public_key, transaction_id)
          SELECT public_key, registration_id FROM registration_keys;
        DROP TABLE registration_keys;
        DROP TABLE registrations;
      `);
    },
  },
];

export const CHAINS_SCOPE = "chains";

/** Which chain each network's tables were filled from (see StateStore's chain check). */
const CHAINS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "the chain each network's state belongs to",
    up(db) {
      db.exec(`
        CREATE TABLE chains (
          network TEXT PRIMARY KEY,
          chain_id INTEGER NOT NULL,
          genesis_hash TEXT NOT NULL,
          recorded_at INTEGER NOT NULL
        );
      `);
    },
  },
];

function networkMigrations(network: string): readonly Migration[] {
  const tables = networkTables(network);
  return [
    {
      version: 1,
      description: "network validators and checkpoints (Python operator layout)",
      up(db) {
        // IF NOT EXISTS: a database the Python operator made already has these tables.
        db.exec(`
          CREATE TABLE IF NOT EXISTS ${tables.networkValidators} (
            public_key TEXT PRIMARY KEY,
            block_number INTEGER NOT NULL
          );
        `);
        migratePythonCheckpoints(db, tables.checkpoints);
        db.exec(`
          CREATE TABLE IF NOT EXISTS ${tables.checkpoints} (
            name TEXT PRIMARY KEY,
            block INTEGER NOT NULL
          );
        `);
      },
    },
  ];
}

/** Brings every scope up to date. Safe to run on every start and from several processes. */
export function migrate(db: DatabaseSync, network: string): void {
  const scopes: [string, readonly Migration[]][] = [
    [JOURNAL_SCOPE, JOURNAL_MIGRATIONS],
    [CHAINS_SCOPE, CHAINS_MIGRATIONS],
    [`network:${network}`, networkMigrations(network)],
  ];
  // Up to date (every start but the first): read only, so no write lock is needed to open.
  const upToDate = scopes.every(
    ([scope, migrations]) => schemaVersion(db, scope) === migrations.at(-1)?.version,
  );
  if (!upToDate) {
    db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (scope TEXT PRIMARY KEY, version INTEGER NOT NULL)",
    );
    for (const [scope, migrations] of scopes) migrateScope(db, scope, migrations);
  }
  assertLayout(db, network);
}

export function schemaVersion(db: DatabaseSync, scope: string): number {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!exists) return 0;
  const row = db.prepare("SELECT version FROM schema_migrations WHERE scope = ?").get(scope) as
    | { version: number }
    | undefined;
  return row?.version ?? 0;
}

function migrateScope(db: DatabaseSync, scope: string, migrations: readonly Migration[]): void {
  const latest = migrations.at(-1)?.version ?? 0;
  // IMMEDIATE: a second process opening the same file waits here instead of migrating twice.
  db.exec("BEGIN IMMEDIATE");
  try {
    const current = schemaVersion(db, scope);
    if (current > latest) {
      throw new StateStoreError(
        `operator.db has schema version ${current} for ${scope}, newer than this vault-operator knows (${latest}): upgrade vault-operator`,
      );
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      migration.up(db);
      db.prepare(
        "INSERT INTO schema_migrations (scope, version) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET version = excluded.version",
      ).run(scope, migration.version);
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/**
 * The Python operator's oldest checkpoints table had one column per checkpoint; it moves the
 * `checkpoint_validators` value into a (name, block) row. We do the same.
 */
function migratePythonCheckpoints(db: DatabaseSync, table: string): void {
  const columns = columnNames(db, table);
  if (!columns.has("checkpoint_validators")) return;
  const row = db.prepare(`SELECT checkpoint_validators AS block FROM ${table} LIMIT 1`).get() as
    | { block: number | null }
    | undefined;
  db.exec(`DROP TABLE ${table}`);
  db.exec(`CREATE TABLE ${table} (name TEXT PRIMARY KEY, block INTEGER NOT NULL)`);
  if (row?.block != null) {
    db.prepare(`INSERT INTO ${table} (name, block) VALUES ('checkpoint_validators', ?)`).run(row.block);
  }
}

function columnNames(db: DatabaseSync, table: string): Set<string> {
  const rows = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
  return new Set(rows.map((row) => row.name));
}

/** Tables made by another tool must still have the columns we read and write. */
function assertLayout(db: DatabaseSync, network: string): void {
  const tables = networkTables(network);
  const expected: Record<string, readonly string[]> = {
    [tables.networkValidators]: ["public_key", "block_number"],
    [tables.checkpoints]: ["name", "block"],
    transactions: ["id", "kind", "public_keys", "tx_hash", "raw_tx", "nonce", "status"],
    chains: ["network", "chain_id", "genesis_hash"],
  };
  for (const [table, wanted] of Object.entries(expected)) {
    const columns = columnNames(db, table);
    const missing = wanted.filter((column) => !columns.has(column));
    if (missing.length > 0) {
      throw new StateStoreError(
        `operator.db table ${table} has an unexpected layout (no ${missing.join(", ")} column), so another tool wrote it: move operator.db aside and restart (the network tables are rebuilt from the chain)`,
      );
    }
  }
}
