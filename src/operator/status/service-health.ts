import type { HealthReport } from "../../lib/metrics-server.ts";
import type { EndpointWatch } from "./endpoint-watch.ts";
import type { ServiceStatus } from "./service-status.ts";

/** When the slot loop last began a slot. */
export interface Liveness {
  vault: `0x${string}`;
  startedAt: number;
  lastSlot: number | undefined;
  lastSlotAt: number | undefined;
}

/** Slots the loop may miss (a slow node, a long registration) before /health says 503. */
export const HEALTHY_SLOT_LAG = 5;

export interface ServiceHealthParts {
  liveness: Liveness;
  secondsPerSlot: number;
  endpoints: EndpointWatch;
  status: ServiceStatus;
  now?: () => number;
}

/**
 * What GET /health answers: unhealthy (503) when the slot loop stalled, when no execution or no
 * consensus endpoint answers, or when the last rounds all failed; `reason` says which, in one line.
 * Waiting (for assets, keys, funds, gas, oracles) is healthy: the service does what it should.
 */
export function serviceHealth(parts: ServiceHealthParts): HealthReport {
  const { liveness } = parts;
  const now = (parts.now ?? Date.now)();
  const since = liveness.lastSlotAt ?? liveness.startedAt;
  const ageSeconds = Math.round((now - since) / 1000);
  const problems: string[] = [];
  if (now - since > HEALTHY_SLOT_LAG * parts.secondsPerSlot * 1000) {
    problems.push(`no slot began for ${ageSeconds} s (limit ${HEALTHY_SLOT_LAG} slots)`);
  }
  problems.push(...parts.endpoints.problems());
  const status = parts.status.health();
  problems.push(...status.problems);
  return {
    ok: problems.length === 0,
    details: {
      vault: liveness.vault,
      ...(problems.length > 0 ? { reason: problems.join("; ") } : {}),
      lastSlot: liveness.lastSlot ?? null,
      secondsSinceLastSlot: ageSeconds,
      tasks: status.tasks,
      endpoints: parts.endpoints.states(),
    },
  };
}
