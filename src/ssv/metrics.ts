import { Counter, Gauge, Registry } from "prom-client";
import { VERSION } from "../version.ts";

/** Liquidation risk as a number for the gauge: 0 ok, 1 below the top-up threshold, 2 liquidatable, 3 liquidated. */
export const LIQUIDATION_RISK = { ok: 0, "below-threshold": 1, liquidatable: 2, liquidated: 3 } as const;
export type LiquidationRiskLevel = keyof typeof LIQUIDATION_RISK;

/** The states of a vault key the validators gauge counts. */
export const SSV_KEY_STATES = ["on-ssv", "due", "next", "exited-on-ssv"] as const;

/**
 * Every metric of `operator ssv-manager`, in one object, under `sw_ssv_` and labelled by network.
 * Per-cluster gauges are labelled by the cluster's operator ids ("1,2,3,4").
 */
export function createSsvMetrics(options: { network: string; prefix?: string }) {
  const registry = new Registry();
  const p = options.prefix ?? "sw_ssv_";
  registry.setDefaultLabels({ network: options.network });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name: `${p}${name}`, help, labelNames, registers: [registry] });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name: `${p}${name}`, help, labelNames, registers: [registry] });
  gauge("app_version_info", "Version of the operator", ["version"]).set({ version: VERSION }, 1);
  return {
    registry,
    serviceStarted: gauge("service_started", "1 once startup checks passed"),
    clusters: gauge("clusters", "The owner's clusters by state (active, liquidated, empty)", ["state"]),
    runwayDays: gauge(
      "cluster_runway_days",
      "Days until the cluster's balance reaches its liquidation reserve",
      ["cluster"],
    ),
    liquidationRisk: gauge(
      "cluster_liquidation_risk",
      "0 ok, 1 runway below --min-runway-days, 2 liquidatable, 3 liquidated",
      ["cluster"],
    ),
    validators: gauge("validators", "The vault's keys by SSV state (on-ssv, due, next, exited-on-ssv)", [
      "state",
    ]),
    transactions: counter("transactions_total", "SSV transactions by kind and outcome", ["kind", "outcome"]),
    rounds: counter("rounds_total", "Manager rounds by outcome (ok, failed)", ["outcome"]),
    lastRoundTimestamp: gauge("last_round_timestamp_seconds", "Unix time when the last round ended"),
    lastRoundOk: gauge("last_round_ok", "1 when the last round ended without an error, else 0"),
    exceptions: counter("exception_count", "Task runs that failed with an error", ["task"]),
    waiting: gauge("waiting", "1 while a task waits for this reason, else 0", ["task", "reason"]),
    failedRounds: gauge("failed_rounds", "Consecutive rounds that failed (0 after one without)"),
    endpointUp: gauge("endpoint_up", "1 while the endpoint passes the node check, else 0", [
      "kind",
      "endpoint",
    ]),
    skippedSlots: counter("skipped_rounds_total", "Rounds missed because the previous one overran", ["task"]),
  };
}

export type SsvMetrics = ReturnType<typeof createSsvMetrics>;

export interface ClusterMetric {
  key: string;
  state: "active" | "liquidated" | "empty";
  runwayDays: number | undefined;
  risk: LiquidationRiskLevel;
}

/** Replaces the per-cluster gauges with this round's clusters (a withdrawn cluster's series goes away). */
export function recordClusters(metrics: SsvMetrics, clusters: readonly ClusterMetric[]): void {
  metrics.runwayDays.reset();
  metrics.liquidationRisk.reset();
  const byState = { active: 0, liquidated: 0, empty: 0 };
  for (const cluster of clusters) {
    byState[cluster.state] += 1;
    if (cluster.runwayDays !== undefined && Number.isFinite(cluster.runwayDays)) {
      metrics.runwayDays.set({ cluster: cluster.key }, cluster.runwayDays);
    }
    metrics.liquidationRisk.set({ cluster: cluster.key }, LIQUIDATION_RISK[cluster.risk]);
  }
  for (const [state, count] of Object.entries(byState)) metrics.clusters.set({ state }, count);
}

/** Sets the validators gauge from the keys' states. */
export function recordKeyStates(metrics: SsvMetrics, states: readonly string[]): void {
  for (const state of SSV_KEY_STATES)
    metrics.validators.set({ state }, states.filter((s) => s === state).length);
}
