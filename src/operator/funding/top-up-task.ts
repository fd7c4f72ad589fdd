import { encodeFunctionData, type Hex, toHex } from "viem";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { encodeValidatorDepositEntries } from "../../keys/validator-entries.ts";
import { topUpEntry } from "../../keys/vault-deposit-entries.ts";
import { parseHex } from "../../lib/hex.ts";
import type { Logger } from "../../lib/logger.ts";
import type { ManagerSignatures } from "../manager-signatures.ts";
import type { Metrics } from "../metrics.ts";
import type { BeaconValidator } from "../planning/beacon-rules.ts";
import { assetsToDepositGwei, depositGweiToAssets } from "../planning/deposit-units.ts";
import { stakeableGwei } from "../planning/registration-amounts.ts";
import { heldReason } from "../planning/slot-plan.ts";
import { type Funding, type PendingDeposit, planTopUps } from "../planning/top-up-plan.ts";
import { type RoundTask, reserve } from "../round-context.ts";
import { OK, waitingFor } from "../status/outcome.ts";
import type { TransactionSender } from "../tx/transaction-sender.ts";
import { waitOf } from "../wait-errors.ts";
import type { FundingHistory } from "./funding-history.ts";

/** Gas of a fundValidators call, from below: the funds check before the call is built. */
export function topUpGasFloor(validators: number): bigint {
  // Measured on the devnet: 113 316 gas for one validator in vault.multicall.
  return 50_000n + 50_000n * BigInt(validators);
}

export interface TopUpSettings {
  maxValidatorBalanceGwei: bigint;
  minDepositAmountGwei: bigint;
  vaultMinBalanceGwei: bigint;
  minDepositDelaySeconds: number;
  /** VALIDATORS_FUNDING_BATCH_SIZE: validators per fundValidators call. */
  batchSize: number;
}

export interface TopUpTaskParameters {
  vault: `0x${string}`;
  /** Its deposit unit: amounts are mGNO on Gnosis, where the vault holds GNO. */
  network: Pick<NetworkConfig, "depositUnitsPerAsset">;
  settings: TopUpSettings;
  /** The vault's 0x02 keys and their last deposits, up to the snapshot's head. */
  history(head: { number: bigint; timestamp: number }, signal: AbortSignal): Promise<FundingHistory>;
  /** The beacon's view of those keys and the pending deposits, at one state. */
  beacon(
    publicKeys: readonly `0x${string}`[],
    signal: AbortSignal,
  ): Promise<{ validators: readonly BeaconValidator[]; pendingDeposits: readonly PendingDeposit[] }>;
  sender: TransactionSender;
  /** The validators manager's signature of each call: none when the wallet is the manager. */
  manager: ManagerSignatures;
  metrics: Pick<Metrics, "topUps" | "validatorsFunded">;
  log: Logger;
}

/**
 * Top-ups of the vault's existing 0x02 validators (spec §6.4 step 2), before registration in the
 * same slot: the plan fills the fullest validators first from the snapshot's stakeable assets,
 * and this slot sends its first batch as `vault.multicall([updateState?, fundValidators])`, signed
 * by the validators manager: no signature when the wallet is the manager and the sender, the
 * relayer's when a DVT relayer holds the manager key. What the plan
 * funds or holds back for the deposit delay is reserved in the round, so registration does not
 * spend it; later batches go out in the next slots.
 */
export function createTopUpTask(p: TopUpTaskParameters): RoundTask<VaultState> {
  const { settings, sender, metrics, log } = p;
  return {
    name: "top-up",
    async run(round, signal) {
      const { snapshot } = round;
      const assetsGwei = stakeableGwei({
        withdrawableGwei: assetsToDepositGwei(p.network, snapshot.stakeable),
        vaultMinBalanceGwei: settings.vaultMinBalanceGwei,
      });
      // Cheap exit first: most slots have nothing to stake, and then nothing is read.
      if (assetsGwei < settings.minDepositAmountGwei) return OK;
      const history = await p.history(snapshot.head, signal);
      if (history.keys.length === 0) return OK;
      const beacon = await p.beacon(history.keys, signal);
      const plan = planTopUps({
        registeredKeys: history.keys,
        beaconValidators: beacon.validators,
        pendingDeposits: beacon.pendingDeposits,
        assetsGwei,
        maxValidatorBalanceGwei: settings.maxValidatorBalanceGwei,
        minDepositAmountGwei: settings.minDepositAmountGwei,
        lastDepositAt: history.lastDepositAt,
        now: snapshot.head.timestamp,
        minDepositDelaySeconds: settings.minDepositDelaySeconds,
        batchSize: settings.batchSize,
      });
      reserve(round, depositGweiToAssets(p.network, assetsGwei - plan.remainingGwei));
      const held = plan.held.length > 0 ? waitingFor("deposit-delay", heldReason(plan.held)) : OK;
      const batch = plan.batches[0];
      if (!batch) return held;

      const harvests = snapshot.harvest !== undefined && !round.harvested;
      try {
        sender.checkCanPay(snapshot, topUpGasFloor(batch.length), "top-up");
        const calls: Hex[] = [];
        // fundValidators refuses a vault that needs harvesting; a due harvest goes first.
        if (harvests && snapshot.harvest) {
          calls.push(
            encodeFunctionData({
              abi: vaultV5Abi,
              functionName: "updateState",
              args: [snapshot.harvest.params],
            }),
          );
        }
        const validators = fundingEntries(p.vault, batch);
        const managerSignature = await p.manager.sign(
          { kind: "fund", vault: p.vault, validators, items: batch },
          signal,
        );
        calls.push(
          encodeFunctionData({
            abi: vaultV5Abi,
            functionName: "fundValidators",
            args: [validators, managerSignature],
          }),
        );
        const receipt = await sender.send({
          kind: "top-up",
          to: p.vault,
          data: encodeFunctionData({ abi: vaultV5Abi, functionName: "multicall", args: [calls] }),
        });
        if (harvests) round.harvested = true;
        metrics.topUps.inc({ outcome: "success" });
        metrics.validatorsFunded.inc(batch.length);
        log.info("validators topped up", {
          count: batch.length,
          amountsGwei: batch.map((f) => String(f.amountGwei)),
          publicKeys: batch.map((f) => f.publicKey),
          txHash: receipt.transactionHash,
          block: Number(receipt.blockNumber),
        });
        return held;
      } catch (error) {
        const wait = waitOf(error);
        if (wait) return wait;
        metrics.topUps.inc({ outcome: "failure" });
        throw error;
      }
    },
  };
}

/** The `validators` bytes of a fundValidators call: 184-byte entries over a zero deposit signature. */
export function fundingEntries(vault: `0x${string}`, fundings: readonly Funding[]): Hex {
  const entries = fundings.map((f) =>
    topUpEntry({ publicKey: parseHex(f.publicKey, 48) as Uint8Array, vault, amountGwei: f.amountGwei }),
  );
  return toHex(encodeValidatorDepositEntries(entries));
}
