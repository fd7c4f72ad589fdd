import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EndpointWatch } from "./endpoint-watch.ts";
import { serviceHealth } from "./service-health.ts";
import type { ServiceStatus } from "./service-status.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";

function parts(options: { lastSlotAt?: number; endpointProblems?: string[]; statusProblems?: string[] }) {
  const endpoints: EndpointWatch = {
    check: async () => {},
    problems: () => options.endpointProblems ?? [],
    states: () => [],
  };
  const status: ServiceStatus = {
    record: () => {},
    endRound: () => {},
    health: () => ({ problems: options.statusProblems ?? [], tasks: {} }),
  };
  return {
    liveness: { vault: VAULT, startedAt: 0, lastSlot: 9, lastSlotAt: options.lastSlotAt ?? 100_000 },
    secondsPerSlot: 12,
    endpoints,
    status,
    now: () => 110_000,
  } as const;
}

describe("service health", () => {
  it("is healthy while the loop runs, an endpoint of each kind answers and rounds succeed", () => {
    const report = serviceHealth(parts({}));
    assert.equal(report.ok, true);
    assert.equal(report.details?.reason, undefined);
    assert.equal(report.details?.lastSlot, 9);
  });

  it("is unhealthy, with every reason in one line, when the loop stalls, endpoints are down or rounds fail", () => {
    const report = serviceHealth(
      parts({
        lastSlotAt: 0,
        endpointProblems: ["no execution endpoint answers: http://el:8545 refused the connection"],
        statusProblems: ["the last 5 rounds failed (registration: HTTP 502)"],
      }),
    );
    assert.equal(report.ok, false);
    assert.equal(
      report.details?.reason,
      "no slot began for 110 s (limit 5 slots); no execution endpoint answers: http://el:8545 refused the connection; the last 5 rounds failed (registration: HTTP 502)",
    );
  });
});
