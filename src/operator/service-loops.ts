import { type Clock, runEverySlot } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Metrics } from "./metrics.ts";
import type { EndpointWatch } from "./status/endpoint-watch.ts";
import type { ServiceStatus } from "./status/service-status.ts";

export interface ServiceLoopsParameters {
  clock: Clock;
  /** Aborting stops both loops; this resolves once the in-flight round settled. */
  signal: AbortSignal;
  /** One slot's round (see slot-round.ts). */
  round: (slot: number, signal: AbortSignal) => Promise<void>;
  endpoints: Pick<EndpointWatch, "check">;
  metrics: Pick<Metrics, "skippedSlots">;
  status: Pick<ServiceStatus, "record">;
  log: Logger;
  /** How often a failing endpoint watch may warn: one epoch. */
  epochMs: number;
}

/**
 * The service's two loops, each once per slot and never overlapping itself: the round (settle,
 * snapshot, tasks) and, beside it, the endpoint watch, so that /health stays true while a round
 * waits on a slow node.
 */
export async function runServiceLoops(p: ServiceLoopsParameters): Promise<void> {
  const { clock, signal, log } = p;
  await Promise.all([
    runEverySlot(p.round, {
      clock,
      signal,
      name: "slot",
      logger: log,
      onSkipped: (skipped) => p.metrics.skippedSlots.inc({ task: "slot" }, skipped),
      onError: (error) => p.status.record("slot", { kind: "failed", error }),
    }),
    runEverySlot(() => p.endpoints.check(), {
      clock,
      signal,
      name: "endpoint-watch",
      logger: log,
      onError: (error) => log.throttled("endpoint-watch", p.epochMs).warn("endpoint watch failed", {}, error),
    }),
  ]);
}
