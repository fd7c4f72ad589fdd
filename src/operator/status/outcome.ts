/**
 * What one run of a service task came to. Waiting is not failing: a vault without 32 ETH, a hot
 * wallet without gas money or gas above the cap are states of the world the service reports and
 * waits out, never errors it counts.
 */

/** What the service can be waiting for, each with the words the operator reads. */
export const WAIT_REASONS = {
  assets: { label: "assets", warn: false },
  keys: { label: "validator keys", warn: true },
  "deposit-data": { label: "deposit data", warn: true },
  oracles: { label: "oracle approvals", warn: true },
  /** Exit-signature rotation: too few oracles said which signatures are outdated (registration warns). */
  "oracle-reports": { label: "oracle reports", warn: false },
  gas: { label: "a lower gas price", warn: false },
  funds: { label: "hot wallet funds", warn: true },
  transaction: { label: "the pending transaction", warn: false },
  /** EIP-7002 withdrawals: the request fee is above --max-withdrawal-request-fee-gwei. */
  "withdrawal-fee": { label: "a lower withdrawal request fee", warn: false },
  /** EIP-7002 withdrawals: no validator can serve the exit queue, or the beacon's queue is full. */
  withdrawals: { label: "validators able to withdraw", warn: true },
  /** A top-up is due but its validator received a deposit less than --min-deposit-delay ago. */
  "deposit-delay": { label: "the deposit delay", warn: false },
  /** start --relayer-endpoint: the DVT relayer's sidecars have not signed this batch yet. */
  relayer: { label: "the relayer", warn: false },
} as const satisfies Record<string, { label: string; warn: boolean }>;

export type WaitReason = keyof typeof WAIT_REASONS;

export type TaskOutcome =
  /** The task did its work (or had none to do). */
  | { kind: "ok" }
  /** The task cannot go on until `for` changes; `reason` says why, in one line, with the fix. */
  | { kind: "waiting"; for: WaitReason; reason: string }
  | { kind: "failed"; error: unknown };

export const OK: TaskOutcome = { kind: "ok" };

export function waitingFor(reason: WaitReason, why: string): TaskOutcome {
  return { kind: "waiting", for: reason, reason: why };
}
