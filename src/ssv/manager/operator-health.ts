import type { MigrationReason } from "./actions.ts";
import type { OperatorView } from "./view.ts";

export interface OperatorHealthSettings {
  /** --operator-grace-hours in ms: how long an operator may stay inactive before its clusters move. */
  graceMs: number;
  /** An operator whose fee is above this factor × the market's median fee is "expensive". */
  expensiveFactor: number;
  /** The median fee per block of the operators the selection would consider; undefined = unknown. */
  marketMedianFee: bigint | undefined;
}

/**
 * Why an operator should no longer run the owner's validators, or undefined: removed on chain,
 * inactive (chain or API) for longer than the grace period, or much dearer than the market.
 */
export function operatorProblem(
  operator: OperatorView,
  now: number,
  settings: OperatorHealthSettings,
): MigrationReason | undefined {
  if (operator.removed) return "operator-removed";
  if (
    !operator.active &&
    operator.inactiveSince !== undefined &&
    now - operator.inactiveSince >= settings.graceMs
  ) {
    return "operator-inactive";
  }
  const median = settings.marketMedianFee;
  if (median !== undefined && median > 0n && settings.expensiveFactor > 0) {
    // Fixed point with 4 decimals: fee > factor × median.
    const factor = BigInt(Math.round(settings.expensiveFactor * 10_000));
    if (operator.fee * 10_000n > factor * median) return "operator-expensive";
  }
  return undefined;
}

/**
 * The first-seen-inactive times to keep (state store): an operator seen inactive keeps its first
 * time; one seen active again is forgotten; one seen inactive for the first time starts now.
 */
export function trackInactivity(
  previous: ReadonlyMap<bigint, number>,
  seen: ReadonlyArray<{ id: bigint; active: boolean }>,
  now: number,
): Map<bigint, number> {
  const next = new Map<bigint, number>();
  for (const { id, active } of seen) {
    if (active) continue;
    next.set(id, previous.get(id) ?? now);
  }
  return next;
}
