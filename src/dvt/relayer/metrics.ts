import { Counter, Gauge, Registry } from "prom-client";
import { VERSION } from "../../version.ts";

/** The relayer's metrics, one object from one factory (`sw_relayer_`, labelled by network). */
export function createRelayerMetrics(options: { network: string }) {
  const registry = new Registry();
  registry.setDefaultLabels({ network: options.network });
  const registers = [registry];
  new Gauge({
    name: "sw_relayer_app_version_info",
    help: "Version of the relayer",
    labelNames: ["version"],
    registers,
  }).set({ version: VERSION }, 1);
  return {
    registry,
    sharesReceived: new Counter({
      name: "sw_relayer_signature_shares_received_total",
      help: "Signature shares verified and stored, by kind",
      labelNames: ["kind"],
      registers,
    }),
    sharesRejected: new Counter({
      name: "sw_relayer_signature_shares_rejected_total",
      help: "Share requests refused, by reason",
      labelNames: ["reason"],
      registers,
    }),
    recoveries: new Counter({
      name: "sw_relayer_signatures_recovered_total",
      help: "Full signatures recovered and verified, by kind",
      labelNames: ["kind"],
      registers,
    }),
    validators: new Gauge({
      name: "sw_relayer_validators",
      help: "Validator records by state (waiting for shares, ready)",
      labelNames: ["state"],
      registers,
    }),
    endpointUp: new Gauge({
      name: "sw_relayer_endpoint_up",
      help: "1 while the endpoint passes the node check, else 0",
      labelNames: ["kind", "endpoint"],
      registers,
    }),
    upkeepSeconds: new Gauge({
      name: "sw_relayer_last_upkeep_timestamp_seconds",
      help: "When the upkeep loop (deposit scan, recovery, cleanup) last completed",
      registers,
    }),
  };
}

export type RelayerMetrics = ReturnType<typeof createRelayerMetrics>;
