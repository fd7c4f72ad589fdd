import type { PublicClient } from "viem";
import type { ConsensusClient } from "../chain/consensus-client.ts";
import type { VaultState } from "../chain/vault-state-reader.ts";
import type { NetworkConfig } from "../config/networks.ts";
import type { Logger } from "../lib/logger.ts";
import type { OracleSet } from "../oracles/oracle-set.ts";
import type { Metrics } from "./metrics.ts";
import type { RoundTask } from "./round-context.ts";
import type { StartSettings } from "./settings.ts";
import type { StateStore } from "./state/state-store.ts";
import type { TransactionSender } from "./tx/transaction-sender.ts";
import { createWithdrawalReads } from "./withdrawals/withdrawal-reads.ts";
import { createWithdrawalsTask } from "./withdrawals/withdrawals-task.ts";

/** What the tasks of a vault whose validators manager is the wallet are built from. */
export interface ManagedTaskDeps {
  settings: StartSettings;
  network: NetworkConfig;
  vault: `0x${string}`;
  /** The operator's wallet: the validators manager and the sender. */
  wallet: `0x${string}`;
  execution: PublicClient;
  consensus: ConsensusClient;
  sender: TransactionSender;
  store: StateStore;
  metrics: Metrics;
  oracles: (signal: AbortSignal) => Promise<OracleSet>;
  log: Logger;
}

/**
 * The slot tasks a managed vault (version 2+, the wallet its validators manager) runs beside
 * registration: those that spend the vault's assets before new validators do (top-ups of 0x02
 * validators), and those that serve its exit queue after them (EIP-7002 withdrawals).
 */
export function managedVaultTasks(deps: ManagedTaskDeps): {
  beforeRegistration: RoundTask<VaultState>[];
  afterRegistration: RoundTask<VaultState>[];
} {
  const { settings, network } = deps;
  const afterRegistration: RoundTask<VaultState>[] = [];
  if (!settings.v5.disableWithdrawals) {
    afterRegistration.push(
      createWithdrawalsTask({
        vault: deps.vault,
        intervalSeconds: settings.v5.withdrawalsIntervalSeconds,
        recheckSeconds: network.secondsPerSlot * network.slotsPerEpoch,
        maxRequestFeeGwei: settings.v5.maxWithdrawalRequestFeeGwei,
        disableFullWithdrawals: false,
        ...createWithdrawalReads({
          network,
          vault: deps.vault,
          firstBlock: BigInt(network.keeper.genesisBlock),
          intervalSeconds: settings.v5.withdrawalsIntervalSeconds,
          execution: deps.execution,
          consensus: deps.consensus,
          oracles: deps.oracles,
          oracleTimeoutMs: settings.oracleTimeoutMs,
        }),
        sender: deps.sender,
        log: deps.log.child({ module: "withdrawals" }),
      }),
    );
  }
  return { beforeRegistration: [], afterRegistration };
}
