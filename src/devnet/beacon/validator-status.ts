/** Beacon API validator statuses (https://hackmd.io/ofFJ5gOmQpu1jjHilHbdQQ). */
export const VALIDATOR_STATUSES = [
  "pending_initialized",
  "pending_queued",
  "active_ongoing",
  "active_exiting",
  "active_slashed",
  "exited_unslashed",
  "exited_slashed",
  "withdrawal_possible",
  "withdrawal_done",
] as const;
export type ValidatorStatus = (typeof VALIDATOR_STATUSES)[number];

/** The four general statuses a `status` filter may also name. */
export const GENERAL_STATUSES = ["pending", "active", "exited", "withdrawal"] as const;

export function isStatusFilter(value: string): boolean {
  return (
    (VALIDATOR_STATUSES as readonly string[]).includes(value) ||
    (GENERAL_STATUSES as readonly string[]).includes(value)
  );
}

/** True when `status` matches the filter value (exact, or by its general prefix). */
export function matchesStatus(status: ValidatorStatus, filter: string): boolean {
  return status === filter || status.startsWith(`${filter}_`);
}

export const FAR_FUTURE_EPOCH = 2n ** 64n - 1n;

/** What the simulator remembers of a validator: its deposits and its exit, each with the slot it took effect. */
export interface ValidatorRecord {
  index: number;
  pubkey: Uint8Array;
  /** "0x…" lower case. */
  pubkeyHex: `0x${string}`;
  withdrawalCredentials: Uint8Array;
  /** Slot the first valid deposit was processed in: the validator does not exist before it. */
  createdSlot: number;
  /** Every deposit credited to it (the creating one first), by the slot it leaves the pending queue. */
  deposits: Array<{ slot: number; amountGwei: bigint }>;
  /**
   * Other balance movements, each with the slot it takes effect: partial withdrawals swept,
   * balances moved by a consolidation, the excess a switch to 0x02 sends back through the queue.
   */
  balanceChanges: Array<{ slot: number; deltaGwei: bigint }>;
  /** Slot of the block whose consolidation request switched its credentials from 0x01 to 0x02. */
  compoundingSlot?: number;
  /** Slot of the block that included its exit (voluntary, EIP-7002 or as a consolidation source). */
  exitSlot?: number;
}

export interface LifecycleParameters {
  slotsPerEpoch: number;
  /** Activation: the first epoch boundary at or after (slot of eligibility + this). */
  activationDelaySlots: number;
  /** Exit: the first epoch boundary at or after (slot of inclusion + this). */
  exitDelaySlots: number;
  /** withdrawable_epoch = exit_epoch + this (MIN_VALIDATOR_WITHDRAWABILITY_DELAY). */
  withdrawabilityDelayEpochs: number;
  /**
   * MIN_ACTIVATION_BALANCE (the MAX_EFFECTIVE_BALANCE of before Electra): a validator becomes
   * eligible for activation once its balance reaches it, and it caps the effective balance of
   * 0x00 and 0x01 credentials.
   */
  maxEffectiveBalanceGwei: bigint;
  /** MAX_EFFECTIVE_BALANCE_ELECTRA: the cap for 0x02 (compounding) credentials. */
  maxEffectiveBalanceCompoundingGwei: bigint;
}

/** A validator as a state at some slot sees it. Epochs are FAR_FUTURE_EPOCH when not (yet) set. */
export interface ValidatorView {
  index: number;
  pubkey: `0x${string}`;
  withdrawalCredentials: Uint8Array;
  balanceGwei: bigint;
  effectiveBalanceGwei: bigint;
  slashed: false;
  activationEligibilityEpoch: bigint;
  activationEpoch: bigint;
  exitEpoch: bigint;
  withdrawableEpoch: bigint;
  status: ValidatorStatus;
}

const GWEI_PER_ETH = 1_000_000_000n;

/**
 * The validator as the state at `slot` sees it, or undefined when it did not exist yet.
 *
 * The simulated lifecycle, epoch-granular like the spec's:
 * - pending_initialized until the epoch transition after its balance reached MAX_EFFECTIVE_BALANCE
 *   (activation_eligibility_epoch = that epoch + 1);
 * - pending_queued until activation_epoch = max(eligibility epoch, first epoch boundary at or after
 *   eligibility slot + activationDelaySlots); no churn limit;
 * - active_ongoing; after an exit is included, active_exiting until exit_epoch = max(inclusion
 *   epoch + 1, first epoch boundary at or after inclusion slot + exitDelaySlots);
 * - exited_unslashed until withdrawable_epoch, then withdrawal_possible (balances are never swept).
 */
