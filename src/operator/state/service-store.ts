import type { TransactionJournal } from "../tx/transaction-sender.ts";
import type { NetworkValidatorRow } from "./state-store.ts";

/**
 * What the deposit scan keeps (spec §6.8): the network's validators with a valid deposit and the
 * scan checkpoint. Promise-returning, so that SQLite (operator.db) and PostgreSQL (`--db-url`)
 * serve it alike.
 */
export interface DepositStore {
  checkpoint(name: string): Promise<number | undefined>;
  /** Stores the rows (known keys skipped) and advances the checkpoint, in one transaction. */
  addNetworkValidators(rows: readonly NetworkValidatorRow[], checkpointBlock: number): Promise<number>;
  networkValidatorCount(): Promise<number>;
  /** The keys of `publicKeys` (0x + hex, any case) stored as network validators, lower-case. */
  networkValidatorsAmong(publicKeys: readonly string[]): Promise<Set<string>>;
}

/** Everything `operator start` keeps between rounds and restarts, in one database. */
export interface ServiceStore extends DepositStore {
  /** Where the state is, for logs: the file, or the database URL without its password. */
  readonly description: string;
  readonly journal: TransactionJournal;
  close(): Promise<void>;
}
