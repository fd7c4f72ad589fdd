import type { TransactionJournal } from "../tx/transaction-sender.ts";
import type { StateStore } from "./state-store.ts";

/**
 * A SQLite state store as the TransactionSender's journal (operator.db for `start`, ssv.db for
 * SSV). The store is synchronous: each call has committed (fsynced) when its promise resolves.
 */
export function storeJournal(store: StateStore): TransactionJournal {
  return {
    recordSigned: async (entry) => store.recordSignedTransaction(entry).id,
    markSent: async (id) => store.markSent(id),
    markMined: async (id) => store.markMined(id),
    markFailed: async (id) => store.markFailed(id),
    markDropped: async (id) => store.markDropped(id),
    openTransactions: async () => store.openTransactions(),
  };
}
