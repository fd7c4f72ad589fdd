/**
 * When a cluster's validators should move to a new cluster (issue 13: operators removed,
 * inactive for longer than a grace period, or much dearer than the market). Moving costs a
 * removal, a wait and a registration with new shares, and the validator misses duties in
 * between, so the defaults are patient:
 *
 * - an operator removed on chain: migrate at once (it runs nothing any more);
 * - an operator inactive (on chain, or per the SSV API) for more than 24 hours;
 * - an operator whose fee is above 2 × the market's median fee (the median over active, public,
 *   non-removed operators); an operator at a fee of 0 never counts as dear.
 */
import type { OperatorCandidate } from "./selection.ts";

export interface ClusterOperatorView {
  id: bigint;
  fee: bigint;
  removed: boolean;
  isActive: boolean;
  /** When the caller first saw it inactive (ms since the epoch); undefined while active. */
  inactiveSince?: number;
}

export interface MigrationOptions {
  now: number;
  /** Default 24 hours. */
  inactiveGraceMs?: number;
  /** Default 2: migrate when an operator's fee > factor × market median. */
  feeFactor?: number;
}

export const DEFAULT_INACTIVE_GRACE_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_FEE_FACTOR = 2;

export interface MigrationDecision {
  migrate: boolean;
  /** One line per reason, naming the operator. */
  reasons: string[];
}

/** The median fee of the operators a selection could take; undefined when there are none. */
export function marketMedianFee(candidates: readonly OperatorCandidate[]): bigint | undefined {
  const fees = candidates
    .filter((c) => c.isActive && !c.isPrivate && !c.removed)
    .map((c) => c.fee)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (fees.length === 0) return undefined;
  const mid = Math.floor(fees.length / 2);
  if (fees.length % 2 === 1) return fees[mid];
  return ((fees[mid - 1] as bigint) + (fees[mid] as bigint)) / 2n;
}

export function shouldMigrate(
  operators: readonly ClusterOperatorView[],
  marketMedian: bigint | undefined,
  options: MigrationOptions,
): MigrationDecision {
  const grace = options.inactiveGraceMs ?? DEFAULT_INACTIVE_GRACE_MS;
  const factor = options.feeFactor ?? DEFAULT_FEE_FACTOR;
  // The factor to a thousandth, in integers.
  const limit =
    marketMedian === undefined ? undefined : (marketMedian * BigInt(Math.round(factor * 1000))) / 1000n;
  const reasons: string[] = [];
  for (const op of operators) {
    if (op.removed) {
      reasons.push(`operator ${op.id} was removed from the SSV network`);
      continue;
    }
    if (!op.isActive && op.inactiveSince !== undefined && options.now - op.inactiveSince > grace) {
      const hours = Math.floor((options.now - op.inactiveSince) / 3_600_000);
      reasons.push(`operator ${op.id} has been inactive for ${hours} h (grace ${grace / 3_600_000} h)`);
      continue;
    }
    if (limit !== undefined && op.fee > 0n && op.fee > limit) {
      reasons.push(
        `operator ${op.id} charges ${op.fee} per block, over ${factor} × the market median ${marketMedian}`,
      );
    }
  }
  return { migrate: reasons.length > 0, reasons };
}
