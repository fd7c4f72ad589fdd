import type { ConsensusClient, StateId } from "../chain/consensus-client.ts";
import type { ValidatorInfo } from "../chain/consensus-dto.ts";
import type { PendingDeposit } from "./planning/top-up-plan.ts";
import type { PendingConsolidation, PendingPartialWithdrawal } from "./planning/withdrawing-assets.ts";

/**
 * The beacon's view of one vault at one state, everything the slot's plans read from the
 * consensus layer: the vault's validators and the state's queues that concern them.
 */
export interface VaultBeaconView {
  /** The vault's validators the beacon knows; keys it does not know yet are absent. */
  validators: ValidatorInfo[];
  /** Every pending deposit of the state (a key of ours may be new to the beacon), in queue order. */
  pendingDeposits: PendingDeposit[];
  /** Pending partial withdrawals of the vault's validators. */
  pendingPartialWithdrawals: PendingPartialWithdrawal[];
  /** How many partial withdrawals of any validator the state holds (its queue has a limit). */
  pendingPartialWithdrawalsCount: number;
  /** Pending consolidations whose source or target is the vault's. */
  pendingConsolidations: PendingConsolidation[];
}

export interface ReadVaultBeaconViewOptions {
  /** The vault's registered public keys. */
  publicKeys: readonly `0x${string}`[];
  /** One state for all four reads, so they agree (a slot number; "head" only in tests). */
  stateId: StateId;
  signal?: AbortSignal;
}

export interface ReadVaultBeaconViewDeps {
  consensus: Pick<
    ConsensusClient,
    "getValidators" | "getPendingDeposits" | "getPendingPartialWithdrawals" | "getPendingConsolidations"
  >;
}

/** Reads the view with the four requests at once, all at the same state. */
export async function readVaultBeaconView(
  options: ReadVaultBeaconViewOptions,
  deps: ReadVaultBeaconViewDeps,
): Promise<VaultBeaconView> {
  const request = options.signal ? { signal: options.signal } : {};
  const [validators, pendingDeposits, partials, consolidations] = await Promise.all([
    options.publicKeys.length === 0
      ? Promise.resolve([])
      : deps.consensus.getValidators(options.publicKeys, { ...request, stateId: options.stateId }),
    deps.consensus.getPendingDeposits(options.stateId, request),
    deps.consensus.getPendingPartialWithdrawals(options.stateId, request),
    deps.consensus.getPendingConsolidations(options.stateId, request),
  ]);
  const ours = new Set(validators.map((v) => v.index));
  return {
    validators,
    pendingDeposits,
    pendingPartialWithdrawals: partials
      .filter((w) => ours.has(w.validatorIndex))
      .map(({ validatorIndex, amountGwei }) => ({ validatorIndex, amountGwei })),
    pendingPartialWithdrawalsCount: partials.length,
    pendingConsolidations: consolidations.filter((c) => ours.has(c.sourceIndex) || ours.has(c.targetIndex)),
  };
}
