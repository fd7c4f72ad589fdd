/**
 * SSV fee arithmetic for both fee eras (spec B.6). Fees are per block, in the era's smallest unit
 * (SSV-wei in the token era, wei in the ETH era), as the views return them. The contract stores
 * them shrunk by its "deducted digits" (10^7 SSV era, 10^5 ETH era), so fee-derived amounts are
 * multiples of that.
 *
 * A cluster pays (Σ operator fees + network fee) per block per validator unit. In the SSV era a
 * unit is one validator; in the ETH era it is 32 ETH of effective balance: a validator counts
 * max(1, floor(effectiveBalance / 32 ETH)) units, as ssv-sdk does (a cluster whose balances the
 * oracles have not reported yet counts one unit per validator, as the contract does).
 */
import type { SsvFeeEra } from "../chain/abi/ssv-network.ts";

export const SSV_DEDUCTED_DIGITS = 10_000_000n;
export const ETH_DEDUCTED_DIGITS = 100_000n;

/** Ethereum: 12-second blocks. */
export const ETHEREUM_BLOCKS_PER_DAY = 7200;
/** Gnosis Chain: 5-second blocks. */
export const GNOSIS_BLOCKS_PER_DAY = 17_280;

/** The network-wide parameters of one era, read from the views. */
export interface SsvNetworkFees {
  /** Network fee per block per validator unit. */
  networkFee: bigint;
  /** Blocks of burn a cluster must hold to stay unliquidatable. */
  liquidationThresholdPeriod: bigint;
  /** The smallest balance of a cluster with validators. */
  minimumLiquidationCollateral: bigint;
}

export function deductedDigits(era: SsvFeeEra): bigint {
  return era === "eth" ? ETH_DEDUCTED_DIGITS : SSV_DEDUCTED_DIGITS;
}

/** `amount` rounded up to a multiple of the era's deducted digits. */
export function roundUpToDeducted(amount: bigint, era: SsvFeeEra): bigint {
  const unit = deductedDigits(era);
  const rest = amount % unit;
  return rest === 0n ? amount : amount + unit - rest;
}

const GWEI_PER_UNIT = 32_000_000_000n;

/**
 * Validator units of validators with these effective balances (gwei): each counts
 * max(1, floor(balance / 32 ETH)). An SSV-era cluster, or one without reported balances, counts
 * its validator count instead.
 */
export function validatorUnits(effectiveBalancesGwei: readonly bigint[]): bigint {
  let units = 0n;
  for (const balance of effectiveBalancesGwei) {
    const own = balance / GWEI_PER_UNIT;
    units += own > 0n ? own : 1n;
  }
  return units;
}

/**
 * Units of a cluster whose total effective balance (whole ETH, as the contract's
 * ClusterBalanceUpdated reports it) is known: max(1, floor(total / 32)) when it holds validators.
 * Without a reported balance, one unit per validator.
 */
export function clusterUnits(validatorCount: number, effectiveBalanceEth?: number): bigint {
  if (validatorCount === 0) return 0n;
  if (effectiveBalanceEth === undefined || effectiveBalanceEth === 0) return BigInt(validatorCount);
  const units = BigInt(Math.floor(effectiveBalanceEth / 32));
  return units > 0n ? units : 1n;
}

/** Fee per block of one validator unit: Σ operator fees + network fee. */
export function feePerUnit(operatorFees: readonly bigint[], networkFee: bigint): bigint {
  let total = networkFee;
  for (const fee of operatorFees) total += fee;
  return total;
}

/** What a cluster burns per block: (Σ operator fees + network fee) × units. */
export function burnRate(operatorFees: readonly bigint[], networkFee: bigint, units: bigint): bigint {
  return feePerUnit(operatorFees, networkFee) * units;
}

/**
 * The balance under which a cluster with validators can be liquidated:
 * max(minimumLiquidationCollateral, liquidationThresholdPeriod × burn rate). Zero for an empty
 * cluster (the contract never liquidates one).
 */
export function liquidationReserve(burn: bigint, fees: SsvNetworkFees, units: bigint): bigint {
  if (units === 0n) return 0n;
  const threshold = fees.liquidationThresholdPeriod * burn;
  if (threshold < fees.minimumLiquidationCollateral) return fees.minimumLiquidationCollateral;
  return threshold;
}

/** The contract's liquidation test: a cluster with validators whose balance is under its reserve. */
export function isLiquidatable(balance: bigint, burn: bigint, fees: SsvNetworkFees, units: bigint): boolean {
  return units > 0n && balance < liquidationReserve(burn, fees, units);
}
