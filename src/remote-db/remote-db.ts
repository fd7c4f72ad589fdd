import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { redactUrl } from "../lib/sanitize.ts";
import { databaseError } from "./database-error.ts";
import { assertDbUrl } from "./db-url.ts";
import {
  type KeypairsShape,
  keypairsTableShape,
  type LayoutVersion,
  type StoredLayout,
  storedLayout,
} from "./layout.ts";
import {
  createConfigsTableSql,
  createKeypairsTableSql,
  REMOTE_SIGNER_CONFIG_NAME,
  type RemoteDbTables,
  remoteDbTables,
} from "./tables.ts";

/** The encrypted key of one `{network}_keypairs` row, as stored: 0x-hex text. */
export interface EncryptedRow {
  publicKey: string;
  privateKey: string;
  nonce: string;
}

export interface ConnectRemoteDbParameters {
  /** postgresql://user:password@host[:port]/database; never shown unredacted. */
  url: string;
  /** Network name: the tables' prefix. */
  network: string;
  /** The vault whose rows are read and written (stored checksummed, matched in any case). */
  vault: `0x${string}`;
  /** Seconds to wait for the server (default 10). */
  connectTimeoutSeconds?: number;
}

/**
 * The vault's rows in the remote Postgres database (spec §7.5): every query of the remote-db
 * commands, each on the tables of one network and filtered by one vault. The queries follow the
 * keypairs table's layout (layout.ts): with parent_public_key, validator keys are the rows without
 * a parent; without it, every row is a validator key; without a vault column (v4), every row of
 * the table is one of "the vault's" rows, and there are no configs.
 */
export class RemoteDb {
  readonly tables: RemoteDbTables;
  readonly vault: `0x${string}`;
  readonly #sql: postgres.Sql;
  readonly #url: string;
  /** The keypairs table's columns, once looked up. */
  #shape: KeypairsShape | undefined;

  private constructor(sql: postgres.Sql, url: string, tables: RemoteDbTables, vault: `0x${string}`) {
    this.#sql = sql;
    this.#url = url;
    this.tables = tables;
    this.vault = vault;
  }

