/**
 * What `operator consolidate` checks before it asks the oracles or spends a fee (spec §7.6; the
 * Electra process_consolidation_request rules the beacon chain applies). The beacon chain drops a
 * request that breaks them without a word, and the fee paid is lost, so each is refused here, in
 * one line naming the validator and the way out.
 */
import type { ValidatorInfo } from "../../chain/consensus-dto.ts";
import { UserInputError } from "../../lib/errors.ts";

/** A consolidation the command refuses: a bad choice of keys or of limits, never worth a retry. */
export class ConsolidationRefusedError extends UserInputError {
  override name = "ConsolidationRefusedError";
}

export interface ConsolidationCheckInput {
  vault: `0x${string}`;
  /** --source-public-keys, lower-case 0x-prefixed hex. */
  sources: readonly `0x${string}`[];
  /** --target-public-key, lower-case. */
  target: `0x${string}`;
  /** The beacon's answer for the sources and the target; unknown keys are absent. */
  validators: readonly ValidatorInfo[];
  pendingPartialWithdrawals: readonly { validatorIndex: number }[];
  pendingConsolidations: readonly { sourceIndex: number; targetIndex: number }[];
  maxValidatorBalanceGwei: bigint;
  /** False with --no-switch-consolidation. */
  allowSwitch: boolean;
  /**
   * The head epoch and SHARD_COMMITTEE_PERIOD: a source must have been active that long. Absent
   * when the node does not say its period.
   */
  shardCommittee?: { headEpoch: bigint; periodEpochs: bigint };
}

export interface ConsolidationPlan {
  /** "switch": the target consolidates into itself and becomes 0x02 (0x01 → 0x02). */
  kind: "switch" | "merge";
  target: ValidatorInfo;
  /** For a switch, the target itself. */
  sources: ValidatorInfo[];
  /** The target's balance once every source has moved in (gwei). */
  targetBalanceAfterGwei: bigint;
}

const short = (key: string) => `${key.slice(0, 12)}…${key.slice(-4)}`;

/** Statuses a validator can be consolidated in; anything else is pending, exiting or gone. */
const ACTIVE = "active_ongoing";

/** Checks the keys against the beacon state and returns what will be sent. */
export function checkConsolidation(input: ConsolidationCheckInput): ConsolidationPlan {
  const { sources, target } = input;
  if (sources.length === 0) {
    throw new ConsolidationRefusedError(
      "no source public key given: pass --source-public-keys or --source-public-keys-file",
    );
  }
  const repeated = sources.find((key, i) => sources.indexOf(key) !== i);
  if (repeated) {
    throw new ConsolidationRefusedError(
      `source ${short(repeated)} is listed twice: list each source validator once`,
    );
  }
  const isSwitch = sources.length === 1 && sources[0] === target;
  if (!isSwitch && sources.includes(target)) {
    throw new ConsolidationRefusedError(
      `target ${short(target)} is also one of several sources: switch it alone first (--source-public-keys ${target} --target-public-key ${target}), then consolidate the others into it`,
    );
  }

  const byKey = new Map(input.validators.map((v) => [v.pubkey.toLowerCase(), v]));
  const known = (key: `0x${string}`, role: string): ValidatorInfo => {
    const validator = byKey.get(key);
    if (!validator) {
      throw new ConsolidationRefusedError(
        `${role} ${short(key)} is not known to the consensus node: check the key, or wait until its deposit is processed`,
      );
    }
    checkOfVault(validator, role, input.vault);
    return validator;
  };
  const targetValidator = known(target, "target");
  const sourceValidators = isSwitch ? [targetValidator] : sources.map((key) => known(key, "source"));

  checkActive(targetValidator, "target");
  const consolidating = new Set(input.pendingConsolidations.flatMap((c) => [c.sourceIndex]));
  if (consolidating.has(targetValidator.index)) {
    throw new ConsolidationRefusedError(
      `target ${describe(targetValidator)} is already consolidating into another validator: choose another target`,
    );
  }

  if (isSwitch) {
    if (!input.allowSwitch) {
      throw new ConsolidationRefusedError(
        `source and target are the same validator ${describe(targetValidator)}, a switch to 0x02, and --no-switch-consolidation is set: drop the flag or choose another target`,
      );
    }
    if (prefixOf(targetValidator) === "0x02") {
      throw new ConsolidationRefusedError(
        `validator ${describe(targetValidator)} already has 0x02 credentials: there is nothing to switch; use it as the target of other sources`,
      );
    }
    // The beacon chain's switch asks only for an active validator with 0x01 credentials: no
    // SHARD_COMMITTEE_PERIOD, and pending withdrawals stay valid.
    return {
      kind: "switch",
      target: targetValidator,
      sources: [targetValidator],
      targetBalanceAfterGwei: targetValidator.balanceGwei,
    };
  }

  if (prefixOf(targetValidator) !== "0x02") {
    throw new ConsolidationRefusedError(
      `target ${describe(targetValidator)} has 0x01 credentials and is not being switched: switch it first (--source-public-keys ${target} --target-public-key ${target}) or choose a 0x02 target`,
    );
  }
  for (const source of sourceValidators) checkSource(source, input, "source");

  const after = sourceValidators.reduce((sum, v) => sum + v.balanceGwei, targetValidator.balanceGwei);
  if (after > input.maxValidatorBalanceGwei) {
    throw new ConsolidationRefusedError(
      `target ${describe(targetValidator)} would hold ${after} gwei, above --max-validator-balance-gwei ${input.maxValidatorBalanceGwei}: consolidate fewer sources into it, or raise the limit`,
    );
  }
  return { kind: "merge", target: targetValidator, sources: sourceValidators, targetBalanceAfterGwei: after };
}

