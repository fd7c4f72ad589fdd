import type { Hex } from "viem";
import type { ManagerAction } from "./actions.ts";
import { chooseMigrations, clusterProblem } from "./decide-migrations.ts";
import type { OperatorHealthSettings } from "./operator-health.ts";
import type { ManagerView } from "./view.ts";

export interface DecideSettings extends OperatorHealthSettings {
  /** --min-runway-days: a cluster below it is topped up (to --runway-days, in `amountForRunway`). */
  minRunwayDays: number;
  /** --reregister-delay-blocks: a key removed from SSV waits this long before it is registered again. */
  reregisterDelayBlocks: bigint;
  /** --max-migrations-per-round: clusters migrated away from in one round. */
  maxMigrationsPerRound: number;
}

/** Whether a new cluster could be formed without these operators (the selection, run dry). */
export type ReplacementCheck = (
  excludeOperatorIds: readonly bigint[],
) => { ok: true } | { ok: false; reason: string };

/** A decision not to act that the operator should hear about (logged as a warning). */
export interface Deferral {
  what: "migration" | "reregistration";
  clusterKey?: string;
  publicKeys?: readonly Hex[];
  reason: string;
}

export interface RoundDecision {
  actions: ManagerAction[];
  deferred: Deferral[];
  /** Operators no new cluster may include (removed, inactive past the grace period, expensive). */
  badOperatorIds: bigint[];
}

/**
 * One round's actions, in the order they are sent: fee recipient, reactivations, top-ups, removals
 * of exited validators, migrations (removals), registrations, withdrawals of empty clusters.
 */
export function decideRound(
  view: ManagerView,
  settings: DecideSettings,
  canReplace: ReplacementCheck,
): RoundDecision {
  const actions: ManagerAction[] = [];
  const deferred: Deferral[] = [];
  const exited = new Set(view.keys.filter((k) => k.state === "exited-on-ssv").map((k) => k.publicKey));

  if (view.feeRecipient?.toLowerCase() !== view.mevEscrow.toLowerCase()) {
    actions.push({
      kind: "set-fee-recipient",
      recipient: view.mevEscrow,
      current: view.feeRecipient,
      why: "fee-recipient-differs",
    });
  }

  const judged = view.clusters.map((cluster) => ({
    cluster,
    problem: clusterProblem(cluster, view, settings),
  }));
  const badOperatorIds = [...new Set(judged.flatMap((j) => j.problem?.operatorIds ?? []))].sort(compareIds);
  const migrating = chooseMigrations(judged, exited, settings, canReplace, badOperatorIds, deferred);
  const migratingKeys = new Set(migrating.map((m) => m.cluster.key));

  for (const cluster of view.clusters) {
    const staying = cluster.validators.filter((v) => !exited.has(v)).length;
    if (staying === 0 || migratingKeys.has(cluster.key)) continue;
    if (cluster.liquidated) {
      actions.push({
        kind: "reactivate",
        clusterKey: cluster.key,
        operatorIds: cluster.operatorIds,
        amount: cluster.amountForRunway,
        validators: staying,
        why: "cluster-liquidated",
      });
    } else if (
      cluster.runwayDays !== undefined &&
      cluster.runwayDays < settings.minRunwayDays &&
      cluster.amountForRunway > 0n
    ) {
      actions.push({
        kind: "deposit",
        clusterKey: cluster.key,
        operatorIds: cluster.operatorIds,
        amount: cluster.amountForRunway,
        runwayDays: cluster.runwayDays,
        why: "runway-below-minimum",
      });
    }
  }

  for (const cluster of view.clusters) {
    const gone = cluster.validators.filter((v) => exited.has(v));
    if (gone.length === 0) continue;
    actions.push({
      kind: "remove",
      clusterKey: cluster.key,
      operatorIds: cluster.operatorIds,
      publicKeys: gone,
      why: "validator-exited",
    });
  }

  for (const { cluster, problem } of migrating) {
    actions.push({
      kind: "remove",
      clusterKey: cluster.key,
      operatorIds: cluster.operatorIds,
      publicKeys: cluster.validators.filter((v) => !exited.has(v)),
      why: problem.why,
      badOperatorIds: problem.operatorIds,
      reasons: problem.reasons,
    });
  }

  const register: Hex[] = [];
  for (const key of view.keys) {
    if (key.state !== "due" && key.state !== "next") continue;
    const readyAt =
      key.lastRemovedBlock === undefined ? 0n : key.lastRemovedBlock + settings.reregisterDelayBlocks;
    if (view.head < readyAt) {
      deferred.push({
        what: "reregistration",
        publicKeys: [key.publicKey],
        reason: `removed from SSV at block ${key.lastRemovedBlock}; registered again from block ${readyAt}`,
      });
      continue;
    }
    register.push(key.publicKey);
  }
  if (register.length > 0) {
    actions.push({
      kind: "register",
      publicKeys: register,
      excludeOperatorIds: badOperatorIds,
      why: "keys-not-on-ssv",
    });
  }

  for (const cluster of view.clusters) {
    if (cluster.liquidated || cluster.validators.length > 0 || cluster.balance === 0n) continue;
    actions.push({
      kind: "withdraw",
      clusterKey: cluster.key,
      operatorIds: cluster.operatorIds,
      amount: cluster.balance,
      why: "cluster-empty",
    });
  }
  return { actions, deferred, badOperatorIds };
}

function compareIds(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
