/**
 * What a contract revert says, dug out of viem's error chain: the custom error's name and
 * arguments (decoded with the ABI the call used) or the Error(string) reason.
 */
import { BaseError, ContractFunctionRevertedError } from "viem";

export interface ContractRevert {
  /** Custom error name, "Error" for a reason string, "Panic" for a panic, or undefined when undecoded. */
  errorName: string | undefined;
  args: readonly unknown[];
  /** The reason string of require/revert("...") reverts. */
  reason: string | undefined;
  /** The raw revert data when viem could not decode it. */
  signature: string | undefined;
}

/** The revert behind `error`, or undefined when the error is not a contract revert. */
export function contractRevertOf(error: unknown): ContractRevert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  return {
    errorName: reverted.data?.errorName,
    args: reverted.data?.args ?? [],
    reason: reverted.reason,
    signature: reverted.signature,
  };
}

/** The custom error name (or "Error"/"Panic") of a contract revert, else undefined. */
export function revertErrorName(error: unknown): string | undefined {
  return contractRevertOf(error)?.errorName;
}
