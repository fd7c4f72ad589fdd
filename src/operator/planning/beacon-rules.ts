import type { ValidatorInfo, ValidatorStatus } from "../../chain/consensus-dto.ts";

/** The beacon facts a plan reads of one validator (a subset of what getValidators returns). */
export type BeaconValidator = Pick<
  ValidatorInfo,
  "index" | "pubkey" | "balanceGwei" | "status" | "withdrawalCredentials" | "activationEpoch"
>;

/** 32 ETH (32 mGNO-units on Gnosis) in gwei: a new validator's least deposit and the balance a partial withdrawal must leave. */
export const MIN_ACTIVATION_BALANCE_GWEI = 32_000_000_000n;

/** Epochs a validator must have been active before the consensus layer lets it exit. */
export const SHARD_COMMITTEE_PERIOD = 256n;

/** 0x02 withdrawal credentials: a compounding validator, which can be topped up and partially withdrawn. */
export function isCompounding(withdrawalCredentials: string): boolean {
  return withdrawalCredentials.toLowerCase().startsWith("0x02");
}

/**
 * Statuses of a validator whose exit has started or is done: its balance is on its way back to
 * the vault (or back already), so it is neither funded nor asked to withdraw again.
 */
const EXIT_STARTED: ReadonlySet<ValidatorStatus> = new Set([
  "active_exiting",
  "active_slashed",
  "exited_unslashed",
  "exited_slashed",
  "withdrawal_possible",
  "withdrawal_done",
]);

export function hasExitStarted(status: ValidatorStatus): boolean {
  return EXIT_STARTED.has(status);
}

/** Lower-case 0x hex, the one spelling the plans compare public keys in. */
export function keyOf(publicKey: string): `0x${string}` {
  return publicKey.toLowerCase() as `0x${string}`;
}

/** PENDING_PARTIAL_WITHDRAWALS_LIMIT of the consensus spec (Electra): the beacon's queue holds no more. */
export const PENDING_PARTIAL_WITHDRAWALS_LIMIT = 2 ** 27;