/** 0x01 or 0x02 withdrawal credentials of `vault`. */
export function isVaultValidator(validator: ValidatorInfo, vault: `0x${string}`): boolean {
  const credentials = validator.withdrawalCredentials.toLowerCase();
  const prefix = credentials.slice(0, 4);
  return (prefix === "0x01" || prefix === "0x02") && `0x${credentials.slice(26)}` === vault.toLowerCase();
}

function checkOfVault(validator: ValidatorInfo, role: string, vault: `0x${string}`): void {
  if (!isVaultValidator(validator, vault)) {
    throw new ConsolidationRefusedError(
      `${role} ${describe(validator)} is not a validator of vault ${vault} (its withdrawal credentials are ${validator.withdrawalCredentials.toLowerCase()}): consolidate only this vault's validators`,
    );
  }
}

function checkActive(validator: ValidatorInfo, role: string): void {
  if (validator.status === ACTIVE) return;
  const fix = validator.status.startsWith("pending")
    ? "wait until it is active"
    : `remove it from ${role === "target" ? "--target-public-key" : "--source-public-keys"}`;
  throw new ConsolidationRefusedError(
    `${role} ${describe(validator)} is ${validator.status}, not active: an exiting or exited validator cannot be consolidated; ${fix}`,
  );
}

function checkSource(source: ValidatorInfo, input: ConsolidationCheckInput, role: string): void {
  checkActive(source, role);
  if (
    input.pendingConsolidations.some((c) => c.sourceIndex === source.index || c.targetIndex === source.index)
  ) {
    throw new ConsolidationRefusedError(
      `${role} ${describe(source)} is already in a pending consolidation: wait until the beacon chain has processed it`,
    );
  }
  if (input.pendingPartialWithdrawals.some((w) => w.validatorIndex === source.index)) {
    throw new ConsolidationRefusedError(
      `${role} ${describe(source)} has pending partial withdrawals: wait until they are paid out, then consolidate`,
    );
  }
  const period = input.shardCommittee;
  if (period && period.headEpoch < source.activationEpoch + period.periodEpochs) {
    throw new ConsolidationRefusedError(
      `${role} ${describe(source)} has been active since epoch ${source.activationEpoch}, less than SHARD_COMMITTEE_PERIOD (${period.periodEpochs} epochs): wait until epoch ${source.activationEpoch + period.periodEpochs}`,
    );
  }
}

/** The withdrawal credentials' prefix, "0x01" or "0x02" for a vault's validators. */
export function prefixOf(validator: ValidatorInfo): string {
  return validator.withdrawalCredentials.slice(0, 4).toLowerCase();
}

function describe(validator: ValidatorInfo): string {
  return `${short(validator.pubkey)} (index ${validator.index})`;
}
