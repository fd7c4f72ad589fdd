/**
 * The validators the oracles are force-exiting (spec §5.5, GET /exits/): each oracle lists the
 * indexes it holds exit signature shares for; an index counts once at least `threshold` oracles
 * (exit_signature_recover_threshold) list it, because only then can they rebuild its exit
 * signature. An oracle that did not answer is passed as an empty list.
 */
export function forcedExitIndexes(answers: readonly (readonly number[])[], threshold: number): Set<number> {
  const votes = new Map<number, number>();
  for (const answer of answers) {
    for (const index of new Set(answer)) votes.set(index, (votes.get(index) ?? 0) + 1);
  }
  const forced = new Set<number>();
  for (const [index, count] of votes) if (count >= Math.max(1, threshold)) forced.add(index);
  return forced;
}
