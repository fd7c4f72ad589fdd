import { errorLine } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import { type TaskOutcome, WAIT_REASONS, type WaitReason } from "./outcome.ts";

/** The metrics the status keeps up to date. */
export interface StatusMetrics {
  exceptions: { inc(labels: { task: string }): void };
  waiting: { set(labels: { task: string; reason: string }, value: number): void };
  failedRounds: { set(value: number): void };
}

export interface ServiceStatusOptions {
  log: Logger;
  metrics: StatusMetrics;
  /** How often a warning that still holds is repeated: one epoch. */
  repeatMs: number;
  /** Consecutive failed rounds after which the service reports itself unhealthy. */
  unhealthyAfterRounds: number;
  now?: () => number;
}

/** One task's state as /health shows it. */
export interface TaskState {
  state: "ok" | "waiting" | "failed";
  /** Unix ms since the task is in this state (for waiting: for this reason). */
  since: number;
  waitingFor?: WaitReason;
  reason?: string;
  /** Consecutive failures, while failed. */
  failures?: number;
}

export interface ServiceStatus {
  /** One run of `task` ended so; logs when the task's state changes, repeats warnings once per `repeatMs`. */
  record(task: string, outcome: TaskOutcome): void;
  /** A slot's tasks all ran: the round failed when one of them failed. */
  endRound(): void;
  /** Why the service is unhealthy (empty when it is not), and each task's state. */
  health(): { problems: string[]; tasks: Record<string, TaskState> };
}

interface TaskRecord extends TaskState {
  /** Last time the current state was logged. */
  loggedAt: number;
  lastError?: unknown;
}

/**
 * What the service is doing and waiting for, told the way an operator can act on it: a line when a
 * task's state changes (waiting for assets → registering → waiting for keys), a warning that still
 * holds repeated at most once per epoch, failures counted as exceptions (waits never are), and
 * the count of consecutive failed rounds that makes /health unhealthy.
 */
export function createServiceStatus(options: ServiceStatusOptions): ServiceStatus {
  const { log, metrics } = options;
  const now = options.now ?? Date.now;
  const tasks = new Map<string, TaskRecord>();
  let roundFailed = false;
  let failedRounds = 0;
  let lastFailure: { task: string; error: unknown } | undefined;

  const setWaiting = (task: string, reason: WaitReason | undefined) => {
    for (const r of Object.keys(WAIT_REASONS)) metrics.waiting.set({ task, reason: r }, r === reason ? 1 : 0);
  };

  const record = (task: string, outcome: TaskOutcome) => {
    const t = now();
    const previous = tasks.get(task);
    const due = (r: TaskRecord) => t - r.loggedAt >= options.repeatMs;
    if (previous?.state === "failed" && outcome.kind !== "failed") {
      log.info(`${task} works again`, { task, failures: previous.failures });
    }
    switch (outcome.kind) {
      case "ok": {
        if (previous?.state !== "ok") tasks.set(task, { state: "ok", since: t, loggedAt: t });
        setWaiting(task, undefined);
        return;
      }
      case "waiting": {
        const { label, warn } = WAIT_REASONS[outcome.for];
        const same = previous?.state === "waiting" && previous.waitingFor === outcome.for;
        const current: TaskRecord = same
          ? { ...previous, reason: outcome.reason }
          : { state: "waiting", since: t, waitingFor: outcome.for, reason: outcome.reason, loggedAt: 0 };
        // A new wait is always told; a wait that needs the operator is told again once per epoch.
        if (!same || (warn && due(current))) {
          const context = {
            task,
            reason: outcome.reason,
            ...(same ? { waitingSeconds: Math.round((t - current.since) / 1000) } : {}),
          };
          if (warn) log.warn(`waiting for ${label}`, context);
          else log.info(`waiting for ${label}`, context);
          current.loggedAt = t;
        }
        tasks.set(task, current);
        setWaiting(task, outcome.for);
        return;
      }
      case "failed": {
        metrics.exceptions.inc({ task });
        roundFailed = true;
        lastFailure = { task, error: outcome.error };
        const failures = previous?.state === "failed" ? (previous.failures ?? 0) + 1 : 1;
        const current: TaskRecord =
          previous?.state === "failed"
            ? { ...previous, failures, reason: errorLine(outcome.error), lastError: outcome.error }
            : {
                state: "failed",
                since: t,
                failures,
                reason: errorLine(outcome.error),
                lastError: outcome.error,
                loggedAt: 0,
              };
        if (failures === 1 || due(current)) {
          log.warn(`${task} failed`, { task, failures }, outcome.error);
          current.loggedAt = t;
        }
        tasks.set(task, current);
        setWaiting(task, undefined);
        return;
      }
    }
  };

  return {
    record,
    endRound() {
      failedRounds = roundFailed ? failedRounds + 1 : 0;
      roundFailed = false;
      metrics.failedRounds.set(failedRounds);
    },
    health() {
      const problems: string[] = [];
      if (failedRounds >= options.unhealthyAfterRounds && lastFailure) {
        problems.push(
          `the last ${failedRounds} rounds failed (${lastFailure.task}: ${errorLine(lastFailure.error)})`,
        );
      }
      const view: Record<string, TaskState> = {};
      for (const [task, r] of tasks) {
        const { loggedAt: _logged, lastError: _error, ...state } = r;
        view[task] = state;
      }
      return { problems, tasks: view };
    },
  };
}
