export interface OperatorHealthSettings {
  /** --operator-grace-hours in ms: how long an operator may stay inactive before its clusters move. */
  inactiveGraceMs: number;
  /** An operator whose fee is above this factor × the market's median fee is "expensive". */
  feeFactor: number;
  /** The median fee per block of the operators the selection would consider; undefined = unknown. */
  marketMedianFee: bigint | undefined;
}

/**
 * The first-seen-inactive times to keep (state store): an operator seen inactive keeps its first
 * time; one seen active again is forgotten; one seen inactive for the first time starts now.
 */
export function trackInactivity(
  previous: ReadonlyMap<bigint, number>,
  seen: ReadonlyArray<{ id: bigint; isActive: boolean }>,
  now: number,
): Map<bigint, number> {
  const next = new Map<bigint, number>();
  for (const { id, isActive } of seen) {
    if (isActive) continue;
    next.set(id, previous.get(id) ?? now);
  }
  return next;
}
