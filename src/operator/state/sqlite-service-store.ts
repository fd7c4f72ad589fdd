import type { ServiceStore } from "./service-store.ts";
import type { StateStore } from "./state-store.ts";
import { storeJournal } from "./store-journal.ts";

/** operator.db (the default for one machine) as the service's store; the calls are synchronous underneath. */
export function sqliteServiceStore(store: StateStore): ServiceStore {
  return {
    description: store.file,
    journal: storeJournal(store),
    checkpoint: async (name) => store.checkpoint(name),
    addNetworkValidators: async (rows, checkpointBlock) => store.addNetworkValidators(rows, checkpointBlock),
    networkValidatorCount: async () => store.networkValidatorCount(),
    networkValidatorsAmong: async (publicKeys) =>
      new Set(publicKeys.filter((key) => store.hasNetworkValidator(key)).map((key) => key.toLowerCase())),
    close: async () => store.close(),
  };
}
