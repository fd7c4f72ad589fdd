import { ForkData, SigningData } from "./ssz-types.ts";

export const DOMAIN_DEPOSIT = Uint8Array.of(3, 0, 0, 0);
export const DOMAIN_VOLUNTARY_EXIT = Uint8Array.of(4, 0, 0, 0);
const ZERO_ROOT = new Uint8Array(32);

/** compute_domain of the consensus spec. */
export function computeDomain(
  domainType: Uint8Array,
  forkVersion: Uint8Array,
  genesisValidatorsRoot: Uint8Array = ZERO_ROOT,
): Uint8Array {
  const forkDataRoot = ForkData.hashTreeRoot({ currentVersion: forkVersion, genesisValidatorsRoot });
  const domain = new Uint8Array(32);
  domain.set(domainType, 0);
  domain.set(forkDataRoot.subarray(0, 28), 4);
  return domain;
}

/** Deposits are signed for the genesis fork version with a zero genesis validators root. */
export function computeDepositDomain(genesisForkVersion: Uint8Array): Uint8Array {
  return computeDomain(DOMAIN_DEPOSIT, genesisForkVersion, ZERO_ROOT);
}

/** compute_signing_root of the consensus spec. */
export function computeSigningRoot(objectRoot: Uint8Array, domain: Uint8Array): Uint8Array {
  return SigningData.hashTreeRoot({ objectRoot, domain });
}
