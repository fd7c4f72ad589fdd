import type { SlotSnapshot, SnapshotVault } from "./snapshot.ts";
import type { TaskOutcome } from "./status/outcome.ts";

/** What the tasks of one slot share: the snapshot, and what an earlier task already did. */
export interface RoundContext<V extends SnapshotVault = SnapshotVault> {
  readonly snapshot: SlotSnapshot<V>;
  /** Set when a transaction of this slot harvested the vault (the snapshot's harvest is spent). */
  harvested: boolean;
  /**
   * Wei of the snapshot's stakeable assets an earlier task of this slot spent or holds back (top-ups
   * sent, planned for later batches, or waiting for the deposit delay): registration stakes only
   * the rest. Absent means nothing.
   */
  reservedWei?: bigint;
}

/** Marks `wei` of the snapshot's stakeable assets as taken by a task of this slot. */
export function reserve(round: RoundContext, wei: bigint): void {
  if (wei > 0n) round.reservedWei = (round.reservedWei ?? 0n) + wei;
}

/**
 * The snapshot as a later task of the slot should plan from: what earlier tasks reserved is not
 * stakeable, and a harvest an earlier transaction carried is not due any more.
 */
export function remainingSnapshot<V extends SnapshotVault>(round: RoundContext<V>): SlotSnapshot<V> {
  const reserved = round.reservedWei ?? 0n;
  if (reserved === 0n && !(round.harvested && round.snapshot.harvest)) return round.snapshot;
  const stakeable = round.snapshot.stakeable - reserved;
  return {
    ...round.snapshot,
    stakeable: stakeable > 0n ? stakeable : 0n,
    harvest: round.harvested ? undefined : round.snapshot.harvest,
  };
}

/** One task of the slot: reads the round's context, may send one transaction, says what it came to. */
export interface RoundTask<V extends SnapshotVault = SnapshotVault> {
  readonly name: string;
  run(round: RoundContext<V>, signal: AbortSignal): Promise<TaskOutcome>;
}
