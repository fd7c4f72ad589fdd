import type { NetworkConfig } from "../../config/networks.ts";
import { WEI_PER_GWEI } from "./gwei.ts";

/**
 * A vault counts its assets in its token's wei (ETH, or GNO on Gnosis); deposits and validator
 * balances are counted in the deposit contract's unit, in gwei (ETH, or mGNO: 32 per GNO). The
 * validators of a Gnosis vault carry mGNO amounts, which the vault divides by 32 when it deposits
 * (v3-core v4.0.1 VaultGnoStaking._registerValidators).
 */
export function depositUnitsPerAsset(network: Pick<NetworkConfig, "depositUnitsPerAsset">): bigint {
  return BigInt(network.depositUnitsPerAsset ?? 1);
}

/** The vault's assets (wei of its token) as deposit-unit gwei, rounded down. */
export function assetsToDepositGwei(
  network: Pick<NetworkConfig, "depositUnitsPerAsset">,
  wei: bigint,
): bigint {
  return (wei * depositUnitsPerAsset(network)) / WEI_PER_GWEI;
}

/** Deposit-unit gwei as wei of the vault's token, rounded up (what the vault must hold for them). */
export function depositGweiToAssets(
  network: Pick<NetworkConfig, "depositUnitsPerAsset">,
  gwei: bigint,
): bigint {
  const units = depositUnitsPerAsset(network);
  return (gwei * WEI_PER_GWEI + units - 1n) / units;
}
