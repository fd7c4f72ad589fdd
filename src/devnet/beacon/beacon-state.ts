import { setTimeout as delay } from "node:timers/promises";
import type { Checkpoint, FinalityCheckpoints } from "../../chain/consensus-dto.ts";
import { parseHex } from "../../lib/hex.ts";
import type { BeaconNetwork } from "./beacon-network.ts";
import { type ChainTime, createChainTime, type SimClock } from "./chain-time.ts";
import { createDepositFollower, type SyncResult } from "./deposit-follower.ts";
import type { DepositSource, ExecutionBlockRef } from "./deposit-source.ts";
import { createExitPool, type SignedVoluntaryExit } from "./exit-pool.ts";
import { type NamedSlots, rootOf, type ValidatorId, ZERO_ROOT } from "./ids.ts";
import type { PendingConsolidation, PendingDeposit, PendingPartialWithdrawal } from "./pending-queues.ts";
import type { ExecutionRequestSource } from "./request-source.ts";
import { createValidatorRegistry } from "./validator-registry.ts";
import { matchesStatus, type ValidatorView } from "./validator-status.ts";

export interface BeaconStateOptions {
  network: BeaconNetwork;
  depositSource: DepositSource;
  /** EIP-7002 withdrawal and EIP-7251 consolidation requests; without it none are processed. */
  requestSource?: ExecutionRequestSource;
  /** Unix seconds of slot 0. */
  genesisTime: number;
  /** Default `Date` (wall clock). */
  clock?: SimClock;
  /** Default 2 epochs; see validatorAt for the exact rule. */
  activationDelaySlots?: number;
  /** Default 5 epochs (compute_activation_exit_epoch: 1 + MAX_SEED_LOOKAHEAD). */
  exitDelaySlots?: number;
  /** MIN_VALIDATOR_WITHDRAWABILITY_DELAY; default 256. */
  withdrawabilityDelayEpochs?: number;
  /** SHARD_COMMITTEE_PERIOD; default 0 so devnet validators may exit at once (mainnet: 256). */
  shardCommitteePeriodEpochs?: number;
  /** The finalized checkpoint trails the current epoch by this many epochs; default 2. */
  finalityDelayEpochs?: number;
  /** Default network.depositContract.genesisBlock, else 0. */
  depositFromBlock?: bigint;
  /** ETH1_FOLLOW_DISTANCE in blocks; default 0. */
  followDistanceBlocks?: bigint;
  /** Largest eth_getLogs range; default 10 000 blocks. */
  logsBlockRange?: bigint;
  /** MIN_ACTIVATION_BALANCE, also the 0x01 cap; default 32 000 000 000 gwei. */
  maxEffectiveBalanceGwei?: bigint;
  /** MAX_EFFECTIVE_BALANCE_ELECTRA, the 0x02 cap; default 2 048 000 000 000 gwei. */
  maxEffectiveBalanceCompoundingGwei?: bigint;
  /** Slots a deposit waits in the pending-deposits queue before it reaches the balance; default 0. */
  depositDelaySlots?: number;
}

export interface ValidatorFilter {
  ids?: ValidatorId[];
  statuses?: string[];
}

export interface StartOptions {
  /** Default 250 ms. */
  intervalMs?: number;
  /** Called with each failed step; the loop carries on. */
  onError?: (error: unknown) => void;
}

/** The constants the simulator runs with, for /eth/v1/config/spec. */
export interface BeaconParameters {
  activationDelaySlots: number;
  exitDelaySlots: number;
  withdrawabilityDelayEpochs: number;
  shardCommitteePeriodEpochs: number;
  finalityDelayEpochs: number;
  followDistanceBlocks: bigint;
  maxEffectiveBalanceGwei: bigint;
  maxEffectiveBalanceCompoundingGwei: bigint;
  depositDelaySlots: number;
}

