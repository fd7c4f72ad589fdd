import { formatEther, type Hex } from "viem";
import type { createExecutionClient } from "../../chain/execution-client.ts";
import type { createVaultReader } from "../../chain/vault-reader.ts";
import { updateStateCallData } from "../../chain/vault-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { DepositDataEntry } from "../../keys/deposit-data-file.ts";
import type { ExitSigner, Hex as KeyHex } from "../../keys/sources/exit-signer.ts";
import type { ValidatorsTree } from "../../keys/validators-tree.ts";
import type { Logger } from "../../lib/logger.ts";
import { NotEnoughOracleApprovalsError } from "../../oracles/oracle-client.ts";
import { followDeposits } from "../deposit-scan.ts";
import { harvestParams } from "../harvest/harvest-params.ts";
import type { KeeperEvents } from "../keeper-events.ts";
import type { Metrics } from "../metrics.ts";
import type { StateStore } from "../state/state-store.ts";
import { OK, type TaskOutcome, waitingFor } from "../status/outcome.ts";
import { planRegistration } from "./plan.ts";
import { type OracleSet, prepareRegistration } from "./register-validators.ts";
import {
  checkFeeCap,
  checkWalletCanPay,
  GasPriceTooHighError,
  HotWalletFundsError,
  type RegistrationJournal,
  sendRegistration,
  settleOpenRegistrations,
} from "./tx-sender.ts";

const WEI_PER_GWEI = 1_000_000_000n;

/** The oracle set in force and the protocol's batch limits, from the Keeper's last config. */
export interface LoadedOracleSet extends OracleSet {
  batchLimit: number;
  rotationBatchLimit: number;
}

export interface RegistrationRoundDeps {
  vault: `0x${string}`;
  network: NetworkConfig;
  ipfsGateways: readonly string[];
  /** --max-fee-per-gas-gwei, or the network's default cap. */
  maxFeePerGasGwei: number;
  oracleTimeoutMs: number;
  depositDataFile: string;
  execution: ReturnType<typeof createExecutionClient>;
  reader: ReturnType<typeof createVaultReader>;
  store: StateStore;
  journal: RegistrationJournal;
  sender: Parameters<typeof sendRegistration>[0]["client"];
  signer: ExitSigner;
  keeperEvents: KeeperEvents;
  depositData: readonly DepositDataEntry[];
  tree: ValidatorsTree;
  fileRoot: Hex;
  metrics: Metrics;
  log: Logger;
  oracleSet: (signal: AbortSignal) => Promise<LoadedOracleSet>;
}

/**
 * One slot of registration: settle, follow deposits, plan, ask the oracles, send. It says what it
 * came to: registered (ok), waiting for something the operator or the world must change (assets,
 * keys, deposit data, gas, funds, oracles), or failed (thrown).
 */
