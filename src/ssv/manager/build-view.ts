import type { Address, Hex } from "viem";
import { clusterKey } from "../cluster.ts";
import type { OwnerSsvState } from "../cluster-state.ts";
import { burnRate, clusterUnits, liquidationReserve, type SsvNetworkFees } from "../fees.ts";
import type { ClusterMetric } from "../metrics.ts";
import { fundingForRunway, liquidationRisk, runwayDays } from "../runway.ts";
import type { ClusterView, KeyState, ManagerView, OperatorView } from "./view.ts";

export interface ViewInputs {
  head: bigint;
  now: number;
  state: OwnerSsvState;
  /** Each cluster's balance from the chain (getBalance), by cluster key; absent = liquidated / unknown (0). */
  balances: ReadonlyMap<string, bigint>;
  operators: ReadonlyMap<bigint, OperatorView>;
  keys: ReadonlyArray<{ publicKey: Hex; state: KeyState }>;
  mevEscrow: Address;
  era: Parameters<typeof fundingForRunway>[0]["era"];
  fees: SsvNetworkFees;
  blocksPerDay: number;
  /** --runway-days: what top-ups and reactivations fund. */
  runwayDays: number;
  /** --min-runway-days: the top-up threshold (liquidation risk 1 below it). */
  minRunwayDays: number;
}

/**
 * The round's view from the owner's state (events), the chain's balances and fees, and the
 * vault's keys: per cluster its runway now and what a deposit must bring for the validators that
 * stay (exited ones are about to be removed) to have the target runway; the metrics beside it.
 */
export function buildView(inputs: ViewInputs): { view: ManagerView; clusterMetrics: ClusterMetric[] } {
  const exited = new Set(
    inputs.keys.filter((k) => k.state === "exited-on-ssv").map((k) => k.publicKey.toLowerCase()),
  );
  const clusters: ClusterView[] = [];
  const clusterMetrics: ClusterMetric[] = [];
  for (const cluster of inputs.state.clusters()) {
    const key = clusterKey(cluster.operatorIds);
    const validators = [...cluster.validators] as Hex[];
    const staying = validators.filter((v) => !exited.has(v)).length;
    const balance = cluster.liquidated ? 0n : (inputs.balances.get(key) ?? 0n);
    const operatorFees = cluster.operatorIds.map((id) => inputs.operators.get(id)?.fee ?? 0n);
    const unitsNow = clusterUnits(validators.length, cluster.effectiveBalance);
    const burn = burnRate(operatorFees, inputs.fees.networkFee, unitsNow);
    const reserve = liquidationReserve(burn, inputs.fees, unitsNow);
    const days =
      validators.length === 0 ? undefined : runwayDays(balance, burn, reserve, inputs.blocksPerDay);
    const funding = fundingForRunway({
      era: inputs.era,
      operatorFees,
      network: inputs.fees,
      units: clusterUnits(staying, staying === validators.length ? cluster.effectiveBalance : undefined),
      balance,
      days: inputs.runwayDays,
      blocksPerDay: inputs.blocksPerDay,
    });
    clusters.push({
      key,
      operatorIds: cluster.operatorIds,
      validators,
      liquidated: cluster.liquidated,
      balance,
      runwayDays: days,
      amountForRunway: staying === 0 ? 0n : funding.deposit,
    });
    clusterMetrics.push({
      key,
      state: cluster.liquidated ? "liquidated" : validators.length === 0 ? "empty" : "active",
      runwayDays: days,
      risk: liquidationRisk({
        active: !cluster.liquidated,
        balance,
        burnRate: burn,
        reserve,
        units: unitsNow,
        thresholdDays: inputs.minRunwayDays,
        blocksPerDay: inputs.blocksPerDay,
      }),
    });
  }
  const view: ManagerView = {
    head: inputs.head,
    now: inputs.now,
    clusters,
    operators: inputs.operators,
    keys: inputs.keys.map((k) => ({
      publicKey: k.publicKey.toLowerCase() as Hex,
      state: k.state,
      lastRemovedBlock: inputs.state.lastRemovalBlock(k.publicKey),
    })),
    feeRecipient: inputs.state.feeRecipient,
    mevEscrow: inputs.mevEscrow,
  };
  return { view, clusterMetrics };
}
