import type { SlotSnapshot, SnapshotVault } from "./snapshot.ts";
import type { TaskOutcome } from "./status/outcome.ts";

/** What the tasks of one slot share: the snapshot, and what an earlier task already did. */
export interface RoundContext<V extends SnapshotVault = SnapshotVault> {
  readonly snapshot: SlotSnapshot<V>;
  /** Set when a transaction of this slot harvested the vault (the snapshot's harvest is spent). */
  harvested: boolean;
}

/** One task of the slot: reads the round's context, may send one transaction, says what it came to. */
export interface RoundTask<V extends SnapshotVault = SnapshotVault> {
  readonly name: string;
  run(round: RoundContext<V>, signal: AbortSignal): Promise<TaskOutcome>;
}