export function createRegistrationRound(d: RegistrationRoundDeps) {
  const { network, log } = d;
  const depositWei = BigInt(network.validatorDepositGwei) * WEI_PER_GWEI;
  const maxFeePerGasWei = BigInt(Math.round(d.maxFeePerGasGwei * 1e9));
  const amount = (wei: bigint) => `${formatEther(wei)} ${network.assetToken}`;

  return async (signal: AbortSignal): Promise<TaskOutcome> => {
    if (!(await settleOpenRegistrations(d.sender, d.journal, 300_000))) {
      return waitingFor("transaction", "a registration transaction sent earlier is not settled yet");
    }
    const latest = await d.execution.getBlockNumber();
    d.metrics.blockNumber.set(Number(latest));
    const deposits = await followDeposits({ client: d.execution, network, store: d.store, head: latest });
    const vault = await d.reader.readVault(d.vault, { blockNumber: latest });
    const oracleSet = await d.oracleSet(signal);

    // A due harvest goes in the same transaction; the assets are what the vault has after it.
    let stakeable = vault.withdrawableAssets;
    let harvest: { updateStateData: Hex } | undefined;
    if (vault.canHarvest) {
      const hp = await harvestParams(
        {
          client: d.execution,
          network,
          vault: d.vault,
          mevEscrow: vault.mevEscrow,
          ipfsGateways: d.ipfsGateways,
          lastRewardsUpdate: d.keeperEvents.lastRewardsUpdate,
        },
        signal,
      );
      if (hp) {
        stakeable = await d.reader.simulateHarvestThenAssets(d.vault, hp);
        harvest = { updateStateData: updateStateCallData(hp) };
      }
    }
    const unused = Math.max(0, d.depositData.length - vault.validatorIndex);
    d.metrics.stakeableAssets.set(Number(stakeable / WEI_PER_GWEI));
    d.metrics.unusedValidatorKeys.set(unused);

    const plan = planRegistration({
      depositData: d.depositData,
      depositDataRoot: d.fileRoot,
      vaultValidatorsRoot: vault.validatorsRoot,
      vaultValidatorIndex: vault.validatorIndex,
      stakeableWei: stakeable,
      validatorDepositWei: depositWei,
      batchLimit: oracleSet.batchLimit,
      hasDepositOnChain: (publicKey) => deposits.has(publicKey),
      hasKey: (publicKey) => d.signer.has(publicKey as KeyHex),
    });
    if (plan.kind === "idle" && plan.reason === "not enough assets") {
      const keys =
        unused > 0
          ? `${unused} unused validator ${unused === 1 ? "key is" : "keys are"} ready`
          : `every key of ${d.depositDataFile} is registered too`;
      return waitingFor(
        "assets",
        `the vault has ${amount(stakeable)} to stake and a validator needs ${network.validatorDepositLabel}; ${keys}`,
      );
    }
    if (plan.kind === "idle") {
      return waitingFor(
        "keys",
        `the vault can fund ${plan.stakeable} more ${plan.stakeable === 1 ? "validator" : "validators"} (${amount(stakeable)}) but all ${d.depositData.length} keys of ${d.depositDataFile} are registered: create new keys (create-keys) and set the vault's validators root to the new deposit data`,
      );
    }
    if (plan.kind === "blocked") return waitingFor("deposit-data", plan.reason);

    // Gas and funds first (spec §6.3): no oracle round while the transaction could not be sent.
    let prepared: Awaited<ReturnType<typeof prepareRegistration>>;
    try {
      const fees = await checkFeeCap(d.sender, maxFeePerGasWei);
      await checkWalletCanPay(d.sender, fees.maxFeePerGas, plan.entries.length);
      prepared = await prepareRegistration({
        network,
        keeper: network.keeper.address,
        vault: d.vault,
        entries: plan.entries,
        startIndex: plan.startIndex,
        tree: d.tree,
        oracles: oracleSet,
        registryRoot: () => d.reader.depositRoot(),
        nextValidatorIndex: async () => deposits.count,
        now: async () => Number((await d.execution.getBlock()).timestamp),
        signer: d.signer,
        harvest,
        oracleTimeoutMs: d.oracleTimeoutMs,
        signal,
      });
    } catch (error) {
      const wait = waitOf(error);
      if (wait) return wait;
      d.metrics.registrations.inc({ outcome: "failure" });
      throw error;
    }
    for (const failure of prepared.oracleFailures) {
      d.metrics.oracleFailures.inc({ oracle: failure.oracle });
      log.warn("oracle did not approve", { oracle: failure.oracle, reason: failure.reason });
    }
    const receipt = await sendRegistration({
      client: d.sender,
      to: d.vault,
      data: prepared.data,
      journal: d.journal,
      publicKeys: prepared.publicKeys,
      firstDepositIndex: plan.startIndex,
      maxFeePerGasWei,
      receiptTimeoutMs: 300_000,
    }).catch((error: unknown) => {
      const wait = waitOf(error);
      if (wait) return wait;
      d.metrics.registrations.inc({ outcome: "failure" });
      throw error;
    });
    if ("kind" in receipt) return receipt;
    d.metrics.registrations.inc({ outcome: "success" });
    d.metrics.validatorsRegistered.inc(prepared.publicKeys.length);
    d.metrics.lastRegistrationBlock.set(Number(receipt.blockNumber));
    log.info("validators registered", {
      count: prepared.publicKeys.length,
      firstDepositIndex: plan.startIndex,
      txHash: receipt.transactionHash,
      block: Number(receipt.blockNumber),
    });
    return OK;
  };
}

/** The errors that mean "not now": the fee cap, the hot wallet's funds, too few oracles. */
function waitOf(error: unknown): TaskOutcome | undefined {
  if (error instanceof GasPriceTooHighError) return waitingFor("gas", error.message);
  if (error instanceof HotWalletFundsError) return waitingFor("funds", error.message);
  if (error instanceof NotEnoughOracleApprovalsError) return waitingFor("oracles", error.message);
  return undefined;
}