export function validatorAt(
  record: ValidatorRecord,
  slot: number,
  params: LifecycleParameters,
): ValidatorView | undefined {
  if (record.createdSlot > slot) return undefined;
  const spe = params.slotsPerEpoch;
  const epoch = Math.floor(slot / spe);
  let balance = 0n;
  let cumulative = 0n;
  let eligibleSlot: number | undefined;
  for (const deposit of record.deposits) {
    cumulative += deposit.amountGwei;
    if (eligibleSlot === undefined && cumulative >= params.maxEffectiveBalanceGwei)
      eligibleSlot = deposit.slot;
    if (deposit.slot <= slot) balance += deposit.amountGwei;
  }
  for (const change of record.balanceChanges) if (change.slot <= slot) balance += change.deltaGwei;
  if (balance < 0n) balance = 0n;
  const withdrawalCredentials = credentialsAt(record, slot);
  const effective = effectiveBalance(balance, withdrawalCredentials, params);

  let eligibility = FAR_FUTURE_EPOCH;
  let activation = FAR_FUTURE_EPOCH;
  if (eligibleSlot !== undefined && Math.floor(eligibleSlot / spe) < epoch) {
    const eligibilityEpoch = Math.floor(eligibleSlot / spe) + 1;
    eligibility = BigInt(eligibilityEpoch);
    activation = BigInt(
      Math.max(eligibilityEpoch, Math.ceil((eligibleSlot + params.activationDelaySlots) / spe)),
    );
  }
  let exit = FAR_FUTURE_EPOCH;
  let withdrawable = FAR_FUTURE_EPOCH;
  if (record.exitSlot !== undefined && record.exitSlot <= slot) {
    const exitEpoch = exitEpochOf(record.exitSlot, params);
    exit = BigInt(exitEpoch);
    withdrawable = BigInt(exitEpoch + params.withdrawabilityDelayEpochs);
  }

  const now = BigInt(epoch);
  let status: ValidatorStatus;
  if (eligibility === FAR_FUTURE_EPOCH) status = "pending_initialized";
  else if (now < activation) status = "pending_queued";
  else if (now < exit) status = exit === FAR_FUTURE_EPOCH ? "active_ongoing" : "active_exiting";
  else if (now < withdrawable) status = "exited_unslashed";
  else status = balance === 0n ? "withdrawal_done" : "withdrawal_possible";

  return {
    index: record.index,
    pubkey: record.pubkeyHex,
    withdrawalCredentials,
    balanceGwei: balance,
    effectiveBalanceGwei: effective,
    slashed: false,
    activationEligibilityEpoch: eligibility,
    activationEpoch: activation,
    exitEpoch: exit,
    withdrawableEpoch: withdrawable,
    status,
  };
}

/** The exit epoch of an exit included at `exitSlot` (also where a partial withdrawal queues). */
export function exitEpochOf(exitSlot: number, params: LifecycleParameters): number {
  const spe = params.slotsPerEpoch;
  return Math.max(Math.floor(exitSlot / spe) + 1, Math.ceil((exitSlot + params.exitDelaySlots) / spe));
}

export const COMPOUNDING_PREFIX = 0x02;
export const ETH1_PREFIX = 0x01;

/** The credentials at `slot`: the deposited ones, with the prefix 0x02 once a switch took effect. */
export function credentialsAt(record: ValidatorRecord, slot: number): Uint8Array {
  if (record.compoundingSlot === undefined || record.compoundingSlot > slot)
    return record.withdrawalCredentials;
  const switched = record.withdrawalCredentials.slice();
  switched[0] = COMPOUNDING_PREFIX;
  return switched;
}

/**
 * The effective balance as Electra computes it, without the hysteresis: the balance rounded down
 * to a whole ETH, capped at 2048 ETH for 0x02 credentials and at 32 ETH for the others.
 */
export function effectiveBalance(
  balanceGwei: bigint,
  withdrawalCredentials: Uint8Array,
  params: Pick<LifecycleParameters, "maxEffectiveBalanceGwei" | "maxEffectiveBalanceCompoundingGwei">,
): bigint {
  const cap =
    withdrawalCredentials[0] === COMPOUNDING_PREFIX
      ? params.maxEffectiveBalanceCompoundingGwei
      : params.maxEffectiveBalanceGwei;
  return min(balanceGwei - (balanceGwei % GWEI_PER_ETH), cap);
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
