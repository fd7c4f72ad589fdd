import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address, Hex } from "viem";
import { OwnerSsvState } from "../cluster-state.ts";
import type { SsvEvent } from "../ssv-event-types.ts";
import { buildView, type ViewInputs } from "./build-view.ts";

const OWNER = "0x00000000000000000000000000000000000000a1" as Address;
const ESCROW = "0x00000000000000000000000000000000000000e5" as Address;
const pk = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}` as Hex;
const IDS = [1n, 2n, 3n, 4n];
const snapshot = (validatorCount: number, balance: bigint, active = true) => ({
  validatorCount,
  networkFeeIndex: 0n,
  index: 0n,
  active,
  balance,
});
const added = (block: number, key: Hex, count: number, balance: bigint): SsvEvent =>
  ({
    name: "ValidatorAdded",
    owner: OWNER,
    operatorIds: IDS,
    publicKey: key,
    shares: "0x",
    cluster: snapshot(count, balance),
    blockNumber: BigInt(block),
    transactionIndex: 0,
    logIndex: 0,
  }) as SsvEvent;

const inputs = (state: OwnerSsvState, over: Partial<ViewInputs> = {}): ViewInputs => ({
  head: 100n,
  now: 0,
  state,
  balances: new Map([["1,2,3,4", 0n]]),
  operators: new Map(IDS.map((id) => [id, { id, fee: 10n ** 9n, removed: false, isActive: true }])),
  keys: [
    { publicKey: pk(1), state: "on-ssv" },
    { publicKey: pk(2), state: "exited-on-ssv" },
  ],
  mevEscrow: ESCROW,
  era: "eth",
  fees: { networkFee: 10n ** 9n, liquidationThresholdPeriod: 100n, minimumLiquidationCollateral: 10n ** 12n },
  blocksPerDay: 7200,
  runwayDays: 90,
  minRunwayDays: 30,
  ...over,
});

describe("buildView", () => {
  it("computes runway now and the deposit that gives the staying validators the target runway", () => {
    const state = new OwnerSsvState(OWNER);
    state.applyChunk([added(10, pk(1), 1, 0n), added(11, pk(2), 2, 0n)], 11n);
    // Burn per block: (4 + 1) gwei per validator; two validators now, one stays.
    const burn2 = 10n * 10n ** 9n;
    const reserve2 = 10n ** 12n; // max(1e12, 100 × 1e10)
    const balance = reserve2 + burn2 * 7200n * 10n; // ten days above the reserve
    const { view, clusterMetrics } = buildView(inputs(state, { balances: new Map([["1,2,3,4", balance]]) }));
    const cluster = view.clusters[0];
    assert.equal(cluster?.runwayDays, 10);
    // One validator for 90 days plus its reserve, less the balance.
    const target = 5n * 10n ** 9n * 7200n * 90n + 10n ** 12n;
    assert.equal(cluster?.amountForRunway, target - balance);
    assert.deepEqual(clusterMetrics, [
      { key: "1,2,3,4", state: "active", runwayDays: 10, risk: "below-threshold" },
    ]);
    assert.deepEqual(
      view.keys.map((k) => k.state),
      ["on-ssv", "exited-on-ssv"],
    );
    assert.equal(view.feeRecipient, undefined);
  });

  it("a liquidated cluster has no balance and risk 3; an empty one needs no deposit", () => {
    const state = new OwnerSsvState(OWNER);
    state.applyChunk(
      [
        added(10, pk(1), 1, 0n),
        {
          name: "ClusterLiquidated",
          owner: OWNER,
          operatorIds: IDS,
          cluster: snapshot(1, 0n, false),
          blockNumber: 12n,
          transactionIndex: 0,
          logIndex: 0,
        } as SsvEvent,
      ],
      12n,
    );
    const { view, clusterMetrics } = buildView(inputs(state, { balances: new Map([["1,2,3,4", 5n]]) }));
    assert.equal(view.clusters[0]?.liquidated, true);
    assert.equal(view.clusters[0]?.balance, 0n);
    assert.ok((view.clusters[0]?.amountForRunway ?? 0n) > 10n ** 12n);
    assert.equal(clusterMetrics[0]?.risk, "liquidated");
  });
});
