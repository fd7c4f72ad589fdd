/**
 * Whether the withdrawals task runs this slot (spec §6.4 step 4): once per WITHDRAWALS_INTERVAL,
 * counted from the vault's last ValidatorWithdrawalSubmitted event, so a restart does not send a
 * second round for an exit queue the first one is still serving.
 */
export function withdrawalsDue(options: {
  /** Unix seconds of the block of the vault's last ValidatorWithdrawalSubmitted event, if any. */
  lastSubmittedAt: number | undefined;
  /** The head block's timestamp. */
  now: number;
  intervalSeconds: number;
}): boolean {
  return (
    options.lastSubmittedAt === undefined || options.now - options.lastSubmittedAt > options.intervalSeconds
  );
}
