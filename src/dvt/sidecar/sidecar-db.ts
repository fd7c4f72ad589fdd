import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Hex } from "viem";
import { makeDirsSync } from "../../lib/fs.ts";
import { SidecarDbError } from "./errors.ts";

/**
 * The sidecar's SQLite state (spec A.9 "Sidecar DB"), tables prefixed by network: the SSV
 * validators as the chain announced them (public key, operator ids, the encrypted sharesData —
 * never a decrypted share) and the scan checkpoint. A batch of validators and the checkpoint
 * that covers them are written in one transaction, so a crash never skips events.
 */

export const DB_VERSION = 1;
export const CHECKPOINT_SSV_VALIDATOR_ADDED = "ssv_validator_added";

export interface SsvValidatorRow {
  /** 0x + lowercase hex. */
  publicKey: Hex;
  operatorIds: bigint[];
  /** registerValidator's sharesData, 0x + hex: encrypted to the operators, as on chain. */
  sharesData: Hex;
}

export class SidecarDb {
  readonly #db: DatabaseSync;
  readonly #t: { version: string; checkpoints: string; validators: string };

  private constructor(db: DatabaseSync, network: string) {
    this.#db = db;
    if (!/^[a-z0-9]+$/.test(network))
      throw new SidecarDbError(`network name "${network}" cannot prefix a table`);
    this.#t = {
      version: `${network}_db_version`,
      checkpoints: `${network}_checkpoints`,
      validators: `${network}_ssv_validators`,
    };
  }

  /** Opens (creating when absent) the database file and its tables for `network`. */
  static open(file: string, network: string): SidecarDb {
    if (file !== ":memory:") makeDirsSync(dirname(file));
    const db = new DatabaseSync(file);
    try {
      db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
      const store = new SidecarDb(db, network);
      store.#migrate();
      return store;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  #migrate(): void {
    const t = this.#t;
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.version} (version INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS ${t.checkpoints} (
        checkpoint_type VARCHAR(64) UNIQUE NOT NULL, value INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS ${t.validators} (
        public_key TEXT PRIMARY KEY, operator_ids TEXT NOT NULL, shares_data TEXT NOT NULL);
    `);
    const row = this.#db.prepare(`SELECT version FROM ${t.version}`).get() as { version: number } | undefined;
    if (row === undefined) {
      this.#db.prepare(`INSERT INTO ${t.version} (version) VALUES (?)`).run(DB_VERSION);
    } else if (row.version > DB_VERSION) {
      throw new SidecarDbError(
        `the sidecar database has schema version ${row.version}, newer than this version's ${DB_VERSION}: upgrade the operator`,
      );
    }
  }

  checkpoint(type = CHECKPOINT_SSV_VALIDATOR_ADDED): bigint | undefined {
    const row = this.#db
      .prepare(`SELECT value FROM ${this.#t.checkpoints} WHERE checkpoint_type = ?`)
      .get(type) as { value: number | bigint } | undefined;
    return row === undefined ? undefined : BigInt(row.value);
  }

  /** Upserts the validators and sets the checkpoint, in one transaction. */
  saveValidators(
    rows: readonly SsvValidatorRow[],
    checkpoint: bigint,
    type = CHECKPOINT_SSV_VALIDATOR_ADDED,
  ): void {
    const upsert = this.#db.prepare(
      `INSERT INTO ${this.#t.validators} (public_key, operator_ids, shares_data) VALUES (?, ?, ?)
       ON CONFLICT(public_key) DO UPDATE SET operator_ids = excluded.operator_ids, shares_data = excluded.shares_data`,
    );
    const setCheckpoint = this.#db.prepare(
      `INSERT INTO ${this.#t.checkpoints} (checkpoint_type, value) VALUES (?, ?)
       ON CONFLICT(checkpoint_type) DO UPDATE SET value = excluded.value`,
    );
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      for (const row of rows) {
        // Ids as decimal strings: SSV operator ids are uint64, beyond a JSON number's exact range.
        upsert.run(row.publicKey.toLowerCase(), JSON.stringify(row.operatorIds.map(String)), row.sharesData);
      }
      setCheckpoint.run(type, checkpoint);
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  validators(): SsvValidatorRow[] {
    const rows = this.#db
      .prepare(`SELECT public_key, operator_ids, shares_data FROM ${this.#t.validators} ORDER BY rowid`)
      .all() as { public_key: string; operator_ids: string; shares_data: string }[];
    return rows.map((row) => ({
      publicKey: row.public_key as Hex,
      operatorIds: (JSON.parse(row.operator_ids) as (string | number)[]).map((id) => BigInt(id)),
      sharesData: row.shares_data as Hex,
    }));
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
