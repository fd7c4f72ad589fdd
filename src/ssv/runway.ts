/**
 * How long a cluster's balance lasts and what to deposit for a chosen runway (issue 13's
 * `--runway-days`). Our formula is the runway one (ssv-sdk's, spec B.6), not StaFi's min/max of
 * B.7: a cluster must hold its liquidation reserve plus the burn of the runway,
 *
 *   deposit = burnRate × blocksPerDay × days + reserve − balance   (never below 0),
 *
 * with burn rate and reserve computed for the cluster as it will be (after adding validators).
 * Blocks per day come from the caller: 7200 on Ethereum, 17 280 on Gnosis.
 */
import type { SsvFeeEra } from "../chain/abi/ssv-network.ts";
import { burnRate, liquidationReserve, roundUpToDeducted, type SsvNetworkFees } from "./fees.ts";

/** Days are given to a millionth of a day. */
const DAY_SCALE = 1_000_000n;

/** Blocks of burn the balance pays for above the reserve; undefined when nothing burns. */
export function runwayBlocks(balance: bigint, burn: bigint, reserve: bigint): bigint | undefined {
  if (burn === 0n) return undefined;
  return balance > reserve ? (balance - reserve) / burn : 0n;
}

/** {@link runwayBlocks} in days (fractional); undefined when nothing burns. */
export function runwayDays(
  balance: bigint,
  burn: bigint,
  reserve: bigint,
  blocksPerDay: number,
): number | undefined {
  const blocks = runwayBlocks(balance, burn, reserve);
  return blocks === undefined ? undefined : Number(blocks) / blocksPerDay;
}

/** Burn of `days` days (rounded up), to a millionth of a day. */
export function burnForDays(burn: bigint, days: number, blocksPerDay: number): bigint {
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`runway days must be >= 0, got ${days}`);
  const scaled = BigInt(Math.round(days * Number(DAY_SCALE)));
  const total = burn * BigInt(blocksPerDay) * scaled;
  return (total + DAY_SCALE - 1n) / DAY_SCALE;
}

export interface RunwayFundingParameters {
  era: SsvFeeEra;
  /** Fees per block of the cluster's operators. */
  operatorFees: readonly bigint[];
  network: SsvNetworkFees;
  /** Validator units of the cluster after the change (see fees.ts). */
  units: bigint;
  /** The cluster's balance now (0 for a new or liquidated cluster). */
  balance: bigint;
  days: number;
  blocksPerDay: number;
}

export interface RunwayFunding {
  /** Per block, for `units`. */
  burnRate: bigint;
  reserve: bigint;
  /** Burn for the runway plus the reserve. */
  target: bigint;
  /** What to deposit: target − balance, at least 0, rounded up to the era's deducted digits. */
  deposit: bigint;
}

/** What a cluster needs to hold, and to receive, for a runway of `days` days. */
export function fundingForRunway(params: RunwayFundingParameters): RunwayFunding {
  const burn = burnRate(params.operatorFees, params.network.networkFee, params.units);
  const reserve = liquidationReserve(burn, params.network, params.units);
  const target = burnForDays(burn, params.days, params.blocksPerDay) + reserve;
  const missing = target > params.balance ? target - params.balance : 0n;
  return { burnRate: burn, reserve, target, deposit: roundUpToDeducted(missing, params.era) };
}

/**
 * A cluster's state for metrics and alerts: "liquidated" (the contract marked it inactive),
 * "liquidatable" (anyone may liquidate it now), "below-threshold" (runway under the caller's
 * threshold: top it up), "ok".
 */
export type LiquidationRisk = "ok" | "below-threshold" | "liquidatable" | "liquidated";

export interface LiquidationRiskParameters {
  active: boolean;
  balance: bigint;
  burnRate: bigint;
  reserve: bigint;
  /** Units now; an empty cluster is never at risk. */
  units: bigint;
  /** Top-up threshold in days. */
  thresholdDays: number;
  blocksPerDay: number;
}

export function liquidationRisk(params: LiquidationRiskParameters): LiquidationRisk {
  if (!params.active) return "liquidated";
  if (params.units === 0n) return "ok";
  if (params.balance < params.reserve) return "liquidatable";
  const days = runwayDays(params.balance, params.burnRate, params.reserve, params.blocksPerDay);
  return days !== undefined && days < params.thresholdDays ? "below-threshold" : "ok";
}
