/**
 * Beacon validators as the consensus client hands them to the code (`ValidatorInfo`), for unit
 * tests of the plans and checks that read them: validator n has a public key of n's byte
 * repeated, 32 ETH, active since epoch 0, with 0x01 credentials of `VAULT` unless overridden.
 */
import type { ValidatorInfo } from "../../src/chain/consensus-dto.ts";

export const VAULT = "0x1111111111111111111111111111111111111111";
export const OTHER_VAULT = "0x2222222222222222222222222222222222222222";
export const ETH = 1_000_000_000n;
const FAR_FUTURE_EPOCH = 2n ** 64n - 1n;

/** Validator n's public key: n's byte 48 times. */
export const validatorKey = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}` as `0x${string}`;

/** 0x01 or 0x02 withdrawal credentials of `address`. */
export const vaultCredentials = (prefix: "01" | "02", address = VAULT) =>
  `0x${prefix}${"00".repeat(11)}${address.slice(2)}` as `0x${string}`;

export function validatorInfo(n: number, overrides: Partial<ValidatorInfo> = {}): ValidatorInfo {
  return {
    index: n,
    balanceGwei: 32n * ETH,
    status: "active_ongoing",
    pubkey: validatorKey(n),
    withdrawalCredentials: vaultCredentials("01"),
    effectiveBalanceGwei: 32n * ETH,
    slashed: false,
    activationEligibilityEpoch: 0n,
    activationEpoch: 0n,
    exitEpoch: FAR_FUTURE_EPOCH,
    withdrawableEpoch: FAR_FUTURE_EPOCH,
    ...overrides,
  };
}
