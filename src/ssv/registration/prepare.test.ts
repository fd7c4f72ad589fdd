import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address, Hex } from "viem";
import { OwnerSsvState } from "../cluster-state.ts";
import type { OperatorCandidate } from "../selection.ts";
import type { SsvNetworkParams } from "../ssv-chain.ts";
import { InsufficientSsvFundsError } from "./plan.ts";
import { type PrepareSsvRegistrationInputs, prepareSsvRegistration } from "./prepare.ts";

const OWNER: Address = "0x00000000000000000000000000000000000000aa";
const key = (n: number): Hex => `0x${n.toString(16).padStart(96, "0")}`;
const candidate = (id: number, fee: bigint, extra: Partial<OperatorCandidate> = {}): OperatorCandidate => ({
  id: BigInt(id),
  fee,
  validatorCount: 0,
  isActive: true,
  isPrivate: false,
  removed: false,
  publicKey: `key-${id}`,
  ...extra,
});
const PARAMS: SsvNetworkParams = {
  networkFee: 10_000_000n,
  liquidationThresholdPeriod: 100n,
  minimumLiquidationCollateral: 10n ** 18n,
  validatorsPerOperatorLimit: 500,
};
const inputs = (over: Partial<PrepareSsvRegistrationInputs> = {}): PrepareSsvRegistrationInputs => ({
  owner: OWNER,
  era: "ssv-token",
  keys: [key(1), key(2), key(3)],
  candidates: [1, 2, 3, 4, 5, 6].map((id) => candidate(id, BigInt(id) * 10_000_000n)),
  state: new OwnerSsvState(OWNER),
  params: PARAMS,
  selection: { clusterSize: 4 },
  balances: new Map(),
  runwayDays: 10,
  blocksPerDay: 100,
  funds: { ssv: 10n ** 20n, allowance: 0n, eth: 10n ** 18n },
  ...over,
});

describe("prepareSsvRegistration", () => {
  it("selects a new cluster and funds the runway of all the new keys plus the reserve", () => {
    const { selection, funding, plan } = prepareSsvRegistration(inputs());
    assert.deepEqual(selection.operatorIds, [1n, 2n, 3n, 4n]);
    // (fees 1+2+3+4 + network 1) × 10^7 × 3 units × 100 blocks × 10 days + the collateral floor.
    const burn = 11n * 10_000_000n * 3n;
    assert.equal(funding.burnRate, burn);
    assert.equal(funding.deposit, burn * 1000n + 10n ** 18n);
    assert.equal(plan.amount, funding.deposit);
    assert.deepEqual(
      plan.chunks.map((c) => [c.keys.length, c.firstNonce]),
      [[3, 0]],
    );
    assert.equal(plan.approve, funding.deposit);
    assert.equal(plan.existingCluster, false);
  });

  it("honours pins and exclusions, and the one-line refusal of too little SSV", () => {
    const { selection } = prepareSsvRegistration(
      inputs({ selection: { clusterSize: 4, pinned: [6n], excluded: [1n] } }),
    );
    assert.deepEqual(selection.operatorIds, [2n, 3n, 4n, 6n]);
    assert.throws(
      () => prepareSsvRegistration(inputs({ funds: { ssv: 1n, allowance: 0n, eth: 0n } })),
      InsufficientSsvFundsError,
    );
  });
});
