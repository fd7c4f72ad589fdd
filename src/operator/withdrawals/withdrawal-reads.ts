import type { Address, Hex, PublicClient } from "viem";
import type { ConsensusClient } from "../../chain/consensus-client.ts";
import { readExitQueueNeed } from "../../chain/exit-queue-reader.ts";
import { readRequestFee } from "../../chain/request-fees.ts";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import { lastWithdrawalSubmittedBlock, scanRegisteredKeys } from "../../chain/vault-validator-events.ts";
import { EIP7002_WITHDRAWAL_REQUESTS, type NetworkConfig } from "../../config/networks.ts";
import { requestForcedExits } from "../../oracles/oracle-client.ts";
import type { OracleSet } from "../../oracles/oracle-set.ts";
import { PENDING_PARTIAL_WITHDRAWALS_LIMIT, SHARD_COMMITTEE_PERIOD } from "../planning/beacon-rules.ts";
import { depositUnitsPerAsset } from "../planning/deposit-units.ts";
import { WEI_PER_GWEI } from "../planning/gwei.ts";
import { forcedExitIndexes } from "../planning/oracle-exits.ts";
import type { RoundContext } from "../round-context.ts";
import { readVaultBeaconView } from "../vault-beacon-view.ts";
import type { WithdrawalsTaskDeps } from "./withdrawals-task.ts";

export interface WithdrawalReadsDeps {
  network: NetworkConfig;
  vault: Address;
  /** The first block to scan the vault's events from (--vault-first-block, else the Keeper's genesis). */
  firstBlock: bigint;
  intervalSeconds: number;
  execution: PublicClient;
  consensus: ConsensusClient;
  oracles: (signal: AbortSignal) => Promise<OracleSet>;
  oracleTimeoutMs: number;
}

/**
 * The chain reads of the withdrawals task: the vault's last submission from its events, and the
 * planner's inputs — the vault's validators at the beacon head, what the exit queue misses (after
 * the slot's due harvest), the oracles' forced exits and the EIP-7002 fee.
 */
export function createWithdrawalReads(
  deps: WithdrawalReadsDeps,
): Pick<WithdrawalsTaskDeps, "lastSubmittedAt" | "readInputs"> {
  const { network, vault, execution, consensus } = deps;
  const withdrawalRequests = network.withdrawalRequests ?? EIP7002_WITHDRAWAL_REQUESTS;
  // The vault's keys, followed incrementally: a registration only ever adds to them.
  const keys = new Set<Hex>();
  let scannedTo = deps.firstBlock - 1n;
  let shardCommitteePeriod: bigint | undefined;
  let genesisTime: number | undefined;

  async function vaultKeys(toBlock: bigint, signal: AbortSignal): Promise<Hex[]> {
    if (toBlock > scannedTo) {
      for (const key of await scanRegisteredKeys({
        client: execution,
        vault,
        fromBlock: scannedTo + 1n,
        toBlock,
        signal,
        unreachable: "throw",
      }))
        keys.add(key);
      scannedTo = toBlock;
    }
    return [...keys];
  }

  return {
    async lastSubmittedAt(head, signal) {
      const lookback = BigInt(Math.ceil(deps.intervalSeconds / network.secondsPerSlot) + 1);
      const fromBlock = head.number > lookback ? head.number - lookback : 0n;
      const block = await lastWithdrawalSubmittedBlock({
        client: execution,
        vault,
        fromBlock,
        toBlock: head.number,
        signal,
        unreachable: "throw",
      });
      if (block === undefined) return undefined;
      return Number((await execution.getBlock({ blockNumber: block })).timestamp);
    },

    async readInputs(round: RoundContext<VaultState>, signal) {
      const { snapshot } = round;
      const request = { signal };
      if (shardCommitteePeriod === undefined) {
        const spec = await consensus.getSpec(request);
        const value = spec.values.SHARD_COMMITTEE_PERIOD;
        shardCommitteePeriod =
          typeof value === "string" && /^\d+$/.test(value) ? BigInt(value) : SHARD_COMMITTEE_PERIOD;
      }
      genesisTime ??= (await consensus.getGenesis(request)).genesisTime;
      const [publicKeys, syncing, set] = await Promise.all([
        vaultKeys(snapshot.vault.blockNumber, signal),
        consensus.getSyncing(request),
        deps.oracles(signal),
      ]);
      const view = await readVaultBeaconView(
        { publicKeys, stateId: syncing.headSlot, signal },
        { consensus },
      );
      const [need, exits, feeWei] = await Promise.all([
        // What the queue misses before anything on its way back: the planner subtracts that.
        readExitQueueNeed({
          client: execution,
          network,
          vault,
          withdrawingAssets: 0n,
          // Read at the snapshot's block, before any harvest of this slot: the due one is applied
          // first in the same call, whether or not a transaction of this slot has sent it since.
          ...(snapshot.harvest ? { harvestParams: snapshot.harvest.params } : {}),
          blockNumber: snapshot.vault.blockNumber,
        }),
        requestForcedExits({ oracles: set.targets, timeoutMs: deps.oracleTimeoutMs, signal }),
        readRequestFee({
          client: execution,
          address: withdrawalRequests,
          kind: "withdrawal",
          blockNumber: snapshot.vault.blockNumber,
        }),
      ]);
      return {
        beaconTime: genesisTime + syncing.headSlot * network.secondsPerSlot,
        epoch: BigInt(syncing.headSlot) / BigInt(network.slotsPerEpoch),
        shardCommitteePeriod,
        validators: view.validators,
        // Rounded up: a withdrawal a gwei short would leave the last ticket unpaid. In deposit
        // units (mGNO on Gnosis), as the validators' balances are.
        exitQueueMissingGwei:
          (need.missingAssets * depositUnitsPerAsset(network) + WEI_PER_GWEI - 1n) / WEI_PER_GWEI,
        pendingPartialWithdrawals: view.pendingPartialWithdrawals,
        pendingConsolidations: view.pendingConsolidations,
        partialQueueFull: view.pendingPartialWithdrawalsCount >= PENDING_PARTIAL_WITHDRAWALS_LIMIT,
        forcedExits: forcedExitIndexes(exits.answers, set.recoverThreshold),
        validatorMinActiveEpochs: BigInt(set.validatorMinActiveEpochs ?? 0),
        // Read at the snapshot's block; the vault reads it again per request and refunds the rest.
        requestFeeWei: () => feeWei,
      };
    },
  };
}
