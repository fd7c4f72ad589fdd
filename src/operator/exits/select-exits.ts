import type { ValidatorInfo, ValidatorStatus } from "../../chain/consensus-dto.ts";

/**
 * Only an active validator whose exit has not started can exit (spec §7.1): pending ones are not
 * active yet; active_exiting, active_slashed, exited_* and withdrawal_* have an exit already.
 */
export function canExit(status: ValidatorStatus): boolean {
  return status === "active_ongoing";
}

/** The validators to exit: the exitable ones, lowest index first, at most `count` of them. */
export function selectExits(validators: readonly ValidatorInfo[], count?: number): ValidatorInfo[] {
  const exitable = validators.filter((v) => canExit(v.status)).sort((a, b) => a.index - b.index);
  return count === undefined ? exitable : exitable.slice(0, count);
}
