import type { BeaconValidator } from "../../src/operator/planning/beacon-rules.ts";

/** Gwei in one ETH (or one mGNO-unit on Gnosis). */
export const ETH_GWEI = 1_000_000_000n;

/** A distinct 48-byte public key per index, lower-case hex. */
export function publicKeyOf(index: number): `0x${string}` {
  return `0x${index.toString(16).padStart(96, "0")}`;
}

/** 0x01 or 0x02 withdrawal credentials to one address. */
export function credentials(type: "0x01" | "0x02"): `0x${string}` {
  return `${type}${"00".repeat(11)}${"ab".repeat(20)}`;
}

/** A vault validator as the beacon shows it: active 0x02 with 32 ETH since epoch 0 unless told. */
export function beaconValidator(index: number, over: Partial<BeaconValidator> = {}): BeaconValidator {
  return {
    index,
    pubkey: publicKeyOf(index),
    balanceGwei: 32n * ETH_GWEI,
    status: "active_ongoing",
    withdrawalCredentials: credentials("0x02"),
    activationEpoch: 0n,
    ...over,
  };
}
