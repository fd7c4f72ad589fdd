import { Counter, Gauge, Registry } from "prom-client";
import { VERSION } from "../../version.ts";

/** Every metric of `operator sidecar`, under `sw_sidecar_`, labelled by network and share index. */
export function createSidecarMetrics(options: { network: string; shareIndex: number; prefix?: string }) {
  const registry = new Registry();
  const p = options.prefix ?? "sw_sidecar_";
  registry.setDefaultLabels({ network: options.network, share_index: String(options.shareIndex) });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name: `${p}${name}`, help, labelNames, registers: [registry] });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name: `${p}${name}`, help, labelNames, registers: [registry] });
  gauge("app_version_info", "Version of the operator", ["version"]).set({ version: VERSION }, 1);
  return {
    registry,
    serviceStarted: gauge("service_started", "1 once startup checks passed"),
    keyShares: gauge("key_shares", "Validator key shares this sidecar holds"),
    signed: counter("signatures_signed_total", "Signature shares made, by kind (exit, deposit)", ["kind"]),
    posted: counter("signatures_posted_total", "Signature shares the relayer accepted"),
    errors: counter("errors_total", "Failed steps, by stage (poll, post, ssv_sync)", ["stage"]),
    skippedItems: counter("relayer_items_skipped_total", "Relayer items that did not parse"),
    lastPollTimestamp: gauge("last_poll_timestamp_seconds", "Unix time of the last successful relayer poll"),
    ssvCheckpoint: gauge("ssv_checkpoint_block", "Last block scanned for ValidatorAdded events (SSV)"),
  };
}

export type SidecarMetrics = ReturnType<typeof createSidecarMetrics>;
