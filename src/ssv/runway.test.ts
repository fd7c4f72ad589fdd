import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  burnRate,
  clusterUnits,
  deductedDigits,
  isLiquidatable,
  liquidationReserve,
  roundUpToDeducted,
  validatorUnits,
} from "./fees.ts";
import { burnForDays, fundingForRunway, liquidationRisk, runwayBlocks, runwayDays } from "./runway.ts";

// Hand-made figures: four operators at 1e9 per block each, network fee 2e9 per block.
const FEES = [1_000_000_000n, 1_000_000_000n, 1_000_000_000n, 1_000_000_000n];
const NETWORK = {
  networkFee: 2_000_000_000n,
  liquidationThresholdPeriod: 100_800n,
  minimumLiquidationCollateral: 1_000_000_000_000_000_000n,
};
const ETH = 1_000_000_000n; // gwei

describe("fees", () => {
  it("burn rate is (Σ operator fees + network fee) × units", () => {
    assert.equal(burnRate(FEES, NETWORK.networkFee, 1n), 6_000_000_000n);
    assert.equal(burnRate(FEES, NETWORK.networkFee, 3n), 18_000_000_000n);
    assert.equal(burnRate([], 0n, 5n), 0n);
  });
  it("reserve is the larger of the collateral minimum and threshold × burn", () => {
    // 100 800 × 6e9 = 6.048e14 < 1e18: the minimum wins.
    assert.equal(liquidationReserve(6_000_000_000n, NETWORK, 1n), 1_000_000_000_000_000_000n);
    // 100 800 × 1e13 = 1.008e18 > 1e18.
    assert.equal(liquidationReserve(10_000_000_000_000n, NETWORK, 1n), 1_008_000_000_000_000_000n);
    assert.equal(liquidationReserve(6_000_000_000n, NETWORK, 0n), 0n);
  });
  it("a cluster with validators under its reserve is liquidatable; an empty one never", () => {
    assert.equal(isLiquidatable(999_999_999_999_999_999n, 6_000_000_000n, NETWORK, 1n), true);
    assert.equal(isLiquidatable(1_000_000_000_000_000_000n, 6_000_000_000n, NETWORK, 1n), false);
    assert.equal(isLiquidatable(0n, 6_000_000_000n, NETWORK, 0n), false);
  });
  it("ETH-era units: max(1, floor(effective balance / 32 ETH)) per validator", () => {
    assert.equal(validatorUnits([32n * ETH, 31n * ETH, 0n]), 3n);
    assert.equal(validatorUnits([64n * ETH, 95n * ETH, 96n * ETH]), 2n + 2n + 3n);
    assert.equal(validatorUnits([2048n * ETH]), 64n);
    assert.equal(validatorUnits([]), 0n);
  });
  it("cluster units from the reported total, else one per validator", () => {
    assert.equal(clusterUnits(3), 3n);
    assert.equal(clusterUnits(3, 96), 3n);
    assert.equal(clusterUnits(2, 2048 + 32), 65n);
    assert.equal(clusterUnits(1, 20), 1n);
    assert.equal(clusterUnits(0, 64), 0n);
  });
  it("deducted digits: 10^7 SSV, 10^5 ETH; amounts round up to multiples", () => {
    assert.equal(deductedDigits("ssv-token"), 10_000_000n);
    assert.equal(deductedDigits("eth"), 100_000n);
    assert.equal(roundUpToDeducted(10_000_001n, "ssv-token"), 20_000_000n);
    assert.equal(roundUpToDeducted(20_000_000n, "ssv-token"), 20_000_000n);
    assert.equal(roundUpToDeducted(100_001n, "eth"), 200_000n);
    assert.equal(roundUpToDeducted(0n, "eth"), 0n);
  });
});

describe("runway", () => {
  it("counts blocks and days above the reserve", () => {
    // (balance − reserve) / burn = (1e18 + 7200·6e9·10 − 1e18) / 6e9 = 72 000 blocks = 10 days.
    const balance = 1_000_000_000_000_000_000n + 432_000_000_000_000n;
    assert.equal(runwayBlocks(balance, 6_000_000_000n, 1_000_000_000_000_000_000n), 72_000n);
    assert.equal(runwayDays(balance, 6_000_000_000n, 1_000_000_000_000_000_000n, 7200), 10);
    assert.equal(runwayDays(balance, 6_000_000_000n, 1_000_000_000_000_000_000n, 17_280), 72_000 / 17_280);
    assert.equal(runwayBlocks(5n, 1n, 10n), 0n);
    assert.equal(runwayBlocks(5n, 0n, 0n), undefined);
  });
  it("burn for fractional days rounds up", () => {
    assert.equal(burnForDays(6_000_000_000n, 1, 7200), 43_200_000_000_000n);
    assert.equal(burnForDays(6_000_000_000n, 0.5, 7200), 21_600_000_000_000n);
    assert.equal(burnForDays(1n, 1 / 3, 1), 1n);
    assert.throws(() => burnForDays(1n, -1, 7200), RangeError);
  });
  it("funding for 30 days of 2 validators in an empty SSV-era cluster", () => {
    // burn 12e9/block; 30 days × 7200 = 216 000 blocks → 2.592e15; reserve max(1e18, 100 800 × 12e9 = 1.2096e15) = 1e18.
    const funding = fundingForRunway({
      era: "ssv-token",
      operatorFees: FEES,
      network: NETWORK,
      units: 2n,
      balance: 0n,
      days: 30,
      blocksPerDay: 7200,
    });
    assert.equal(funding.burnRate, 12_000_000_000n);
    assert.equal(funding.reserve, 1_000_000_000_000_000_000n);
    assert.equal(funding.target, 1_002_592_000_000_000_000n);
    assert.equal(funding.deposit, 1_002_592_000_000_000_000n);
  });
  it("funding subtracts the balance, never goes below zero, and rounds to the era's digits", () => {
    const base = {
      era: "eth" as const,
      operatorFees: [3n, 3n, 3n, 3n],
      network: { networkFee: 1n, liquidationThresholdPeriod: 10n, minimumLiquidationCollateral: 0n },
      units: 1n,
      days: 1,
      blocksPerDay: 7200,
    };
    // burn 13; runway 13 × 7200 = 93 600; reserve 130; target 93 730.
    assert.equal(fundingForRunway({ ...base, balance: 0n }).target, 93_730n);
    assert.equal(fundingForRunway({ ...base, balance: 0n }).deposit, 100_000n);
    assert.equal(fundingForRunway({ ...base, balance: 93_000n }).deposit, 100_000n);
    assert.equal(fundingForRunway({ ...base, balance: 93_730n }).deposit, 0n);
    assert.equal(fundingForRunway({ ...base, balance: 10n ** 18n }).deposit, 0n);
  });
  it("classifies liquidation risk", () => {
    const at = { burnRate: 10n, reserve: 1000n, units: 1n, thresholdDays: 7, blocksPerDay: 7200 };
    assert.equal(liquidationRisk({ ...at, active: false, balance: 10n ** 20n }), "liquidated");
    assert.equal(liquidationRisk({ ...at, active: true, balance: 999n }), "liquidatable");
    // 6 days of runway: 6 × 7200 × 10 = 432 000 above the reserve.
    assert.equal(liquidationRisk({ ...at, active: true, balance: 433_000n }), "below-threshold");
    assert.equal(liquidationRisk({ ...at, active: true, balance: 505_000n }), "ok");
    assert.equal(liquidationRisk({ ...at, active: true, balance: 0n, units: 0n }), "ok");
  });
});
