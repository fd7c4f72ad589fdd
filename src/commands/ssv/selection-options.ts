import type { PrepareSsvRegistrationInputs } from "../../ssv/registration/prepare.ts";
import { perBlockFee, type SsvRegisterOptionValues } from "./register-options.ts";

/** The register flags as the selection takes them (the fee cap per year → per block). */
export function selectionOptions(
  options: SsvRegisterOptionValues,
  secondsPerSlot: number,
): PrepareSsvRegistrationInputs["selection"] {
  return {
    clusterSize: options.clusterSize,
    ...(options.maxOperatorFee !== undefined
      ? { maxFee: perBlockFee(options.maxOperatorFee, secondsPerSlot) }
      : {}),
    ...(options.minPerformance !== undefined ? { minPerformance30d: options.minPerformance } : {}),
    ...(options.operatorIds ? { pinned: options.operatorIds } : {}),
    ...(options.excludeOperatorIds ? { excluded: options.excludeOperatorIds } : {}),
  };
}
