import type { NetworkConfig } from "../config/networks.ts";
import type { OnceRun } from "./once-run.ts";
import type { StartSettings } from "./settings.ts";
import { type ChainIdentity, StateStore } from "./state/state-store.ts";
import { type DepositStore, openStateView, type StateView } from "./state/state-view.ts";
import { storeJournal } from "./state/store-journal.ts";
import { createDryRunSender, type DryRunRecord } from "./tx/dry-run-sender.ts";
import { createTransactionSender, type TransactionSender } from "./tx/transaction-sender.ts";
import type { TxChain } from "./tx/tx-chain.ts";

/** How long a sent transaction's receipt is awaited before the round fails (the next one settles it). */
const RECEIPT_TIMEOUT_MS = 300_000;

export interface ServiceState {
  /** What the deposit scan reads and fills. */
  store: DepositStore;
  sender: TransactionSender;
  /** Set for one round that sends nothing: the state file read-only, and what the round recorded. */
  view: StateView | undefined;
  dryRun: DryRunRecord;
  close(): void;
}

/**
 * The service's state and its one transaction path: `operator.db` (locked, migrated, bound to the
 * chain) and the journaling sender; or, for one round that sends nothing (status, start --dry-run),
 * the file read-only and the sender that records (dry-run-sender.ts).
 */
export function openServiceState(p: {
  settings: Pick<StartSettings, "databaseFile" | "vault" | "maxFeePerGasGwei">;
  network: Pick<NetworkConfig, "name" | "maxFeePerGasGwei">;
  chain: ChainIdentity;
  txChain: TxChain;
  once: OnceRun | undefined;
}): ServiceState {
  const { settings, network } = p;
  const file = { file: settings.databaseFile, network: network.name, vault: settings.vault, chain: p.chain };
  const maxFeePerGasWei = BigInt(Math.round((settings.maxFeePerGasGwei ?? network.maxFeePerGasGwei) * 1e9));
  const dryRun: DryRunRecord = { registrations: [], sends: [] };
  if (p.once) {
    const view = openStateView(file);
    return {
      store: view,
      sender: createDryRunSender({
        chain: p.txChain,
        openTransactions: () => view.openTransactions(),
        maxFeePerGasWei,
        record: dryRun,
      }),
      view,
      dryRun,
      close: () => view.close(),
    };
  }
  const store = StateStore.open(file);
  return {
    store,
    sender: createTransactionSender({
      chain: p.txChain,
      journal: storeJournal(store),
      maxFeePerGasWei,
      receiptTimeoutMs: RECEIPT_TIMEOUT_MS,
    }),
    view: undefined,
    dryRun,
    close: () => store.close(),
  };
}
