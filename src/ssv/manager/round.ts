import type { Logger } from "../../lib/logger.ts";
import { OK, type TaskOutcome, waitingFor } from "../../operator/status/outcome.ts";
import type { ServiceStatus } from "../../operator/status/service-status.ts";
import { GasPriceTooHighError, HotWalletFundsError } from "../../operator/tx/transaction-sender.ts";
import { type ClusterMetric, recordClusters, recordKeyStates, type SsvMetrics } from "../metrics.ts";
import { InsufficientSsvFundsError } from "../registration/plan.ts";
import { actionFields, type ManagerAction } from "./actions.ts";
import { type DecideSettings, decideRound, type ReplacementCheck } from "./decide-round.ts";
import type { ManagerView } from "./view.ts";

/** What the round reads before it decides: the view, and what goes into metrics beside it. */
export interface RoundReading {
  view: ManagerView;
  clusterMetrics: readonly ClusterMetric[];
  /** The selection, run dry without some operators: can a replacement cluster be formed? */
  canReplace: ReplacementCheck;
  /** The median fee of the operators a selection could take (for "much dearer than the market"). */
  marketMedianFee: bigint | undefined;
}

/** A per-round task name in /health and the status lines. */
export const ROUND_TASK = "ssv-round";

export interface ManagerRoundParameters {
  /** Settles the journal (TransactionSender.settle): false while a transaction is still open. */
  settle(): Promise<boolean>;
  /** Scans new events, reads the chain and the vault's keys. */
  read(signal: AbortSignal): Promise<RoundReading>;
  /** Re-checks the action's precondition on chain and sends it; resolves once mined ("skipped" when no longer due). */
  act(action: ManagerAction, signal: AbortSignal): Promise<"sent" | "skipped">;
  settings: Omit<DecideSettings, "marketMedianFee">;
  /** --dry-run: decide and print, send nothing. */
  dryRun: boolean;
  /** Where a dry run prints each action (one JSON line). */
  print?: (line: string) => void;
  status: Pick<ServiceStatus, "record" | "endRound">;
  metrics: Pick<SsvMetrics, "rounds" | "lastRoundTimestamp" | "lastRoundOk" | "transactions"> &
    Parameters<typeof recordClusters>[0];
  log: Logger;
  /** Unix ms (liveness for /health). */
  onRoundStart?: (round: number) => void;
  now?: () => number;
}

/**
 * One round of the manager: settle → read → decide → act, one action at a time in the decided
 * order. The first action that fails ends the round (the next reads the chain again); a wait for
 * funds or gas is a wait, not a failure.
 */
export function createManagerRound(p: ManagerRoundParameters) {
  const now = p.now ?? Date.now;
  const { log, metrics } = p;

  const finish = (outcome: TaskOutcome) => {
    p.status.record(ROUND_TASK, outcome);
    p.status.endRound();
    metrics.rounds.inc({ outcome: outcome.kind === "failed" ? "failed" : "ok" });
    metrics.lastRoundOk.set(outcome.kind === "failed" ? 0 : 1);
    metrics.lastRoundTimestamp.set(Math.floor(now() / 1000));
  };

  return async (round: number, signal: AbortSignal): Promise<void> => {
    p.onRoundStart?.(round);
    let reading: RoundReading;
    try {
      if (!(await p.settle())) {
        finish(waitingFor("transaction", "an SSV transaction sent earlier is not settled yet"));
        return;
      }
      reading = await p.read(signal);
    } catch (error) {
      if (signal.aborted) return;
      finish({ kind: "failed", error });
      return;
    }
    recordClusters(metrics, reading.clusterMetrics);
    recordKeyStates(
      metrics,
      reading.view.keys.map((k) => k.state),
    );
    const decision = decideRound(
      reading.view,
      { ...p.settings, marketMedianFee: reading.marketMedianFee },
      reading.canReplace,
    );
    for (const deferral of decision.deferred) {
      log.info("ssv action deferred", {
        what: deferral.what,
        reason: deferral.reason,
        ...(deferral.clusterKey ? { cluster: deferral.clusterKey } : {}),
        ...(deferral.publicKeys ? { publicKeys: deferral.publicKeys } : {}),
      });
    }
    if (p.dryRun) {
      for (const action of decision.actions) {
        log.info("ssv action (dry run: not sent)", actionFields(action));
        p.print?.(JSON.stringify(actionFields(action)));
      }
      finish(OK);
      return;
    }
    for (const action of decision.actions) {
      if (signal.aborted) return;
      log.info("ssv action", actionFields(action));
      try {
        const result = await p.act(action, signal);
        metrics.transactions.inc({ kind: action.kind, outcome: result });
        if (result === "skipped") log.info("ssv action no longer due", actionFields(action));
      } catch (error) {
        if (signal.aborted) return;
        metrics.transactions.inc({ kind: action.kind, outcome: "failed" });
        finish(outcomeOf(error));
        return;
      }
    }
    finish(OK);
  };
}

function outcomeOf(error: unknown): TaskOutcome {
  if (error instanceof HotWalletFundsError) return waitingFor("funds", error.shortMessage);
  if (error instanceof InsufficientSsvFundsError) return waitingFor("funds", error.shortMessage);
  if (error instanceof GasPriceTooHighError) return waitingFor("gas", error.shortMessage);
  return { kind: "failed", error };
}
