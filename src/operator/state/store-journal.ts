import type { TransactionJournal } from "../tx/transaction-sender.ts";
import type { StateStore } from "./state-store.ts";

/** A state store as the TransactionSender's journal (operator.db for `start`, ssv.db for SSV). */
export function storeJournal(store: StateStore): TransactionJournal {
  return {
    recordSigned: (entry) => store.recordSignedTransaction(entry).id,
    markSent: (id) => store.markSent(id),
    markMined: (id) => store.markMined(id),
    markFailed: (id) => store.markFailed(id),
    markDropped: (id) => store.markDropped(id),
    openTransactions: () => store.openTransactions(),
  };
}
