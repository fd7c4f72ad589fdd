import type { Address, Hex } from "viem";

/**
 * The two EIP-712 messages of v3-core v4 that the devnet oracles meet besides the Keeper's, typed
 * here from the contracts and not taken from the operator's code: the validators manager's
 * `VaultValidators` (verified on registration requests) and the oracles' own
 * `ConsolidationsChecker` (signed for consolidations).
 */

/** Domain of a vault's validators-manager signatures: the vault itself verifies them. */
export function vaultValidatorsDomain(chainId: number, vault: Address) {
  return { name: "VaultValidators", version: "1", chainId, verifyingContract: vault } as const;
}

export const vaultValidatorsTypes = {
  VaultValidators: [
    { name: "validatorsRegistryRoot", type: "bytes32" },
    { name: "validators", type: "bytes" },
  ],
} as const;

export function vaultValidatorsTypedData(
  chainId: number,
  vault: Address,
  message: { validatorsRegistryRoot: Hex; validators: Hex },
) {
  return {
    domain: vaultValidatorsDomain(chainId, vault),
    types: vaultValidatorsTypes,
    primaryType: "VaultValidators",
    message,
  } as const;
}

export const consolidationsCheckerTypes = {
  ConsolidationsChecker: [
    { name: "vault", type: "address" },
    { name: "validators", type: "bytes" },
  ],
} as const;

/** `validators`: the bytes the vault passes to consolidateValidators, source (48) ‖ target (48) per pair. */
export function consolidationsCheckerTypedData(
  chainId: number,
  checker: Address,
  message: { vault: Address; validators: Hex },
) {
  return {
    domain: { name: "ConsolidationsChecker", version: "1", chainId, verifyingContract: checker },
    types: consolidationsCheckerTypes,
    primaryType: "ConsolidationsChecker",
    message,
  } as const;
}
