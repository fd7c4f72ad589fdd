import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { makeDirsSync } from "../../lib/fs.ts";
import type { PutValidatorOutcome, ValidatorRequest } from "./records.ts";
import {
  checkStoreNetwork,
  RELAYER_SCHEMA,
  RelayerStoreError,
  type ShareIndexRow,
  toPublicKeyShares,
  toRecords,
  toShares,
  type ValidatorRow,
} from "./schema.ts";
import { normalizeKey, type RelayerStore } from "./store.ts";

/** The relayer's state in one SQLite file (WAL, synchronous=FULL: a stored share survives a crash). */
export function openSqliteRelayerStore(options: { file: string; network: string }): RelayerStore {
  let db: DatabaseSync;
  try {
    makeDirsSync(dirname(options.file));
    db = new DatabaseSync(options.file, { timeout: 5000 });
  } catch (error) {
    throw new RelayerStoreError(
      `cannot open the relayer database ${options.file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    for (const statement of RELAYER_SCHEMA) db.exec(statement);
    const meta = db.prepare("SELECT value FROM relayer_meta WHERE name = 'network'").get() as
      | { value: string }
      | undefined;
    checkStoreNetwork(meta?.value, options.network, options.file);
    db.prepare("INSERT OR IGNORE INTO relayer_meta (name, value) VALUES ('network', ?)").run(options.network);
  } catch (error) {
    db.close();
    throw error;
  }
  return sqliteStore(db);
}

function sqliteStore(db: DatabaseSync): RelayerStore {
  const transaction = <T>(body: () => T): T => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = body();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  };
  const sql = {
    validator: db.prepare("SELECT * FROM validators WHERE public_key = ?"),
    validators: db.prepare("SELECT * FROM validators ORDER BY created_at, validator_index"),
    insert: db.prepare(
      `INSERT INTO validators (public_key, vault, amount, validator_type, validator_index, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    deleteValidator: db.prepare("DELETE FROM validators WHERE public_key = ?"),
    shareIndexesOf: db.prepare(
      "SELECT public_key, kind, share_index FROM signature_shares WHERE public_key = ?",
    ),
    shareIndexes: db.prepare("SELECT public_key, kind, share_index FROM signature_shares"),
    addShare: db.prepare(
      `INSERT INTO signature_shares (public_key, kind, share_index, signature, received_at)
       SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM validators WHERE public_key = ?)
       ON CONFLICT (public_key, kind, share_index) DO NOTHING`,
    ),
    shares: db.prepare(
      "SELECT share_index, signature FROM signature_shares WHERE public_key = ? AND kind = ? ORDER BY share_index",
    ),
    addPublicKeyShare: db.prepare(
      `INSERT INTO public_key_shares (public_key, share_index, public_key_share)
       SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM validators WHERE public_key = ?)
       ON CONFLICT (public_key, share_index) DO NOTHING`,
    ),
    publicKeyShares: db.prepare(
      "SELECT share_index, public_key_share FROM public_key_shares WHERE public_key = ? ORDER BY share_index",
    ),
    setExit: db.prepare(
      "UPDATE validators SET exit_signature = ?, oracle_shares_json = ? WHERE public_key = ? AND validator_index = ?",
    ),
    setDeposit: db.prepare(
      "UPDATE validators SET deposit_signature = ? WHERE public_key = ? AND validator_index = ?",
    ),
    deleteBefore: db.prepare("DELETE FROM validators WHERE created_at < ?"),
    addRegistered: db.prepare(
      "INSERT INTO registered_keys (public_key, source, block) VALUES (?, ?, ?) ON CONFLICT (public_key) DO NOTHING",
    ),
    registered: db.prepare("SELECT public_key FROM registered_keys"),
    checkpoint: db.prepare("SELECT block FROM checkpoints WHERE name = ?"),
    setCheckpoint: db.prepare(
      "INSERT INTO checkpoints (name, block) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET block = excluded.block",
    ),
  };
  sql.checkpoint.setReadBigInts(true);

  return {
    async putValidator(request: ValidatorRequest): Promise<PutValidatorOutcome> {
      const key = normalizeKey(request.publicKey);
      return transaction(() => {
        const existing = sql.validator.get(key) as ValidatorRow | undefined;
        if (existing && Number(existing.validator_index) === request.validatorIndex) return "kept";
        if (existing) sql.deleteValidator.run(key); // cascades to its shares
        sql.insert.run(
          key,
          request.vault?.toLowerCase() ?? null,
          request.amountGwei,
          request.validatorType,
          request.validatorIndex,
          request.createdAt,
        );
        return existing ? "reset" : "created";
      });
    },
    async validator(publicKey) {
      const key = normalizeKey(publicKey);
      const row = sql.validator.get(key) as ValidatorRow | undefined;
      if (!row) return undefined;
      return toRecords([row], sql.shareIndexesOf.all(key) as unknown as ShareIndexRow[])[0];
    },
    async validators() {
      return transaction(() =>
        toRecords(
          sql.validators.all() as unknown as ValidatorRow[],
          sql.shareIndexes.all() as unknown as ShareIndexRow[],
        ),
      );
    },
    async addShares(shares, receivedAt) {
      return transaction(() =>
        shares.map(({ publicKey, kind, share }) => {
          const key = normalizeKey(publicKey);
          const result = sql.addShare.run(key, kind, share.shareIndex, share.signature, receivedAt, key);
          return Number(result.changes) === 1;
        }),
      );
    },
    async shares(publicKey, kind) {
      return toShares(
        sql.shares.all(normalizeKey(publicKey), kind) as { share_index: number; signature: string }[],
      );
    },
    async putPublicKeyShares(publicKey, shares) {
      const key = normalizeKey(publicKey);
      transaction(() => {
        for (const share of shares)
          sql.addPublicKeyShare.run(key, share.shareIndex, share.publicKeyShare, key);
      });
    },
    async publicKeyShares(publicKey) {
      return toPublicKeyShares(
        sql.publicKeyShares.all(normalizeKey(publicKey)) as {
          share_index: number;
          public_key_share: string;
        }[],
      );
    },
    async setSignatures(signatures) {
      return transaction(() =>
        signatures.map(({ publicKey, validatorIndex, kind, signature, oracleExitShares }) => {
          const key = normalizeKey(publicKey);
          const result =
            kind === "exit"
              ? sql.setExit.run(
                  signature,
                  oracleExitShares ? JSON.stringify(oracleExitShares) : null,
                  key,
                  validatorIndex,
                )
              : sql.setDeposit.run(signature, key, validatorIndex);
          return Number(result.changes) === 1;
        }),
      );
    },
    async deleteValidatorsBefore(createdBefore) {
      return Number(sql.deleteBefore.run(createdBefore).changes);
    },
    async addRegisteredKeys(keys, source, block, checkpoint) {
      transaction(() => {
        for (const key of keys) sql.addRegistered.run(normalizeKey(key), source, block);
        sql.setCheckpoint.run(checkpoint, block);
      });
    },
    async registeredKeys() {
      const rows = sql.registered.all() as { public_key: `0x${string}` }[];
      return new Set(rows.map((row) => row.public_key));
    },
    async checkpoint(name) {
      const row = sql.checkpoint.get(name) as { block: bigint } | undefined;
      return row?.block;
    },
    async ping() {
      db.prepare("SELECT 1").get();
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}
