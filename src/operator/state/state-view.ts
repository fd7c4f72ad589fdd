import type { JournalEntry } from "./journal-entry.ts";
import type { DepositStore } from "./service-store.ts";
import { CHECKPOINT_NETWORK_VALIDATORS, type ChainIdentity } from "./state-store.ts";
import { toDbPublicKey } from "./statements.ts";

/**
 * The service's state as `status` and `start --dry-run` see it: operator.db or the `--db-url`
 * database, opened read-only (never created, migrated, bound or locked, so it works beside a
 * running service and before the first one), with whatever the deposit scan adds kept in memory.
 * A state that is missing, not set up yet, of another vault or chain, or unreachable reads as
 * empty, and `note` says so.
 */
export interface StateView extends DepositStore {
  /** Where the state is: the file, or the database URL without its password. */
  readonly description: string;
  /** Why the state was not read; undefined when it was. */
  readonly note: string | undefined;
  /** Transactions signed or sent but not settled, oldest first. */
  openTransactions(): Promise<JournalEntry[]>;
  /** The vault's latest journaled transaction, whatever its status. */
  lastTransaction(): Promise<JournalEntry | undefined>;
  /** How many rows the vault's journal holds. */
  transactionCount(): Promise<number>;
  close(): Promise<void>;
}

/** Where a view looks, and the vault and chain whose state it wants. */
export interface OpenStateViewOptions {
  network: string;
  vault: string;
  chain: ChainIdentity;
}

/** What a stored state holds of the deposit scan, read-only. */
export type StoredScan = Pick<
  DepositStore,
  "checkpoint" | "networkValidatorCount" | "networkValidatorsAmong"
>;

/**
 * The deposit scan's store over a state that must not be written: what the scan adds is kept in
 * memory, on top of what is stored, and its checkpoint moves in memory only.
 */
export function scanOverlay(stored: StoredScan): DepositStore {
  const added = new Set<string>();
  let scannedTo: number | undefined;
  return {
    async checkpoint(name) {
      const block = await stored.checkpoint(name);
      if (name !== CHECKPOINT_NETWORK_VALIDATORS || scannedTo === undefined) return block;
      return block === undefined || scannedTo > block ? scannedTo : block;
    },
    async addNetworkValidators(rows, checkpointBlock) {
      const keys = [...new Set(rows.map((row) => toDbPublicKey(row.publicKey)))].filter(
        (key) => !added.has(key),
      );
      const known = keys.length > 0 ? await stored.networkValidatorsAmong(keys) : new Set<string>();
      let inserted = 0;
      for (const key of keys) {
        if (known.has(key)) continue;
        added.add(key);
        inserted++;
      }
      scannedTo = scannedTo === undefined ? checkpointBlock : Math.max(scannedTo, checkpointBlock);
      return inserted;
    },
    networkValidatorCount: async () => (await stored.networkValidatorCount()) + added.size,
    async networkValidatorsAmong(publicKeys) {
      const keys = publicKeys.map(toDbPublicKey);
      const found = keys.length > 0 ? await stored.networkValidatorsAmong(keys) : new Set<string>();
      for (const key of keys) if (added.has(key)) found.add(key);
      return found;
    },
  };
}

/** A view of no stored state (missing, unreadable, another chain): empty, and `note` says why. */
export function emptyStateView(description: string, note: string): StateView {
  return {
    description,
    note,
    ...scanOverlay({
      checkpoint: async () => undefined,
      networkValidatorCount: async () => 0,
      networkValidatorsAmong: async () => new Set(),
    }),
    openTransactions: async () => [],
    lastTransaction: async () => undefined,
    transactionCount: async () => 0,
    close: async () => {},
  };
}
