import { type BeaconValidator, hasExitStarted, keyOf, SHARD_COMMITTEE_PERIOD } from "./beacon-rules.ts";

export interface ExitSelectionInputs {
  /** The vault's validators on the beacon (at the justified head). */
  validators: readonly BeaconValidator[];
  epoch: bigint;
  /** --count: exit this many, oldest first. */
  count?: number;
  /** --indexes: exit exactly these; each must be the vault's and able to exit. */
  indexes?: readonly number[];
  /** The consensus layer's SHARD_COMMITTEE_PERIOD (default 256, mainnet's; devnets shorten it). */
  shardCommitteePeriod?: bigint;
}

export type ExitSelection =
  | { kind: "exit"; validators: BeaconValidator[] }
  | { kind: "refused"; reason: string };

/** Longest active first (the earliest activation epoch), then by index: a sort comparator. */
export function longestActiveFirst(
  a: { activationEpoch: bigint; index: number },
  b: { activationEpoch: bigint; index: number },
): number {
  if (a.activationEpoch === b.activationEpoch) return a.index - b.index;
  return a.activationEpoch < b.activationEpoch ? -1 : 1;
}

/**
 * The validators `exit-validators` asks to exit through the vault (spec §7.1, EIP-7002): active
 * validators whose exit has not started and that have been active for the consensus layer's
 * minimum (SHARD_COMMITTEE_PERIOD epochs), oldest activation first. Named indexes must all
 * qualify, so nothing is sent when one of them is wrong.
 */
export function selectValidatorsToExit(inputs: ExitSelectionInputs): ExitSelection {
  const period = inputs.shardCommitteePeriod ?? SHARD_COMMITTEE_PERIOD;
  const newest = inputs.epoch - period;

  if (inputs.indexes) {
    const byIndex = new Map(inputs.validators.map((v) => [v.index, v]));
    const problems: string[] = [];
    const chosen: BeaconValidator[] = [];
    for (const index of new Set(inputs.indexes)) {
      const v = byIndex.get(index);
      if (!v) problems.push(`validator ${index} is not registered in this vault`);
      else if (hasExitStarted(v.status)) problems.push(`validator ${index} is already exiting or exited`);
      else if (v.status !== "active_ongoing")
        problems.push(`validator ${index} is not active yet (${v.status})`);
      else if (v.activationEpoch > newest) {
        problems.push(
          `validator ${index} is too new to exit: active since epoch ${v.activationEpoch}, it can exit from epoch ${v.activationEpoch + period}`,
        );
      } else chosen.push(v);
    }
    if (problems.length > 0) return { kind: "refused", reason: problems.join("; ") };
    return { kind: "exit", validators: chosen.sort(longestActiveFirst) };
  }

  const eligible = inputs.validators
    .filter((v) => v.status === "active_ongoing" && v.activationEpoch <= newest)
    .sort(longestActiveFirst);
  if (eligible.length === 0) {
    return {
      kind: "refused",
      reason: `no validator of this vault can exit now (active, not exiting, and active for ${period} epochs)`,
    };
  }
  return {
    kind: "exit",
    validators: inputs.count === undefined ? eligible : eligible.slice(0, inputs.count),
  };
}

/** The withdrawal requests of a selection: a full exit (amount 0) per validator. */
export function fullExits(
  validators: readonly BeaconValidator[],
): { publicKey: `0x${string}`; amountGwei: bigint }[] {
  return validators.map((v) => ({ publicKey: keyOf(v.pubkey), amountGwei: 0n }));
}
