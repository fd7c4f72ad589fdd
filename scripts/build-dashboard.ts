/**
 * Writes grafana/operator-dashboard.json from the service's metric names (npm run build:dashboard),
 * so the dashboard never refers to a metric the service does not export.
 */
import { writeFileSync } from "node:fs";
import { createMetrics } from "../src/operator/metrics.ts";

const metrics = createMetrics({ network: "mainnet" });
const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
const has = (name: string) => {
  if (!names.includes(name))
    throw new Error(`the dashboard refers to ${name}, which the service does not export`);
  return name;
};

const panels: Array<{ title: string; expr: string; unit?: string; type?: "timeseries" | "stat" }> = [
  { title: "Service started", expr: has("sw_operator_service_started"), type: "stat" },
  {
    title: "Validators registered",
    expr: `increase(${has("sw_operator_validators_registered_total")}[1d])`,
    type: "stat",
  },
  { title: "Stakeable assets (ETH)", expr: `${has("sw_operator_stakeable_assets_gwei")} / 1e9` },
  { title: "Hot wallet balance (ETH)", expr: `${has("sw_operator_wallet_balance_gwei")} / 1e9` },
  { title: "Waiting for", expr: `sum by (reason) (${has("sw_operator_waiting")}) > 0` },
  { title: "Unused validator keys", expr: has("sw_operator_unused_validator_keys") },
  { title: "Outdated exit signatures", expr: has("sw_operator_outdated_signatures") },
  {
    title: "Registrations by outcome",
    expr: `sum by (outcome) (increase(${has("sw_operator_registrations_total")}[1h]))`,
  },
  {
    title: "Oracle failures",
    expr: `sum by (oracle) (increase(${has("sw_operator_oracle_failures_total")}[1h]))`,
  },
  { title: "Task errors", expr: `sum by (task) (increase(${has("sw_operator_exception_count")}[1h]))` },
  {
    title: "Task duration p95 (s)",
    expr: `histogram_quantile(0.95, sum by (le, task) (rate(${has("sw_operator_task_duration_seconds")}_bucket[15m])))`,
  },
  { title: "Skipped slots", expr: `increase(${has("sw_operator_skipped_slots_total")}[1h])` },
  { title: "Failed rounds in a row", expr: has("sw_operator_failed_rounds") },
  { title: "Endpoints up", expr: `${has("sw_operator_endpoint_up")}` },
  { title: "Block / slot", expr: `${has("sw_operator_block_number")}` },
];

const dashboard = {
  title: "vault-operator",
  uid: "vault-operator",
  schemaVersion: 39,
  time: { from: "now-24h", to: "now" },
  templating: {
    list: [
      {
        name: "network",
        type: "query",
        query: "label_values(sw_operator_service_started, network)",
        refresh: 1,
      },
    ],
  },
  panels: panels.map((p, i) => ({
    id: i + 1,
    type: p.type ?? "timeseries",
    title: p.title,
    gridPos: { x: (i % 3) * 8, y: Math.floor(i / 3) * 8, w: 8, h: 8 },
    targets: [
      { refId: "A", expr: p.expr.replace(/(sw_operator_[a-z_]+)(?![a-z_{])/g, '$1{network="$network"}') },
    ],
  })),
};
writeFileSync(
  new URL("../grafana/operator-dashboard.json", import.meta.url),
  `${JSON.stringify(dashboard, null, 2)}\n`,
);
