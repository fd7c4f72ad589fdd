import type { Hex } from "viem";
import type { MigrationReason } from "./actions.ts";
import type { DecideSettings, Deferral, ReplacementCheck } from "./decide-round.ts";
import { operatorProblem } from "./operator-health.ts";
import type { ClusterView, ManagerView } from "./view.ts";

export interface ClusterProblem {
  why: MigrationReason;
  operatorIds: bigint[];
}

/** The cluster's worst problem (removed before inactive before expensive) and the operators that have it. */
export function clusterProblem(
  cluster: ClusterView,
  view: ManagerView,
  settings: DecideSettings,
): ClusterProblem | undefined {
  const found = new Map<MigrationReason, bigint[]>();
  for (const id of cluster.operatorIds) {
    const operator = view.operators.get(id);
    if (operator === undefined) continue;
    const why = operatorProblem(operator, view.now, settings);
    if (why !== undefined) found.set(why, [...(found.get(why) ?? []), id]);
  }
  for (const why of ["operator-removed", "operator-inactive", "operator-expensive"] as const) {
    const operatorIds = found.get(why);
    if (operatorIds) return { why, operatorIds };
  }
  return undefined;
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