export interface BeaconState {
  readonly network: BeaconNetwork;
  readonly genesisTime: number;
  readonly parameters: BeaconParameters;
  readonly time: ChainTime;
  currentSlot(): number;
  /** Where head / finalized / justified point now. */
  namedSlots(): NamedSlots;
  finalityAt(slot: number): FinalityCheckpoints;
  isFinalized(slot: number): boolean;
  validatorsAt(slot: number, filter?: ValidatorFilter): ValidatorView[];
  validatorAt(slot: number, id: ValidatorId): ValidatorView | undefined;
  executionBlockAt(slot: number): ExecutionBlockRef | undefined;
  depositCountAt(slot: number): number;
  /** The state's pending queues at `slot` (Electra). */
  pendingDepositsAt(slot: number): PendingDeposit[];
  pendingPartialWithdrawalsAt(slot: number): PendingPartialWithdrawal[];
  pendingConsolidationsAt(slot: number): PendingConsolidation[];
  /** Validators known so far, those whose first deposit is still pending included: the next index. */
  knownValidatorCount(): number;
  exitsIncludedAt(slot: number): SignedVoluntaryExit[];
  poolVoluntaryExits(): SignedVoluntaryExit[];
  /** Throws BeaconApiError(400) when the exit is invalid at the head. */
  submitVoluntaryExit(exit: SignedVoluntaryExit): void;
  /** Test knob: refuse (400) the exits of these validator indexes; null accepts them again. */
  refuseExits(indexes: readonly number[] | null): void;
  /** True when the last sync could not reach the execution node. */
  readonly elOffline: boolean;
  /** One catch-up step with the deposit contract; never overlaps another. */
  sync(): Promise<SyncResult>;
  /** Syncs now, then every intervalMs until `signal` aborts; a failed step never ends the loop. */
  start(signal: AbortSignal, options?: StartOptions): Promise<void>;
}

/**
 * A beacon chain that has no consensus of its own: every slot has a block, finality trails the
 * head by `finalityDelayEpochs`, and the validator set follows the deposit contract. Deposits and
 * execution blocks take effect in the slot the simulator processes them in; every query names a
 * slot, and the state at that slot sees only what had taken effect by then.
 */
