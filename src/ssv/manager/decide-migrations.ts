import type { Hex } from "viem";
import { shouldMigrate } from "../migration.ts";
import type { MigrationReason } from "./actions.ts";
import type { DecideSettings, Deferral, ReplacementCheck } from "./decide-round.ts";
import type { ClusterView, ManagerView } from "./view.ts";

export interface ClusterProblem {
  why: MigrationReason;
  /** The operators that make the cluster bad. */
  operatorIds: bigint[];
  /** One line per bad operator (the migration rule's words). */
  reasons: string[];
}

/**
 * Whether the cluster should be left (the migration rule of ssv/migration.ts), its worst problem
 * (removed before inactive before expensive) and the operators that have one.
 */
export function clusterProblem(
  cluster: ClusterView,
  view: ManagerView,
  settings: DecideSettings,
): ClusterProblem | undefined {
  const options = { now: view.now, inactiveGraceMs: settings.inactiveGraceMs, feeFactor: settings.feeFactor };
  const operators = cluster.operatorIds.flatMap((id) => view.operators.get(id) ?? []);
  const decision = shouldMigrate(operators, settings.marketMedianFee, options);
  if (!decision.migrate) return undefined;
  const bad = operators.filter((o) => shouldMigrate([o], settings.marketMedianFee, options).migrate);
  const why: MigrationReason = bad.some((o) => o.removed)
    ? "operator-removed"
    : bad.some((o) => !o.isActive)
      ? "operator-inactive"
      : "operator-expensive";
  return { why, operatorIds: bad.map((o) => o.id), reasons: decision.reasons };
}

/** The clusters to leave this round: bad ones holding validators, at most the limit, only when a replacement can be formed. */
export function chooseMigrations(
  judged: ReadonlyArray<{ cluster: ClusterView; problem: ClusterProblem | undefined }>,
  exited: ReadonlySet<Hex>,
  settings: DecideSettings,
  canReplace: ReplacementCheck,
  badOperatorIds: readonly bigint[],
  deferred: Deferral[],
): Array<{ cluster: ClusterView; problem: ClusterProblem }> {
  const chosen: Array<{ cluster: ClusterView; problem: ClusterProblem }> = [];
  const order: MigrationReason[] = ["operator-removed", "operator-inactive", "operator-expensive"];
  const candidates = judged
    .filter((j): j is { cluster: ClusterView; problem: ClusterProblem } => j.problem !== undefined)
    .filter((j) => j.cluster.validators.some((v) => !exited.has(v)))
    .sort((a, b) => order.indexOf(a.problem.why) - order.indexOf(b.problem.why));
  for (const candidate of candidates) {
    if (chosen.length >= settings.maxMigrationsPerRound) {
      deferred.push({
        what: "migration",
        clusterKey: candidate.cluster.key,
        reason: `--max-migrations-per-round ${settings.maxMigrationsPerRound} reached; next round`,
      });
      continue;
    }
    const replacement = canReplace(badOperatorIds);
    if (!replacement.ok) {
      deferred.push({
        what: "migration",
        clusterKey: candidate.cluster.key,
        reason: `no replacement cluster can be formed (${replacement.reason}); the validators stay`,
      });
      continue;
    }
    chosen.push(candidate);
  }
  return chosen;
}
