import type { PublicClient } from "viem";
import { vaultV5Abi } from "../chain/abi/vault-v5.ts";
import type { ConsensusClient } from "../chain/consensus-client.ts";
import type { VaultState } from "../chain/vault-state-reader.ts";
import type { NetworkConfig } from "../config/networks.ts";
import type { Logger } from "../lib/logger.ts";
import type { OracleSet } from "../oracles/oracle-set.ts";
import { createFundingHistory, type FundingEvent } from "./funding/funding-history.ts";
import { createTopUpTask } from "./funding/top-up-task.ts";
import type { ManagerSignatures } from "./manager-signatures.ts";
import type { Metrics } from "./metrics.ts";
import { DEFAULT_FUNDING_BATCH_SIZE } from "./planning/slot-plan.ts";
import type { RoundTask } from "./round-context.ts";
import type { StartSettings } from "./settings.ts";
import type { DepositStore } from "./state/state-view.ts";
import type { TransactionSender } from "./tx/transaction-sender.ts";
import { maxValidatorBalanceGweiFor } from "./v5-settings.ts";
import { readVaultBeaconView } from "./vault-beacon-view.ts";
import { createWithdrawalReads } from "./withdrawals/withdrawal-reads.ts";
import { createWithdrawalsTask } from "./withdrawals/withdrawals-task.ts";

/** What the tasks of a vault whose validators manager is the wallet are built from. */
export interface ManagedTaskDeps {
  settings: StartSettings;
  network: NetworkConfig;
  vault: `0x${string}`;
  /** The operator's wallet: the sender. */
  wallet: `0x${string}`;
  /** Who signs as the validators manager: nobody when it is the wallet, else the DVT relayer. */
  manager: ManagerSignatures;
  execution: PublicClient;
  consensus: ConsensusClient;
  sender: TransactionSender;
  store: DepositStore;
  metrics: Metrics;
  oracles: (signal: AbortSignal) => Promise<OracleSet>;
  log: Logger;
}

/**
 * The slot tasks a managed vault (version 2+, its validators manager the wallet or a DVT relayer) runs beside
 * registration: those that spend the vault's assets before new validators do (top-ups of 0x02
 * validators), and those that serve its exit queue after them (EIP-7002 withdrawals).
 */
export function managedVaultTasks(deps: ManagedTaskDeps): {
  beforeRegistration: RoundTask<VaultState>[];
  afterRegistration: RoundTask<VaultState>[];
} {
  const { v5 } = deps.settings;
  // A 0x01 operator registers 32 ETH validators only; top-ups are a 0x02 matter.
  const fundsValidators = v5.validatorType === "0x02" && !v5.disableValidatorsFunding;
  return {
    beforeRegistration: fundsValidators ? [topUpTask(deps)] : [],
    afterRegistration: v5.disableWithdrawals ? [] : [withdrawalsTask(deps)],
  };
}

function withdrawalsTask(deps: ManagedTaskDeps): RoundTask<VaultState> {
  const { settings, network } = deps;
  return createWithdrawalsTask({
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
    manager: deps.manager,
    log: deps.log.child({ module: "withdrawals" }),
  });
}

function topUpTask(deps: ManagedTaskDeps): RoundTask<VaultState> {
  const { settings, network, execution, consensus, vault } = deps;
  const log = deps.log.child({ module: "top-up" });
  const history = createFundingHistory({
    fromBlock: BigInt(network.keeper.genesisBlock),
    fetchEvents: (fromBlock, toBlock) => fundingEvents(execution, vault, fromBlock, toBlock),
    blockTime: async (blockNumber) => Number((await execution.getBlock({ blockNumber })).timestamp),
    logger: log,
  });
  return createTopUpTask({
    vault,
    network,
    settings: {
      maxValidatorBalanceGwei: maxValidatorBalanceGweiFor(settings.v5, network),
      minDepositAmountGwei: settings.v5.minDepositAmountGwei,
      vaultMinBalanceGwei: settings.v5.vaultMinBalanceGwei,
      minDepositDelaySeconds: settings.v5.minDepositDelaySeconds,
      batchSize: DEFAULT_FUNDING_BATCH_SIZE,
    },
    history: (head, signal) => history.read(head, settings.v5.minDepositDelaySeconds, signal),
    beacon: async (publicKeys, signal) => {
      // One state for the validators and the queue, so a deposit is not counted in both or neither.
      const { slot } = await consensus.getExecutionBlock("head", { signal });
      return readVaultBeaconView({ publicKeys, stateId: slot, signal }, { consensus });
    },
    sender: deps.sender,
    manager: deps.manager,
    metrics: deps.metrics,
    log,
  });
}

const FUNDING_EVENTS = vaultV5Abi.filter(
  (item) =>
    item.type === "event" &&
    (item.name === "V2ValidatorRegistered" ||
      item.name === "ValidatorFunded" ||
      item.name === "ValidatorConsolidationSubmitted"),
);

/** The vault's deposits to 0x02 keys and its consolidation targets in [fromBlock, toBlock]. */
async function fundingEvents(
  client: PublicClient,
  vault: `0x${string}`,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<FundingEvent[]> {
  const logs = await client.getContractEvents({
    address: vault,
    abi: FUNDING_EVENTS,
    fromBlock,
    toBlock,
    strict: true,
  });
  const events: FundingEvent[] = [];
  for (const log of logs) {
    const blockNumber = log.blockNumber;
    if (log.eventName === "ValidatorConsolidationSubmitted") {
      events.push({ kind: "target", publicKey: log.args.toPublicKey, blockNumber });
    } else if (log.eventName === "V2ValidatorRegistered" || log.eventName === "ValidatorFunded") {
      events.push({ kind: "deposit", publicKey: log.args.publicKey, blockNumber });
    }
  }
  return events;
}
