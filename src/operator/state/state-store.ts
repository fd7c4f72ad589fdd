import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { VaultPaths } from "../../config/data-dir.ts";
import { makeDirsSync } from "../../lib/fs.ts";
import {
  JournalStateError,
  RegistrationConflictError,
  StateStoreChainError,
  StateStoreError,
  StateStoreLockedError,
} from "./errors.ts";
import {
  type JournalEntry,
  type JournalRow,
  type JournalStatus,
  REGISTERING_KINDS,
  type SignedTransactionInput,
  TRANSITIONS,
  type TransactionKind,
  toJournalEntry,
} from "./journal-entry.ts";
import { acquireProcessLock, isBusy, type ProcessLock } from "./process-lock.ts";
import { migrate, networkTables } from "./schema.ts";
import { assertBlock, checkedSignedInput, prepareStatements, toDbPublicKey } from "./statements.ts";

/** The checkpoint `addNetworkValidators` advances: the last block scanned for deposits. */
export const CHECKPOINT_NETWORK_VALIDATORS = "network_validators";
/** The Python operator's checkpoint of the vault-validators scan (kept for shared databases). */
export const CHECKPOINT_VAULT_VALIDATORS = "checkpoint_validators";

export const DATABASE_FILE_NAME = "operator.db";

/** `<database dir>/operator.db` when --database-dir is given, else `<vault dir>/operator.db`. */
export function stateDatabaseFile(paths: VaultPaths, databaseDir?: string): string {
  return databaseDir === undefined ? paths.databaseFile : join(databaseDir, DATABASE_FILE_NAME);
}

export interface OpenStateStoreOptions {
  /** The database file; its directory is created. See `stateDatabaseFile`. */
  file: string;
  network: string;
  /** Scopes the transaction journal (one database may serve several vaults). */
  vault: string;
  /**
   * Take the single-writer lock `<file>.lock` (default true): `operator start` must, so that two
   * services never register from one journal. Read-only tools pass false.
   */
  lock?: boolean;
  /** How long to wait for another process's lock before failing (ms, default 0). */
  lockTimeoutMs?: number;
  /** How long a statement waits for another connection's write to finish (ms, default 5000). */
  busyTimeoutMs?: number;
  /** Clock for created_at / updated_at (ms since epoch). */
  now?: () => number;
  /**
   * The chain the service reads: recorded the first time, and when the file's state was made on
   * another chain, opening fails with StateStoreChainError instead of trusting it.
   */
  chain?: ChainIdentity;
}

/** What tells two chains apart even when they share a chain id (a restarted devnet). */
export interface ChainIdentity {
  chainId: number;
  /** Hash of the execution chain's genesis block (block 0). */
  genesisHash: string;
}

export interface NetworkValidatorRow {
  /** 48 bytes, or hex with or without 0x; stored as 0x + lower-case hex (the Python layout). */
  publicKey: string | Uint8Array;
  blockNumber: number;
}

/**
 * The service's local state in SQLite (node:sqlite): the network's validators with a valid
 * deposit (spec §6.8), scan checkpoints, and the transaction journal that makes the service
 * crash-safe. Every transaction is recorded, and fsynced (WAL, synchronous=FULL), after it is
 * signed and before it is broadcast; on restart the open ones are settled first.
 */
export class StateStore {
  readonly file: string;
  readonly network: string;
  readonly vault: string;
  readonly #db: DatabaseSync;
  readonly #lock: ProcessLock | undefined;
  readonly #now: () => number;
  readonly #sql: ReturnType<typeof prepareStatements>;

  private constructor(options: OpenStateStoreOptions, db: DatabaseSync, lock: ProcessLock | undefined) {
    this.file = options.file;
    this.network = options.network;
    this.vault = options.vault.toLowerCase();
    this.#db = db;
    this.#lock = lock;
    this.#now = options.now ?? Date.now;
    this.#sql = prepareStatements(db, networkTables(options.network));
  }