export function createBeaconState(options: BeaconStateOptions): BeaconState {
  const { network } = options;
  const spe = network.slotsPerEpoch;
  const parameters: BeaconParameters = {
    activationDelaySlots: options.activationDelaySlots ?? 2 * spe,
    exitDelaySlots: options.exitDelaySlots ?? 5 * spe,
    withdrawabilityDelayEpochs: options.withdrawabilityDelayEpochs ?? 256,
    shardCommitteePeriodEpochs: options.shardCommitteePeriodEpochs ?? 0,
    finalityDelayEpochs: options.finalityDelayEpochs ?? 2,
    followDistanceBlocks: options.followDistanceBlocks ?? 0n,
    maxEffectiveBalanceGwei: options.maxEffectiveBalanceGwei ?? 32_000_000_000n,
    maxEffectiveBalanceCompoundingGwei: options.maxEffectiveBalanceCompoundingGwei ?? 2_048_000_000_000n,
    depositDelaySlots: options.depositDelaySlots ?? 0,
  };
  const genesisForkVersion = parseHex(network.genesisForkVersion, 4);
  if (!genesisForkVersion)
    throw new TypeError(`genesisForkVersion is not 4 bytes: ${network.genesisForkVersion}`);
  const time = createChainTime({
    genesisTime: options.genesisTime,
    secondsPerSlot: network.secondsPerSlot,
    slotsPerEpoch: spe,
    clock: options.clock ?? Date,
  });
  const registry = createValidatorRegistry({ ...parameters, slotsPerEpoch: spe, genesisForkVersion });
  const follower = createDepositFollower({
    source: options.depositSource,
    ...(options.requestSource ? { requestSource: options.requestSource } : {}),
    registry,
    fromBlock: options.depositFromBlock ?? BigInt(network.depositContract.genesisBlock ?? 0),
    followDistanceBlocks: parameters.followDistanceBlocks,
    logsBlockRange: options.logsBlockRange ?? 10_000n,
    currentSlot: () => time.currentSlot(),
  });
  const pool = createExitPool({
    network,
    registry,
    slotsPerEpoch: spe,
    shardCommitteePeriodEpochs: parameters.shardCommitteePeriodEpochs,
  });

  const checkpoint = (epoch: number): Checkpoint => ({
    epoch,
    root: epoch === 0 ? ZERO_ROOT : rootOf("block", time.startSlot(epoch)),
  });
  const finalityAt = (slot: number): FinalityCheckpoints => {
    const epoch = time.epochAtSlot(slot);
    const finalized = Math.max(0, epoch - parameters.finalityDelayEpochs);
    const justified = Math.min(epoch, Math.max(0, epoch - parameters.finalityDelayEpochs + 1));
    return {
      previousJustified: checkpoint(Math.max(finalized, justified - 1)),
      currentJustified: checkpoint(justified),
      finalized: checkpoint(finalized),
    };
  };
  const namedSlots = (): NamedSlots => {
    const head = time.currentSlot();
    const finality = finalityAt(head);
    return {
      head,
      finalized: time.startSlot(finality.finalized.epoch),
      justified: time.startSlot(finality.currentJustified.epoch),
    };
  };

  const state: BeaconState = {
    network,
    genesisTime: options.genesisTime,
    parameters,
    time,
    currentSlot: () => time.currentSlot(),
    namedSlots,
    finalityAt,
    isFinalized: (slot) => slot <= namedSlots().finalized,
    validatorsAt(slot, filter = {}) {
      let views: ValidatorView[];
      if (filter.ids) {
        const seen = new Set<number>();
        views = [];
        for (const id of filter.ids) {
          const record = registry.record(id);
          const view = record && registry.view(record, slot);
          if (view && !seen.has(view.index)) {
            seen.add(view.index);
            views.push(view);
          }
        }
        views.sort((a, b) => a.index - b.index);
      } else {
        views = registry.viewsAt(slot);
      }
      const statuses = filter.statuses;
      return statuses && statuses.length > 0
        ? views.filter((v) => statuses.some((s) => matchesStatus(v.status, s)))
        : views;
    },
    validatorAt(slot, id) {
      const record = registry.record(id);
      return record && registry.view(record, slot);
    },
    executionBlockAt: (slot) => follower.executionBlockAt(slot),
    depositCountAt: (slot) => registry.depositCountAt(slot),
    pendingDepositsAt: (slot) => registry.pendingDepositsAt(slot),
    pendingPartialWithdrawalsAt: (slot) => registry.pendingPartialWithdrawalsAt(slot),
    pendingConsolidationsAt: (slot) => registry.pendingConsolidationsAt(slot),
    knownValidatorCount: () => registry.validatorCount,
    exitsIncludedAt: (slot) => pool.includedAt(slot),
    poolVoluntaryExits: () => pool.pending(time.currentSlot()),
    submitVoluntaryExit: (exit) => pool.submit(exit, time.currentSlot()),
    refuseExits: (indexes) => pool.refuse(indexes),
    get elOffline() {
      return follower.elOffline;
    },
    async sync() {
      const result = await follower.sync();
      follower.pruneBefore(namedSlots().finalized);
      return result;
    },
    async start(signal, startOptions = {}) {
      const intervalMs = startOptions.intervalMs ?? 250;
      while (!signal.aborted) {
        const started = performance.now();
        try {
          await state.sync();
        } catch (error) {
          try {
            startOptions.onError?.(error);
          } catch {
            // A failing error callback must not end the loop either.
          }
        }
        // Sleep to the next tick; ticks missed by a slow step are dropped, never queued.
        const elapsed = performance.now() - started;
        await delay(intervalMs - (elapsed % intervalMs), undefined, { signal }).catch(() => undefined);
      }
    },
  };
  return state;
}
