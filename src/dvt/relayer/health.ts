import type { HealthReport } from "../../lib/metrics-server.ts";
import type { RelayerStore } from "./store.ts";

/** Slots the upkeep loop may go without completing (a slow node, a long scan) before /health says 503. */
export const RELAYER_HEALTHY_SLOT_LAG = 5;

/** The execution and consensus endpoints, checked every slot (start's endpoint watch fits). */
export interface EndpointHealth {
  check(): Promise<void>;
  /** One line per kind whose endpoints all fail; empty when each kind has one that answers. */
  problems(): string[];
  states(): unknown[];
}

/** What the upkeep loop reports after each pass. */
export interface UpkeepLiveness {
  startedAt: number;
  /** When a pass last completed without an error (ms). */
  lastSuccessAt: number | undefined;
  /** The last pass's error, one line; undefined after a good pass. */
  lastError: string | undefined;
}

export interface RelayerHealthParts {
  liveness: UpkeepLiveness;
  secondsPerSlot: number;
  store: Pick<RelayerStore, "ping">;
  endpoints: EndpointHealth | undefined;
  now?: () => number;
}

/**
 * GET /health for the relayer: unhealthy (503) when the store does not answer, when no execution or
 * no consensus endpoint answers, or when the upkeep loop (deposit scan, recovery, cleanup) has not
 * completed a pass for RELAYER_HEALTHY_SLOT_LAG slots; `reason` says which, in one line.
 */
export async function relayerHealth(parts: RelayerHealthParts): Promise<HealthReport> {
  const { liveness } = parts;
  const now = (parts.now ?? Date.now)();
  const since = liveness.lastSuccessAt ?? liveness.startedAt;
  const ageSeconds = Math.round((now - since) / 1000);
  const problems: string[] = [];
  try {
    await parts.store.ping();
  } catch (error) {
    problems.push(`the relayer's database does not answer: ${(error as Error)?.message ?? error}`);
  }
  problems.push(...(parts.endpoints?.problems() ?? []));
  if (now - since > RELAYER_HEALTHY_SLOT_LAG * parts.secondsPerSlot * 1000) {
    const cause = liveness.lastError ? `; last error: ${liveness.lastError}` : "";
    problems.push(
      `no upkeep pass completed for ${ageSeconds} s (limit ${RELAYER_HEALTHY_SLOT_LAG} slots)${cause}`,
    );
  }
  return {
    ok: problems.length === 0,
    details: {
      ...(problems.length > 0 ? { reason: problems.join("; ") } : {}),
      secondsSinceLastUpkeep: ageSeconds,
      ...(liveness.lastError ? { lastUpkeepError: liveness.lastError } : {}),
      endpoints: parts.endpoints?.states() ?? [],
    },
  };
}