  static open(options: OpenStateStoreOptions): StateStore {
    networkTables(options.network); // refuses a network name that cannot name a table
    try {
      makeDirsSync(dirname(options.file));
    } catch (error) {
      throw new StateStoreError(`cannot create the directory of ${options.file}`, { cause: error });
    }
    let lock: ProcessLock | undefined;
    if (options.lock !== false) {
      const lockFile = `${options.file}.lock`;
      try {
        lock = acquireProcessLock({
          file: lockFile,
          protects: options.file,
          ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
        });
      } catch (error) {
        if (error instanceof StateStoreLockedError) throw error;
        throw new StateStoreError(`cannot open the lock file ${lockFile}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
      const mode = db.prepare("PRAGMA journal_mode = WAL").get() as { journal_mode: string };
      if (mode.journal_mode !== "wal") throw new Error(`journal_mode is ${mode.journal_mode}, not wal`);
      // FULL: every commit is on disk before it returns, so a journal entry survives power loss.
      db.exec("PRAGMA synchronous = FULL");
      db.exec("PRAGMA foreign_keys = ON");
      migrate(db, options.network);
      if (options.chain) bindChain(db, options, options.chain);
      return new StateStore(options, db, lock);
    } catch (error) {
      db?.close();
      lock?.release();
      if (
        error instanceof StateStoreError ||
        error instanceof StateStoreLockedError ||
        error instanceof StateStoreChainError
      )
        throw error;
      throw new StateStoreError(`cannot open ${options.file}: ${(error as Error).message}`, {
        cause: error,
        retryable: isBusy(error),
      });
    }
  }

  /**
   * Stores validators with a valid deposit and advances the network-validators checkpoint, in
   * one transaction: after a crash either both are there or neither. Known keys are skipped
   * (the first block seen is kept). Returns how many rows were new.
   */
  addNetworkValidators(rows: readonly NetworkValidatorRow[], checkpointBlock: number): number {
    assertBlock(checkpointBlock, "checkpoint block");
    const keys = rows.map((row) => {
      assertBlock(row.blockNumber, "block number");
      return toDbPublicKey(row.publicKey);
    });
    return this.#write(() => {
      let inserted = 0;
      for (let i = 0; i < keys.length; i++) {
        inserted += Number(
          this.#sql.insertNetworkValidator.run(
            keys[i] as string,
            (rows[i] as NetworkValidatorRow).blockNumber,
          ).changes,
        );
      }
      this.#sql.advanceCheckpoint.run(CHECKPOINT_NETWORK_VALIDATORS, checkpointBlock);
      return inserted;
    });
  }

  hasNetworkValidator(publicKey: string | Uint8Array): boolean {
    return this.#sql.hasNetworkValidator.get(toDbPublicKey(publicKey)) !== undefined;
  }

  networkValidatorCount(): number {
    return (this.#sql.countNetworkValidators.get() as { count: number }).count;
  }

  /** The highest block of a stored network validator (what the Python operator resumes from). */
  lastNetworkValidatorBlock(): number | undefined {
    const row = this.#sql.lastNetworkValidatorBlock.get() as { block: number | null };
    return row.block ?? undefined;
  }

  checkpoint(name: string): number | undefined {
    const row = this.#sql.getCheckpoint.get(name) as { block: number } | undefined;
    return row?.block;
  }

  /** Sets a checkpoint to `block` (it may move back, e.g. to rescan). */
  setCheckpoint(name: string, block: number): void {
    assertBlock(block, "checkpoint block");
    this.#write(() => this.#sql.setCheckpoint.run(name, block));
  }

  /**
   * Journals a signed transaction; call it BEFORE broadcasting. Returns once the entry is durable.
   * A registration names its keys: RegistrationConflictError when a key is already in a
   * registration that is signed, sent or mined (and not released since by an "ssv-remove"), so no
   * key is ever put in two live registrations.
   */
  recordSignedTransaction(input: SignedTransactionInput): JournalEntry {
    const { publicKeys, txHash, rawTx, firstDepositIndex } = checkedSignedInput(input);

    const id = this.#write(() => {
      for (const publicKey of REGISTERING_KINDS.includes(input.kind) ? publicKeys : []) {
        // The latest live entry naming the key: a registration holds it, a removal released it.
        const holder = this.#sql.holdingTransaction.get(publicKey, this.vault, this.network) as
          | { id: number; status: string; kind: TransactionKind }
          | undefined;
        if (holder && REGISTERING_KINDS.includes(holder.kind)) {
          throw new RegistrationConflictError(publicKey, holder.id, holder.status);
        }
      }
      const now = this.#now();
      const { lastInsertRowid } = this.#sql.insertTransaction.run(
        this.vault,
        this.network,
        input.kind,
        JSON.stringify(publicKeys),
        firstDepositIndex,
        txHash,
        rawTx,
        input.nonce,
        now,
        now,
      );
      const transactionId = Number(lastInsertRowid);
      for (const publicKey of publicKeys) this.#sql.insertTransactionKey.run(publicKey, transactionId);
      return transactionId;
    });
    return this.transaction(id) as JournalEntry;
  }

  /** The transaction was handed to a node. */
  markSent(id: number): void {
    this.#transition(id, "sent");
  }

  /** The transaction is in a block and succeeded (a registration's keys are registered). */
  markMined(id: number): void {
    this.#transition(id, "mined");
  }

  /** The transaction is in a block and reverted: a registration's keys are free again. */
  markFailed(id: number): void {
    this.#transition(id, "failed");
  }

  /** The transaction will never be mined (its nonce was used by another one): keys are free again. */
  markDropped(id: number): void {
    this.#transition(id, "dropped");
  }

  /** Transactions signed or sent but not settled, oldest first: a restarted service settles these first. */
  openTransactions(): JournalEntry[] {
    return (this.#sql.openTransactions.all(this.vault, this.network) as unknown as JournalRow[]).map(
      toJournalEntry,
    );
  }

  /** The latest transaction (a registration) that includes `publicKey`, whatever its status. */
  transactionFor(publicKey: string | Uint8Array): JournalEntry | undefined {
    const row = this.#sql.latestTransactionFor.get(toDbPublicKey(publicKey), this.vault, this.network) as
      | JournalRow
      | undefined;
    return row && toJournalEntry(row);
  }

  transaction(id: number): JournalEntry | undefined {
    const row = this.#sql.transactionById.get(id, this.vault, this.network) as JournalRow | undefined;
    return row && toJournalEntry(row);
  }

  /** Closes the database (checkpointing the WAL) and releases the lock. Idempotent. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
    this.#lock?.release();
  }

  #transition(id: number, to: Exclude<JournalStatus, "signed">): void {
    this.#write(() => {
      const from = TRANSITIONS[to];
      const placeholders = from.map(() => "?").join(", ");
      const { changes } = this.#db
        .prepare(
          `UPDATE transactions SET status = ?, updated_at = ?
           WHERE id = ? AND vault = ? AND network = ? AND status IN (${placeholders})`,
        )
        .run(to, this.#now(), id, this.vault, this.network, ...from);
      if (Number(changes) === 1) return;
      const current = this.transaction(id);
      if (!current) throw new JournalStateError(`no transaction ${id} for vault ${this.vault}`);
      if (current.status === to) return;
      throw new JournalStateError(`transaction ${id} is ${current.status}; it cannot become ${to}`);
    });
  }

  /** One IMMEDIATE transaction: it takes the write lock up front, so it never fails half-way on BUSY. */
  #write<T>(fn: () => T): T {
    try {
      this.#db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      throw new StateStoreError(`cannot write ${this.file}: ${(error as Error).message}`, {
        cause: error,
        retryable: isBusy(error),
      });
    }
    try {
      const result = fn();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }
}

/**
 * Records the chain of `options.network`'s state on first use; afterwards refuses a file whose
 * state was made on another chain (same network name, other chain id or genesis).
 */
function bindChain(db: DatabaseSync, options: OpenStateStoreOptions, chain: ChainIdentity): void {
  const genesisHash = chain.genesisHash.toLowerCase();
  const row = db
    .prepare("SELECT chain_id AS chainId, genesis_hash AS genesisHash FROM chains WHERE network = ?")
    .get(options.network) as { chainId: number; genesisHash: string } | undefined;
  if (!row) {
    db.prepare(
      "INSERT INTO chains (network, chain_id, genesis_hash, recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT (network) DO NOTHING",
    ).run(options.network, chain.chainId, genesisHash, (options.now ?? Date.now)());
    return;
  }
  if (row.chainId === chain.chainId && row.genesisHash === genesisHash) return;
  throw new StateStoreChainError(
    `${options.file} holds the state of another ${options.network} chain (chain id ${row.chainId}, genesis block ${row.genesisHash}) than the one at --execution-endpoints (chain id ${chain.chainId}, genesis block ${genesisHash}): if that chain is new (a restarted devnet), delete ${options.file} and start again (its deposits and journal are rebuilt from the new chain); otherwise point --execution-endpoints at the chain it was made on`,
  );
}
