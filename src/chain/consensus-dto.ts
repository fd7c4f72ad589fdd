/**
 * The Beacon API responses the operator reads, validated at the boundary (STYLE practice 8).
 * The API writes every integer as a decimal string: slots, epochs, indexes and chain ids become
 * numbers (all far below 2^53), gwei amounts, execution block numbers and validator epochs (which
 * can be FAR_FUTURE_EPOCH = 2^64 − 1) become bigints. Byte strings become lower-case 0x hex.
 */
import { z } from "zod";

const decimal = z.string().regex(/^\d{1,20}$/, "must be a decimal integer string");
const uint64 = decimal.transform((s) => BigInt(s));
const smallUint = decimal
  .transform((s) => Number(s))
  .refine((n) => Number.isSafeInteger(n), "must be below 2^53");
const hexBytes = (bytes: number) =>
  z
    .string()
    .regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`), `must be 0x-prefixed hex of ${bytes} bytes`)
    .transform((s) => s.toLowerCase() as `0x${string}`);

export const FAR_FUTURE_EPOCH = 2n ** 64n - 1n;

export const GenesisResponse = z.object({
  data: z.object({
    genesis_time: smallUint,
    genesis_validators_root: hexBytes(32),
    genesis_fork_version: hexBytes(4),
  }),
});

/** Config values are strings for numbers and hex, but newer forks add lists and objects. */
export const SpecResponse = z.object({
  data: z.looseObject({ SLOTS_PER_EPOCH: smallUint, SECONDS_PER_SLOT: smallUint }),
});

export interface ConsensusSpec {
  slotsPerEpoch: number;
  secondsPerSlot: number;
  /** Every value as the node sent it. */
  values: Readonly<Record<string, unknown>>;
}

export const DepositContractResponse = z.object({
  data: z.object({ chain_id: smallUint, address: hexBytes(20) }),
});

export const SyncingResponse = z.object({
  data: z.object({
    head_slot: smallUint,
    sync_distance: smallUint,
    is_syncing: z.boolean(),
    is_optimistic: z.boolean().optional(),
    el_offline: z.boolean().optional(),
  }),
});

const CheckpointJson = z.object({ epoch: smallUint, root: hexBytes(32) });

export const FinalityCheckpointsResponse = z.object({
  execution_optimistic: z.boolean().optional(),
  finalized: z.boolean().optional(),
  data: z.object({
    previous_justified: CheckpointJson,
    current_justified: CheckpointJson,
    finalized: CheckpointJson,
  }),
});

/** GET /eth/v2/beacon/blocks/{id}: only the slot and the execution payload's identity are read. */
export const BlockResponse = z.object({
  version: z.string(),
  execution_optimistic: z.boolean().optional(),
  finalized: z.boolean().optional(),
  data: z.object({
    message: z.object({
      slot: smallUint,
      body: z.object({
        execution_payload: z
          .object({ block_number: uint64, block_hash: hexBytes(32), timestamp: uint64 })
          .optional(),
      }),
    }),
  }),
});

const Validator = z.object({
  index: smallUint,
  balance: uint64,
  status: z.string(),
  validator: z.object({
    pubkey: hexBytes(48),
    withdrawal_credentials: hexBytes(32),
    effective_balance: uint64,
    slashed: z.boolean(),
    activation_eligibility_epoch: uint64,
    activation_epoch: uint64,
    exit_epoch: uint64,
    withdrawable_epoch: uint64,
  }),
});

export const ValidatorsResponse = z.object({
  execution_optimistic: z.boolean().optional(),
  finalized: z.boolean().optional(),
  data: z.array(Validator),
});

/**
 * The beacon state's queues of Electra (EIP-6110 deposits, EIP-7002 partial withdrawals, EIP-7251
 * consolidations), GET /eth/v1/beacon/states/{state_id}/pending_*. Mainnet's deposit queue can
 * hold tens of thousands of entries, so each entry is kept to the few checks that matter.
 */
const PendingDepositJson = z.object({
  pubkey: hexBytes(48),
  withdrawal_credentials: hexBytes(32),
  amount: uint64,
  signature: hexBytes(96),
  slot: smallUint,
});

export const PendingDepositsResponse = z.object({
  version: z.string().optional(),
  execution_optimistic: z.boolean().optional(),
  finalized: z.boolean().optional(),
  data: z.array(PendingDepositJson),
});

const PendingPartialWithdrawalJson = z.object({
  validator_index: smallUint,
  amount: uint64,
  withdrawable_epoch: uint64,
});

export const PendingPartialWithdrawalsResponse = z.object({
  version: z.string().optional(),
  execution_optimistic: z.boolean().optional(),
  finalized: z.boolean().optional(),
  data: z.array(PendingPartialWithdrawalJson),
});

const PendingConsolidationJson = z.object({ source_index: smallUint, target_index: smallUint });

export const PendingConsolidationsResponse = z.object({
  version: z.string().optional(),
  execution_optimistic: z.boolean().optional(),
  finalized: z.boolean().optional(),
  data: z.array(PendingConsolidationJson),
});

/** A deposit the beacon chain accepted and has not yet added to a balance. */
export interface BeaconPendingDeposit {
  pubkey: `0x${string}`;
  withdrawalCredentials: `0x${string}`;
  amountGwei: bigint;
  signature: `0x${string}`;
  slot: number;
}

export interface BeaconPendingPartialWithdrawal {
  validatorIndex: number;
  amountGwei: bigint;
  withdrawableEpoch: bigint;
}

export interface BeaconPendingConsolidation {
  sourceIndex: number;
  targetIndex: number;
}

export function toPendingDeposit(d: z.infer<typeof PendingDepositJson>): BeaconPendingDeposit {
  return {
    pubkey: d.pubkey,
    withdrawalCredentials: d.withdrawal_credentials,
    amountGwei: d.amount,
    signature: d.signature,
    slot: d.slot,
  };
}

export function toPendingPartialWithdrawal(
  w: z.infer<typeof PendingPartialWithdrawalJson>,
): BeaconPendingPartialWithdrawal {
  return { validatorIndex: w.validator_index, amountGwei: w.amount, withdrawableEpoch: w.withdrawable_epoch };
}

export function toPendingConsolidation(
  c: z.infer<typeof PendingConsolidationJson>,
): BeaconPendingConsolidation {
  return { sourceIndex: c.source_index, targetIndex: c.target_index };
}

export interface Genesis {
  genesisTime: number;
  genesisValidatorsRoot: `0x${string}`;
  genesisForkVersion: `0x${string}`;
}

export interface DepositContractInfo {
  chainId: number;
  address: `0x${string}`;
}

export interface SyncStatus {
  headSlot: number;
  syncDistance: number;
  isSyncing: boolean;
  isOptimistic: boolean;
  /** Whether the node's own execution client is offline (undefined when the node does not say). */
  elOffline: boolean | undefined;
}

export interface Checkpoint {
  epoch: number;
  root: `0x${string}`;
}

export interface FinalityCheckpoints {
  previousJustified: Checkpoint;
  currentJustified: Checkpoint;
  finalized: Checkpoint;
}

/** The execution block a beacon block carries. */
export interface ExecutionBlockRef {
  slot: number;
  blockNumber: bigint;
  blockHash: `0x${string}`;
  timestamp: bigint;
}

/** Status names of the Beacon API (a node may add others; they pass through as strings). */
export type ValidatorStatus =
  | "pending_initialized"
  | "pending_queued"
  | "active_ongoing"
  | "active_exiting"
  | "active_slashed"
  | "exited_unslashed"
  | "exited_slashed"
  | "withdrawal_possible"
  | "withdrawal_done"
  | (string & {});

export interface ValidatorInfo {
  index: number;
  balanceGwei: bigint;
  status: ValidatorStatus;
  pubkey: `0x${string}`;
  withdrawalCredentials: `0x${string}`;
  effectiveBalanceGwei: bigint;
  slashed: boolean;
  activationEligibilityEpoch: bigint;
  activationEpoch: bigint;
  /** FAR_FUTURE_EPOCH while no exit is scheduled. */
  exitEpoch: bigint;
  withdrawableEpoch: bigint;
}

export function toValidatorInfo(v: z.infer<typeof Validator>): ValidatorInfo {
  return {
    index: v.index,
    balanceGwei: v.balance,
    status: v.status,
    pubkey: v.validator.pubkey,
    withdrawalCredentials: v.validator.withdrawal_credentials,
    effectiveBalanceGwei: v.validator.effective_balance,
    slashed: v.validator.slashed,
    activationEligibilityEpoch: v.validator.activation_eligibility_epoch,
    activationEpoch: v.validator.activation_epoch,
    exitEpoch: v.validator.exit_epoch,
    withdrawableEpoch: v.validator.withdrawable_epoch,
  };
}

/** A signed voluntary exit as the operator holds it. */
export interface SignedVoluntaryExit {
  epoch: bigint | number;
  validatorIndex: bigint | number;
  /** 96-byte BLS signature. */
  signature: `0x${string}`;
}

/** The Beacon API JSON of a SignedVoluntaryExit. */
export function voluntaryExitJson(exit: SignedVoluntaryExit) {
  return {
    message: { epoch: String(exit.epoch), validator_index: String(exit.validatorIndex) },
    signature: exit.signature.toLowerCase(),
  };
}
