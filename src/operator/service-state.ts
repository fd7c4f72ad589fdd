import type { NetworkConfig } from "../config/networks.ts";
import type { Logger } from "../lib/logger.ts";
import type { LeaderLock, LeaderRole } from "./leader/leader-lock.ts";
import type { OnceRun } from "./once-run.ts";
import type { StartSettings } from "./settings.ts";
import { openServiceStore } from "./state/open-service-store.ts";
import { openPostgresStateView } from "./state/postgres-state-view.ts";
import type { DepositStore } from "./state/service-store.ts";
import { openSqliteStateView } from "./state/sqlite-state-view.ts";
import type { ChainIdentity } from "./state/state-store.ts";
import type { StateView } from "./state/state-view.ts";
import { createDryRunSender, type DryRunRecord } from "./tx/dry-run-sender.ts";
import {
  createTransactionSender,
  type TransactionJournal,
  type TransactionSender,
} from "./tx/transaction-sender.ts";
import type { TxChain } from "./tx/tx-chain.ts";

/** How long a sent transaction's receipt is awaited before the round fails (the next one settles it). */
const RECEIPT_TIMEOUT_MS = 300_000;

export interface ServiceState {
  /** What the deposit scan reads and fills. */
  store: DepositStore;
  /** Where the state is, for logs: the file, or the database URL without its password. */
  description: string;
  sender: TransactionSender;
  /** The journal the sender writes (undefined for one round that sends nothing). */
  journal: TransactionJournal | undefined;
  /** With --db-url: the replicas' leader lock (the sender checks it before every broadcast). */
  leader: LeaderLock | undefined;
  /** Set for one round that sends nothing: the state file read-only, and what the round recorded. */
  view: StateView | undefined;
  dryRun: DryRunRecord;
  close(): Promise<void>;
}

/**
 * The service's state and its one transaction path: `operator.db` (locked, migrated, bound to the
 * chain) or PostgreSQL with --db-url (shared by replicas, one leader), and the journaling sender;
 * or, for one round that sends nothing (status, start --dry-run), the same state read-only and the
 * sender that records (dry-run-sender.ts).
 */
export async function openServiceState(p: {
  settings: Pick<StartSettings, "databaseFile" | "dbUrl" | "vault" | "maxFeePerGasGwei">;
  network: Pick<NetworkConfig, "name" | "maxFeePerGasGwei" | "secondsPerSlot">;
  chain: ChainIdentity;
  txChain: TxChain;
  once: OnceRun | undefined;
  log: Logger;
  onRole?: (role: LeaderRole) => void;
}): Promise<ServiceState> {
  const { settings, network } = p;
  const maxFeePerGasWei = BigInt(Math.round((settings.maxFeePerGasGwei ?? network.maxFeePerGasGwei) * 1e9));
  const dryRun: DryRunRecord = { registrations: [], sends: [] };
  if (p.once) {
    const viewOf = { network: network.name, vault: settings.vault, chain: p.chain };
    const view =
      settings.dbUrl === undefined
        ? openSqliteStateView({ ...viewOf, file: settings.databaseFile })
        : await openPostgresStateView({ ...viewOf, url: settings.dbUrl });
    return {
      store: view,
      description: view.description,
      sender: createDryRunSender({
        chain: p.txChain,
        openTransactions: () => view.openTransactions(),
        maxFeePerGasWei,
        record: dryRun,
      }),
      journal: undefined,
      leader: undefined,
      view,
      dryRun,
      close: () => view.close(),
    };
  }
  // With --db-url the replicas share PostgreSQL and only the leader sends: the check before every
  // broadcast stops a replica that lost the lock.
  const { store, leader } = await openServiceStore({
    dbUrl: settings.dbUrl,
    databaseFile: settings.databaseFile,
    network: network.name,
    vault: settings.vault,
    chain: p.chain,
    leaderPollMs: Math.min(1000, (network.secondsPerSlot * 1000) / 2),
    log: p.log,
    ...(p.onRole ? { onRole: p.onRole } : {}),
  });
  return {
    store,
    description: store.description,
    sender: createTransactionSender({
      chain: p.txChain,
      journal: store.journal,
      maxFeePerGasWei,
      receiptTimeoutMs: RECEIPT_TIMEOUT_MS,
      ...(leader ? { beforeBroadcast: () => leader.assertLeader(), stop: leader.lost } : {}),
    }),
    journal: store.journal,
    leader,
    view: undefined,
    dryRun,
    async close() {
      // The lock first: the standby takes over at once.
      await leader?.close();
      await store.close();
    },
  };
}
