import type { DepositStore, ServiceStore } from "./service-store.ts";
import type { StateStore } from "./state-store.ts";
import { storeJournal } from "./store-journal.ts";

/**
 * The deposit scan's reads and writes of a synchronous SQLite state (StateStore); asyncDepositStore
 * makes it the scan's DepositStore.
 */
export interface SyncDepositStore {
  checkpoint(name: string): number | undefined;
  hasNetworkValidator(publicKey: string | Uint8Array): boolean;
  networkValidatorCount(): number;
  addNetworkValidators(
    rows: ReadonlyArray<{ publicKey: string | Uint8Array; blockNumber: number }>,
    checkpointBlock: number,
  ): number;
}

/** A synchronous SQLite deposit store (StateStore) as the scan's. */
export function asyncDepositStore(store: SyncDepositStore): DepositStore {
  return {
    checkpoint: async (name) => store.checkpoint(name),
    addNetworkValidators: async (rows, checkpointBlock) => store.addNetworkValidators(rows, checkpointBlock),
    networkValidatorCount: async () => store.networkValidatorCount(),
    networkValidatorsAmong: async (publicKeys) =>
      new Set(publicKeys.filter((key) => store.hasNetworkValidator(key)).map((key) => key.toLowerCase())),
  };
}

/** operator.db (the default for one machine) as the service's store; the calls are synchronous underneath. */
export function sqliteServiceStore(store: StateStore): ServiceStore {
  return {
    ...asyncDepositStore(store),
    description: store.file,
    journal: storeJournal(store),
    close: async () => store.close(),
  };
}
