import type { Address, Hex } from "viem";

/**
 * One thing the manager does in a round, with why. Every kind maps to one transaction kind of the
 * journal (register and remove may become several transactions: bulk limits).
 */
export type ManagerAction =
  | {
      kind: "set-fee-recipient";
      recipient: Address;
      /** The recipient the chain has now; undefined = never set (the owner). */
      current: Address | undefined;
      why: "fee-recipient-differs";
    }
  | {
      kind: "reactivate";
      clusterKey: string;
      operatorIds: readonly bigint[];
      amount: bigint;
      validators: number;
      why: "cluster-liquidated";
    }
  | {
      kind: "deposit";
      clusterKey: string;
      operatorIds: readonly bigint[];
      amount: bigint;
      runwayDays: number;
      why: "runway-below-minimum";
    }
  | {
      kind: "remove";
      clusterKey: string;
      operatorIds: readonly bigint[];
      publicKeys: readonly Hex[];
      why: "validator-exited" | MigrationReason;
      /** For a migration: the operators that made the cluster bad. */
      badOperatorIds?: readonly bigint[];
      /** For a migration: one line per bad operator. */
      reasons?: readonly string[];
    }
  | {
      kind: "register";
      publicKeys: readonly Hex[];
      /** Operators a new cluster must not include (the bad ones of clusters migrated away from). */
      excludeOperatorIds: readonly bigint[];
      why: "keys-not-on-ssv";
    }
  | {
      kind: "withdraw";
      clusterKey: string;
      operatorIds: readonly bigint[];
      amount: bigint;
      why: "cluster-empty";
    };

export type MigrationReason = "operator-removed" | "operator-inactive" | "operator-expensive";

/** The log fields of an action: constant message "ssv action" + these. */
export function actionFields(action: ManagerAction): Record<string, unknown> {
  switch (action.kind) {
    case "set-fee-recipient":
      return {
        action: action.kind,
        why: action.why,
        recipient: action.recipient,
        current: action.current ?? null,
      };
    case "reactivate":
      return {
        action: action.kind,
        why: action.why,
        cluster: action.clusterKey,
        amount: action.amount.toString(),
        validators: action.validators,
      };
    case "deposit":
      return {
        action: action.kind,
        why: action.why,
        cluster: action.clusterKey,
        amount: action.amount.toString(),
        runwayDays: Math.round(action.runwayDays * 100) / 100,
      };
    case "remove":
      return {
        action: action.kind,
        why: action.why,
        cluster: action.clusterKey,
        validators: action.publicKeys.length,
        publicKeys: action.publicKeys,
        ...(action.badOperatorIds ? { badOperators: action.badOperatorIds.join(",") } : {}),
        ...(action.reasons ? { reasons: action.reasons } : {}),
      };
    case "register":
      return {
        action: action.kind,
        why: action.why,
        validators: action.publicKeys.length,
        publicKeys: action.publicKeys,
        ...(action.excludeOperatorIds.length > 0
          ? { excludeOperators: action.excludeOperatorIds.join(",") }
          : {}),
      };
    case "withdraw":
      return {
        action: action.kind,
        why: action.why,
        cluster: action.clusterKey,
        amount: action.amount.toString(),
      };
  }
}
