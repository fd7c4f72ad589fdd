import type { ValidatorType } from "../../keys/validator-entries.ts";
import { registrationAmounts, stakeableGwei } from "./registration-amounts.ts";
import { type Funding, type HeldTopUp, planTopUps, type TopUpInputs } from "./top-up-plan.ts";
import { planWithdrawals, type Withdrawal, type WithdrawalPlanInputs } from "./withdrawal-plan.ts";

/** VALIDATORS_FUNDING_BATCH_SIZE of the Python operator: validators per fundValidators call. */
export const DEFAULT_FUNDING_BATCH_SIZE = 10;

/**
 * The settings a slot's plan depends on (spec §1.2), amounts in gwei; named as in the start
 * command's settings, with the network's maximum balance resolved.
 */
export interface PlanningSettings {
  validatorType: ValidatorType;
  minDepositAmountGwei: bigint;
  vaultMinBalanceGwei: bigint;
  maxValidatorBalanceGwei: bigint;
  minDepositDelaySeconds: number;
  /** VALIDATORS_FUNDING_BATCH_SIZE. */
  fundingBatchSize: number;
  disableValidatorsFunding: boolean;
  disableValidatorsRegistration: boolean;
}

export interface SlotPlanInputs {
  settings: PlanningSettings;
  /** The vault's withdrawable assets in gwei after the due harvest (mGNO units on Gnosis). */
  withdrawableGwei: bigint;
  /** validators_approval_batch_limit of the protocol config. */
  approvalBatchLimit: number;
  topUps: Pick<
    TopUpInputs,
    "registeredKeys" | "beaconValidators" | "pendingDeposits" | "lastDepositAt" | "now"
  >;
  /** Given only when the withdrawals task is due this slot (its interval passed and it is enabled). */
  withdrawals?: WithdrawalPlanInputs;
}

export type SlotAction =
  | { kind: "wait"; task: "top-up" | "withdrawal"; reason: string }
  | { kind: "fund"; fundings: Funding[] }
  | { kind: "register"; validatorType: ValidatorType; amountsGwei: bigint[] }
  | {
      kind: "withdraw";
      withdrawals: Withdrawal[];
      queuedGwei: bigint;
      feePerRequestWei: bigint;
      valueWei: bigint;
    };

export interface SlotPlan {
  /** In the order to carry out: top-ups, then registrations, then withdrawals. */
  actions: SlotAction[];
  /** What top-ups and registrations could spend. */
  stakeableGwei: bigint;
}

/**
 * One slot's decisions for a vault of version 2 or later, as plain data: top up existing 0x02
 * validators first, register new validators with what is left, and serve the exit queue when
 * the withdrawals task is due. Nothing is spent below the minimum deposit.
 */
export function planSlot(inputs: SlotPlanInputs): SlotPlan {
  const { settings } = inputs;
  const actions: SlotAction[] = [];
  const stakeable = stakeableGwei({
    withdrawableGwei: inputs.withdrawableGwei,
    vaultMinBalanceGwei: settings.vaultMinBalanceGwei,
  });

  if (stakeable >= settings.minDepositAmountGwei) {
    let left = stakeable;
    // A 0x01 operator registers 32 ETH validators only; top-ups are a 0x02 matter.
    if (settings.validatorType === "0x02" && !settings.disableValidatorsFunding) {
      const topUps = planTopUps({
        ...inputs.topUps,
        assetsGwei: stakeable,
        maxValidatorBalanceGwei: settings.maxValidatorBalanceGwei,
        minDepositAmountGwei: settings.minDepositAmountGwei,
        minDepositDelaySeconds: settings.minDepositDelaySeconds,
        batchSize: settings.fundingBatchSize,
      });
      for (const fundings of topUps.batches) actions.push({ kind: "fund", fundings });
      if (topUps.held.length > 0)
        actions.push({ kind: "wait", task: "top-up", reason: heldReason(topUps.held) });
      left = topUps.remainingGwei;
    }
    if (!settings.disableValidatorsRegistration) {
      const amountsGwei = registrationAmounts({
        assetsGwei: left,
        validatorType: settings.validatorType,
        maxValidatorBalanceGwei: settings.maxValidatorBalanceGwei,
        batchLimit: inputs.approvalBatchLimit,
      });
      if (amountsGwei.length > 0)
        actions.push({ kind: "register", validatorType: settings.validatorType, amountsGwei });
    }
  }

  if (inputs.withdrawals) {
    const plan = planWithdrawals(inputs.withdrawals);
    if (plan.kind === "wait") actions.push({ kind: "wait", task: "withdrawal", reason: plan.reason });
    if (plan.kind === "withdraw") {
      const { withdrawals, queuedGwei, feePerRequestWei, valueWei } = plan;
      actions.push({ kind: "withdraw", withdrawals, queuedGwei, feePerRequestWei, valueWei });
    }
  }
  return { actions, stakeableGwei: stakeable };
}

/** One line for every held top-up: a vault may hold hundreds, and a line each would flood the log. */
export function heldReason(held: readonly HeldTopUp[]): string {
  const total = held.reduce((sum, h) => sum + h.amountGwei, 0n);
  const readyAt = held.reduce((first, h) => Math.min(first, h.readyAt), Number.POSITIVE_INFINITY);
  const keys = held.slice(0, 3).map((h) => h.publicKey);
  const named =
    held.length > keys.length ? `${keys.join(", ")} and ${held.length - keys.length} more` : keys.join(", ");
  const validators = held.length === 1 ? `validator ${named}` : `${held.length} validators (${named})`;
  return `top-ups of ${total} gwei wait: ${validators} received a deposit less than --min-deposit-delay ago, so the beacon node may not show it yet; the first can be funded from ${new Date(readyAt * 1000).toISOString()}`;
}
