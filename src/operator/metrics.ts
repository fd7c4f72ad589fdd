import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { VERSION } from "../version.ts";

/**
 * Every metric of the service, created in one place (spec §6.9 names under the `sw_operator_`
 * namespace, labelled by network), plus registration outcomes, oracle failures and loop durations.
 */
export function createMetrics(options: { network: string; prefix?: string }) {
  const registry = new Registry();
  const p = options.prefix ?? "sw_operator_";
  registry.setDefaultLabels({ network: options.network });
  const make = {
    gauge: (name: string, help: string, labelNames: string[] = []) =>
      new Gauge({ name: `${p}${name}`, help, labelNames, registers: [registry] }),
    counter: (name: string, help: string, labelNames: string[] = []) =>
      new Counter({ name: `${p}${name}`, help, labelNames, registers: [registry] }),
  };
  const appVersion = make.gauge("app_version_info", "Version of the operator", ["version"]);
  appVersion.set({ version: VERSION }, 1);
  return {
    registry,
    serviceStarted: make.gauge("service_started", "1 once startup checks passed"),
    leader: make.gauge(
      "leader",
      "1 while this replica holds the leader lock of start --db-url (always 1 with operator.db), else 0",
    ),
    blockNumber: make.gauge("block_number", "Latest execution block seen"),
    slotNumber: make.gauge("slot_number", "Current beacon slot"),
    walletBalance: make.gauge("wallet_balance_gwei", "Hot wallet balance in gwei (whole gwei)"),
    stakeableAssets: make.gauge(
      "stakeable_assets_gwei",
      "Vault assets available for new validators, in gwei of the vault's asset (whole gwei)",
    ),
    unusedValidatorKeys: make.gauge("unused_validator_keys", "Deposit data entries not registered yet"),
    outdatedSignatures: make.gauge("outdated_signatures", "Validators whose exit signatures are outdated"),
    lastRegistrationBlock: make.gauge("last_registration_block", "Block of the last registration"),
    registrations: make.counter("registrations_total", "Registration transactions by outcome", ["outcome"]),
    validatorsRegistered: make.counter(
      "validators_registered_total",
      "Validators registered by this service",
    ),
    topUps: make.counter("top_ups_total", "Top-up (fundValidators) transactions by outcome", ["outcome"]),
    validatorsFunded: make.counter("validators_funded_total", "0x02 validators topped up by this service"),
    oracleFailures: make.counter("oracle_failures_total", "Oracle requests that failed, by oracle", [
      "oracle",
    ]),
    exceptions: make.counter(
      "exception_count",
      "Task runs that failed with an error (waiting for assets, keys, gas, funds or oracles is not one)",
      ["task"],
    ),
    waiting: make.gauge("waiting", "1 while a task waits for this reason, else 0", ["task", "reason"]),
    failedRounds: make.gauge(
      "failed_rounds",
      "Consecutive slots in which a task failed (0 after one without)",
    ),
    endpointUp: make.gauge("endpoint_up", "1 while the endpoint passes the node check, else 0", [
      "kind",
      "endpoint",
    ]),
    taskDuration: new Histogram({
      name: `${p}task_duration_seconds`,
      help: "Duration of one run of a service task",
      labelNames: ["task"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    skippedSlots: make.counter(
      "skipped_slots_total",
      "Slots a task missed because its previous run overran",
      ["task"],
    ),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