  /** Connects and checks the server answers. */
  static async connect(params: ConnectRemoteDbParameters): Promise<RemoteDb> {
    const url = assertDbUrl(params.url);
    const tables = remoteDbTables(params.network);
    let sql: postgres.Sql;
    try {
      sql = postgres(url, {
        max: 1,
        connect_timeout: params.connectTimeoutSeconds ?? 10,
        onnotice: () => {},
        connection: { application_name: "vault-operator" },
      });
    } catch {
      // The driver's error would carry the whole URL, password included: it is not kept.
      throw new UserInputError(
        `--db-url ${redactUrl(url)} is not a connection URL the database driver accepts: check its host, port and percent-encoding`,
      );
    }
    const db = new RemoteDb(sql, url, tables, params.vault);
    try {
      await db.#run("connect", () => sql`SELECT 1`);
    } catch (error) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw error;
    }
    return db;
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }

  async #run<T>(action: string, query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw databaseError(error, this.#url, action);
    }
  }

  get #vaultKey(): string {
    return this.vault.toLowerCase();
  }

  /** Creates the tables in `layout` (default v1.0.x; v4 has no configs table); existing tables keep theirs. */
  createTables(layout: LayoutVersion = "v1.0"): Promise<void> {
    this.#shape = undefined;
    return this.#run("create the tables", async () => {
      await this.#sql.unsafe(createKeypairsTableSql(this.tables, layout));
      if (layout !== "v4") await this.#sql.unsafe(createConfigsTableSql(this.tables));
    });
  }

  /**
   * The keypairs table's shape (whether it has parent_public_key and vault), or undefined when
   * there is no such table; a table of no layout vault-operator uses is a UserInputError.
   */
  async keypairsShape(): Promise<KeypairsShape | undefined> {
    if (this.#shape !== undefined) return this.#shape;
    const rows = await this.#run(
      "read the table's columns",
      () => this.#sql<{ name: string }[]>`
        SELECT attname AS name FROM pg_attribute
        WHERE attrelid = to_regclass(${this.tables.keypairs}) AND attnum > 0 AND NOT attisdropped`,
    );
    if (rows.length === 0) return undefined;
    this.#shape = keypairsTableShape(new Set(rows.map((r) => r.name)), this.tables.keypairs);
    return this.#shape;
  }

  /** The keypairs table's shape; no table is the "run setup" error. */
  async #requireShape(): Promise<KeypairsShape> {
    const shape = await this.keypairsShape();
    if (shape === undefined) {
      await this.requireTables();
      throw new UserInputError(`the table ${this.tables.keypairs} has no columns`);
    }
    return shape;
  }

  /** Whether the keypairs table has parent_public_key; no table is the "run setup" error. */
  async hasParentColumn(): Promise<boolean> {
    return (await this.#requireShape()).parentColumn;
  }

  /** The table holds the rows of every vault, with no vault column (v4): `--vault` selects nothing. */
  async sharedByVaults(): Promise<boolean> {
    return !(await this.#requireShape()).vaultColumn;
  }

  /** The layout of the vault's rows (layout.ts): the table's, or v1.1+ rows in a v1.0.x table. */
  async layout(): Promise<StoredLayout> {
    const shape = await this.#requireShape();
    const { parentColumn } = shape;
    if (!parentColumn) return storedLayout(shape);
    const [row] = await this.#run(
      "read the vault's layout",
      () => this.#sql<{ rows: string; shares: string; signerConfig: boolean }[]>`
        SELECT count(*) AS rows, count(parent_public_key) AS shares,
          EXISTS (SELECT 1 FROM ${this.#sql(this.tables.configs)}
                  WHERE lower(vault) = ${this.#vaultKey} AND name = ${REMOTE_SIGNER_CONFIG_NAME}) AS "signerConfig"
        FROM ${this.#sql(this.tables.keypairs)} WHERE lower(vault) = ${this.#vaultKey}`,
    );
    return storedLayout(shape, {
      rows: Number(row?.rows ?? 0),
      shares: Number(row?.shares ?? 0),
      signerConfig: row?.signerConfig === true,
    });
  }

  /**
   * `WHERE lower(vault) = …`, the vault's rows; `WHERE TRUE` in a table without a vault column
   * (v4), whose rows are all the vault's. A fragment, like the next one.
   */
  #vaultRows(shape: KeypairsShape, sql: postgres.Sql | postgres.TransactionSql = this.#sql) {
    return shape.vaultColumn ? sql`WHERE lower(vault) = ${this.#vaultKey}` : sql`WHERE TRUE`;
  }

  /**
   * `AND parent_public_key IS NULL` where the table has the column: the validator keys' rows. A
   * fragment, not a promise: awaiting it would run it.
   */
  #validatorsOnly(parentColumn: boolean, sql: postgres.Sql | postgres.TransactionSql = this.#sql) {
    return parentColumn ? sql`AND parent_public_key IS NULL` : sql``;
  }

  /** The keypairs table and, but in the v4 layout, the configs table exist. */
  async tablesExist(): Promise<boolean> {
    const [row] = await this.#run(
      "look up the tables",
      () => this.#sql<{ keypairs: string | null; configs: string | null }[]>`
        SELECT to_regclass(${this.tables.keypairs})::text AS keypairs, to_regclass(${this.tables.configs})::text AS configs`,
    );
    if (row?.keypairs == null) return false;
    return row.configs != null || (await this.keypairsShape())?.vaultColumn === false;
  }

  /** Fails with the fix when `setup` never ran on this database for this network. */
  async requireTables(): Promise<void> {
    if (!(await this.tablesExist())) {
      throw new UserInputError(
        `the database at ${redactUrl(this.#url)} has no ${this.tables.keypairs} and ${this.tables.configs} tables: run "operator remote-db setup" first (check --network too)`,
      );
    }
  }

  async vaultRowCounts(): Promise<{ keypairs: number; configs: number }> {
    const shape = await this.#requireShape();
    if (!shape.vaultColumn) return { keypairs: await this.countKeypairs(), configs: 0 };
    const [row] = await this.#run(
      "count the vault's rows",
      () => this.#sql<{ keypairs: string; configs: string }[]>`
        SELECT (SELECT count(*) FROM ${this.#sql(this.tables.keypairs)} WHERE lower(vault) = ${this.#vaultKey}) AS keypairs,
               (SELECT count(*) FROM ${this.#sql(this.tables.configs)} WHERE lower(vault) = ${this.#vaultKey}) AS configs`,
    );
    return { keypairs: Number(row?.keypairs ?? 0), configs: Number(row?.configs ?? 0) };
  }

  /** Up to `limit` other vaults that have keys in these tables (for error messages). */
  async otherVaults(limit = 3): Promise<string[]> {
    if (await this.sharedByVaults()) return [];
    const rows = await this.#run(
      "list the vaults",
      () => this.#sql<{ vault: string }[]>`
        SELECT DISTINCT vault FROM ${this.#sql(this.tables.keypairs)}
        WHERE lower(vault) <> ${this.#vaultKey} ORDER BY vault LIMIT ${limit}`,
    );
    return rows.map((r) => r.vault);
  }

  /** The vault's row with the smallest public key: the one the encryption key is checked on. */
  async firstKeypair(): Promise<EncryptedRow | undefined> {
    const rows = this.#vaultRows(await this.#requireShape());
    const [row] = await this.#run(
      "read a key",
      () => this.#sql<EncryptedRow[]>`
        SELECT public_key AS "publicKey", private_key AS "privateKey", nonce
        FROM ${this.#sql(this.tables.keypairs)} ${rows}
        ORDER BY public_key LIMIT 1`,
    );
    return row;
  }

  async countKeypairs(options: { validatorsOnly?: boolean } = {}): Promise<number> {
    const shape = await this.#requireShape();
    const only = options.validatorsOnly ? this.#validatorsOnly(shape.parentColumn) : this.#sql``;
    const [row] = await this.#run(
      "count the keys",
      () => this.#sql<{ count: string }[]>`
        SELECT count(*) AS count FROM ${this.#sql(this.tables.keypairs)} ${this.#vaultRows(shape)} ${only}`,
    );
    return Number(row?.count ?? 0);
  }

  /** The vault's encrypted keys (validators and shares), `batchSize` rows at a time from a cursor. */
  async *keypairBatches(batchSize = 5000): AsyncGenerator<EncryptedRow[]> {
    const rows = this.#vaultRows(await this.#requireShape());
    const query = this.#sql<EncryptedRow[]>`
      SELECT public_key AS "publicKey", private_key AS "privateKey", nonce
      FROM ${this.#sql(this.tables.keypairs)} ${rows}`;
    try {
      for await (const rows of query.cursor(batchSize)) yield rows;
    } catch (error) {
      throw databaseError(error, this.#url, "read the keys");
    }
  }

  /** The validator keys' public keys (rows without a parent, or every row in v1.1+), as stored. */
  async validatorPublicKeys(): Promise<string[]> {
    const shape = await this.#requireShape();
    const only = this.#validatorsOnly(shape.parentColumn);
    const rows = await this.#run(
      "read the validator public keys",
      () => this.#sql<{ publicKey: string }[]>`
        SELECT public_key AS "publicKey" FROM ${this.#sql(this.tables.keypairs)}
        ${this.#vaultRows(shape)} ${only}`,
    );
    return rows.map((r) => r.publicKey);
  }

  /** A config row of the vault; the v4 layout has none. */
  async readConfig(name: string): Promise<string | undefined> {
    if (await this.sharedByVaults()) return undefined;
    const [row] = await this.#run(
      `read ${name}`,
      () => this.#sql<{ data: string }[]>`
        SELECT data FROM ${this.#sql(this.tables.configs)} WHERE lower(vault) = ${this.#vaultKey} AND name = ${name}
        LIMIT 1`,
    );
    return row?.data;
  }

  /**
   * Uploads keys in one transaction, the way the Python operator does: the rows of the uploaded
   * validator keys and of their shares are replaced, the vault's other keys stay, and the configs
   * are rewritten from `configs(stored)`, which is given the vault's stored configs by name (the
   * v4 layout has no configs: nothing is asked). Rows are streamed in as COPY text (`keypairs`:
   * vault unless the table has none, parent_public_key or \N when `withParent`, public_key,
   * private_key, nonce; configs: vault, name, data). A failure anywhere changes nothing. Returns
   * how many of the vault's validator keys were kept (not among the uploaded ones).
   */
  async upsertVaultKeys(params: {
    /** The uploaded validator public keys, 0x-hex. */
    publicKeys: readonly string[];
    /** The keypairs text carries parent_public_key (key shares, v1.0.x layout). */
    withParent: boolean;
    /** The keypairs text starts with the vault (every layout but v4). */
    withVault: boolean;
    keypairs: Iterable<Uint8Array>;
    configs: (stored: ReadonlyMap<string, string>) => Iterable<Uint8Array>;
  }): Promise<{ kept: number }> {
    // One text parameter split by the server: a 10,000-element array parameter costs the driver
    // an escaped string per element, for each query that uses it.
    const uploaded = params.publicKeys.join(",").toLowerCase();
    const shape = await this.#requireShape();
    if (params.withParent && !shape.parentColumn) {
      throw new OperatorError(
        `the table ${this.tables.keypairs} has no parent_public_key column for key shares`,
      );
    }
    if (params.withVault !== shape.vaultColumn) {
      throw new OperatorError(
        `the keys to upload ${params.withVault ? "name" : "do not name"} a vault, and the table ${this.tables.keypairs} ${shape.vaultColumn ? "has" : "has no"} a vault column`,
      );
    }
    const columns = [
      ...(params.withVault ? ["vault"] : []),
      ...(params.withParent ? ["parent_public_key"] : []),
      "public_key",
      "private_key",
      "nonce",
    ];
    return this.#run("upload the keys", () =>
      this.#sql.begin(async (tx) => {
        const storedConfigs = shape.vaultColumn
          ? await tx<{ name: string; data: string }[]>`
              SELECT name, data FROM ${tx(this.tables.configs)} WHERE lower(vault) = ${this.#vaultKey} FOR UPDATE`
          : undefined;
        const theirShares = shape.parentColumn ? tx`OR lower(parent_public_key) = ANY(uploaded.keys)` : tx``;
        const vaultRows = shape.vaultColumn ? tx`AND lower(vault) = ${this.#vaultKey}` : tx``;
        await tx`
          WITH uploaded AS (SELECT string_to_array(${uploaded}, ',') AS keys)
          DELETE FROM ${tx(this.tables.keypairs)} USING uploaded WHERE TRUE ${vaultRows}
          AND (lower(public_key) = ANY(uploaded.keys) ${theirShares})`;
        // A small read-ahead: the text is made as the server takes it, not all at once.
        const keypairsCopy = await tx`
          COPY ${tx(this.tables.keypairs)} (${tx(columns)}) FROM STDIN`.writable();
        await pipeline(Readable.from(params.keypairs, { highWaterMark: 2 }), keypairsCopy);
        if (storedConfigs !== undefined) {
          const configs = params.configs(new Map(storedConfigs.map((c) => [c.name, c.data])));
          await tx`DELETE FROM ${tx(this.tables.configs)} WHERE lower(vault) = ${this.#vaultKey}`;
          const configsCopy =
            await tx`COPY ${tx(this.tables.configs)} (vault, name, data) FROM STDIN`.writable();
          await pipeline(Readable.from(configs, { highWaterMark: 2 }), configsCopy);
        }
        const [kept] = await tx<{ count: string }[]>`
          SELECT count(*) AS count FROM ${tx(this.tables.keypairs)} ${this.#vaultRows(shape, tx)}
          ${this.#validatorsOnly(shape.parentColumn, tx)} AND NOT lower(public_key) = ANY(string_to_array(${uploaded}, ','))`;
        return { kept: Number(kept?.count ?? 0) };
      }),
    );
  }

  /** Deletes the vault's rows (in the v4 layout, every row of the table); returns how many there were. */
  async deleteVaultRows(): Promise<{ keypairs: number; configs: number }> {
    const shape = await this.#requireShape();
    return this.#run("remove the vault's rows", () =>
      this.#sql.begin(async (tx) => {
        const keypairs = await tx`DELETE FROM ${tx(this.tables.keypairs)} ${this.#vaultRows(shape, tx)}`;
        if (!shape.vaultColumn) return { keypairs: keypairs.count, configs: 0 };
        const configs =
          await tx`DELETE FROM ${tx(this.tables.configs)} WHERE lower(vault) = ${this.#vaultKey}`;
        return { keypairs: keypairs.count, configs: configs.count };
      }),
    );
  }
}
