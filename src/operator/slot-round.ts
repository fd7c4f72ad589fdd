import { formatEther } from "viem";
import type { Logger } from "../lib/logger.ts";
import type { VaultFlow } from "./flows/vault-flow.ts";
import type { Metrics } from "./metrics.ts";
import type { RoundContext, RoundTask } from "./round-context.ts";
import type { SnapshotSource, SnapshotVault } from "./snapshot.ts";
import { type TaskOutcome, waitingFor } from "./status/outcome.ts";
import type { Liveness } from "./status/service-health.ts";
import type { ServiceStatus } from "./status/service-status.ts";
import type { TransactionSender } from "./tx/transaction-sender.ts";

const WEI_PER_GWEI = 1_000_000_000n;

export interface SlotRoundParameters<V extends SnapshotVault> {
  snapshots: SnapshotSource<V>;
  sender: TransactionSender;
  flow: Pick<VaultFlow<unknown, V>, "unusedKeys">;
  /** In order: registration, then harvest, then exit-signature rotation. */
  tasks: readonly RoundTask<V>[];
  status: ServiceStatus;
  liveness: Liveness;
  metrics: Pick<
    Metrics,
    | "slotNumber"
    | "blockNumber"
    | "walletBalance"
    | "stakeableAssets"
    | "unusedValidatorKeys"
    | "taskDuration"
  >;
  hotWallet: { address: `0x${string}`; minBalanceWei: bigint; gasToken: string };
  /** How often the low-balance warning may repeat: one epoch. */
  repeatMs: number;
  log: Logger;
  now?: () => number;
}

/**
 * One slot of the service, flowing one way: settle what an earlier run left open → read one
 * snapshot → each task decides from it and may send one transaction → the status says what the
 * slot came to. A task's failure is its own; a failure to settle or to read the snapshot is every
 * task's (none of them could run).
 */
export function createSlotRound<V extends SnapshotVault>(p: SlotRoundParameters<V>) {
  const { status, metrics, log } = p;
  const now = p.now ?? Date.now;
  const everyTask = (outcome: TaskOutcome) => {
    for (const task of p.tasks) status.record(task.name, outcome);
  };
  const timed = async <T>(task: string, work: () => Promise<T>): Promise<T> => {
    const end = metrics.taskDuration.startTimer({ task });
    try {
      return await work();
    } finally {
      end();
    }
  };

  return async (slot: number, signal: AbortSignal): Promise<void> => {
    metrics.slotNumber.set(slot);
    p.liveness.lastSlot = slot;
    p.liveness.lastSlotAt = now();
    let round: RoundContext<V>;
    try {
      const settled = await timed("settle", () => p.sender.settle());
      if (!settled) {
        everyTask(waitingFor("transaction", "a transaction sent earlier is not settled yet"));
        status.endRound();
        return;
      }
      round = { snapshot: await timed("snapshot", () => p.snapshots.read(signal)), harvested: false };
    } catch (error) {
      if (signal.aborted) return;
      everyTask({ kind: "failed", error });
      status.endRound();
      return;
    }
    observe(round);
    for (const task of p.tasks) {
      try {
        status.record(task.name, await timed(task.name, () => task.run(round, signal)));
      } catch (error) {
        if (signal.aborted) return;
        status.record(task.name, { kind: "failed", error });
      }
    }
    status.endRound();
  };

  /** The snapshot's figures as metrics, and the hot wallet's balance against its floor. */
  function observe(round: RoundContext<V>): void {
    const { snapshot } = round;
    metrics.blockNumber.set(Number(snapshot.head.number));
    metrics.walletBalance.set(Number(snapshot.balance / WEI_PER_GWEI));
    metrics.stakeableAssets.set(Number(snapshot.stakeable / WEI_PER_GWEI));
    metrics.unusedValidatorKeys.set(p.flow.unusedKeys(snapshot));
    if (snapshot.balance < p.hotWallet.minBalanceWei) {
      log
        .throttled("wallet-low", p.repeatMs)
        .warn("hot wallet balance is low: top it up or registrations will fail", {
          address: p.hotWallet.address,
          balance: formatEther(snapshot.balance),
          gasToken: p.hotWallet.gasToken,
        });
    }
  }
}
