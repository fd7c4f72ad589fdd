/**
 * The two EIP-712 messages of today's vaults (v3-core v4):
 *
 * - `VaultValidators(bytes32 validatorsRegistryRoot,bytes validators)`, signed by the vault's
 *   validators manager when it is not the sender (domain "VaultValidators", version "1", the
 *   vault). For registerValidators the first field is the deposit contract's root the oracles
 *   approved; for fundValidators, withdrawValidators and consolidateValidators it is the vault's
 *   validatorsManagerNonce as a bytes32. Any valid signature bumps the nonce, so a signature is
 *   good for one call only.
 * - `ConsolidationsChecker(address vault,bytes validators)`, signed by the oracles to approve a
 *   consolidation (domain "ConsolidationsChecker", version "1", the checker contract).
 */
import { type Address, type Hex, numberToHex } from "viem";

export interface VaultValidatorsDomain {
  name: "VaultValidators";
  version: "1";
  chainId: number;
  verifyingContract: Address;
}

export function vaultValidatorsDomain(chainId: number, vault: Address): VaultValidatorsDomain {
  return { name: "VaultValidators", version: "1", chainId, verifyingContract: vault };
}

export const vaultValidatorsTypes = {
  VaultValidators: [
    { name: "validatorsRegistryRoot", type: "bytes32" },
    { name: "validators", type: "bytes" },
  ],
} as const;

// A type alias, not an interface, so that it fits viem's Record<string, unknown>.
export type VaultValidatorsMessage = {
  validatorsRegistryRoot: Hex;
  /** The concatenated entries the call carries (176/184, 56 or 96 bytes each). */
  validators: Hex;
};

/** signTypedData / hashTypedData parameters of a validators-manager signature. */
export function vaultValidatorsTypedData(domain: VaultValidatorsDomain, message: VaultValidatorsMessage) {
  return { domain, types: vaultValidatorsTypes, primaryType: "VaultValidators", message } as const;
}

/** validatorsManagerNonce as the bytes32 that fund/withdraw/consolidate signatures put in the root slot. */
export function nonceAsRegistryRoot(nonce: bigint): Hex {
  if (nonce < 0n) throw new RangeError(`negative nonce ${nonce}`);
  return numberToHex(nonce, { size: 32 });
}

export interface ConsolidationsCheckerDomain {
  name: "ConsolidationsChecker";
  version: "1";
  chainId: number;
  verifyingContract: Address;
}

/** `checker` is the ConsolidationsChecker contract, not the vault. */
export function consolidationsCheckerDomain(chainId: number, checker: Address): ConsolidationsCheckerDomain {
  return { name: "ConsolidationsChecker", version: "1", chainId, verifyingContract: checker };
}

export const consolidationsCheckerTypes = {
  ConsolidationsChecker: [
    { name: "vault", type: "address" },
    { name: "validators", type: "bytes" },
  ],
} as const;

export type ConsolidationsCheckerMessage = {
  vault: Address;
  /** The concatenated 96-byte consolidation entries. */
  validators: Hex;
};

/** signTypedData / hashTypedData parameters of an oracle's consolidation approval. */
export function consolidationsCheckerTypedData(
  domain: ConsolidationsCheckerDomain,
  message: ConsolidationsCheckerMessage,
) {
  return {
    domain,
    types: consolidationsCheckerTypes,
    primaryType: "ConsolidationsChecker",
    message,
  } as const;
}
