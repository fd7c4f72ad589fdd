import type { DepositStore, ServiceStore } from "./service-store.ts";
import type { StateStore } from "./state-store.ts";
import type { SyncDepositStore } from "./state-view.ts";
import { storeJournal } from "./store-journal.ts";

/** A synchronous SQLite deposit store (StateStore, or status's read-only StateView) as the scan's. */
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
