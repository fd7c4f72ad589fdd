import { errorLine } from "../../lib/errors.ts";
import { EndpointRequestError } from "../../lib/http/errors.ts";
import { httpJson } from "../../lib/http/request.ts";
import { redactUrl } from "../../lib/sanitize.ts";

/** What a running service said about its last round (GET /health), as `status` shows it. */
export interface RunningService {
  /** The /health URL asked (redacted); null when --enable-metrics was not given. */
  health: string | null;
  /** Whether a service answered there; null when not asked. */
  running: boolean | null;
  healthy: boolean | null;
  lastSlot: number | null;
  /** Each task's state after the service's last round (ok, waiting for …, failed), as /health has it. */
  tasks: Record<string, { state: string; waitingFor?: string; reason?: string }> | null;
  error: string | null;
}

const NOT_ASKED: RunningService = {
  health: null,
  running: null,
  healthy: null,
  lastSlot: null,
  tasks: null,
  error: null,
};

/**
 * Asks the service's /health, where `start --enable-metrics` with the same --metrics-host and
 * --metrics-port serves it, for its last round. The service keeps its round outcomes in memory:
 * this is the only place they are. A 503 is a running, unhealthy service; no answer, none running.
 */
export async function readRunningService(p: {
  enableMetrics: boolean;
  metricsHost: string;
  metricsPort: number;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<RunningService> {
  if (!p.enableMetrics) return NOT_ASKED;
  const host =
    p.metricsHost === "0.0.0.0"
      ? "127.0.0.1"
      : p.metricsHost.includes(":")
        ? `[${p.metricsHost}]`
        : p.metricsHost;
  const base = `http://${host}:${p.metricsPort}`;
  const health = `${redactUrl(base)}/health`;
  let body: unknown;
  let healthy = true;
  try {
    body = await httpJson(base, "/health", { timeoutMs: p.timeoutMs, signal: p.signal });
  } catch (error) {
    if (error instanceof EndpointRequestError && error.status === 503 && error.body) {
      healthy = false;
      try {
        body = JSON.parse(error.body);
      } catch {
        body = undefined;
      }
    } else {
      return { ...NOT_ASKED, health, running: false, error: errorLine(error) };
    }
  }
  const details = (body as { details?: Record<string, unknown> } | undefined)?.details ?? {};
  const lastSlot = typeof details.lastSlot === "number" ? details.lastSlot : null;
  const tasks =
    details.tasks && typeof details.tasks === "object"
      ? Object.fromEntries(
          Object.entries(details.tasks as Record<string, Record<string, unknown>>).map(([name, t]) => [
            name,
            {
              state: String(t.state),
              ...(typeof t.waitingFor === "string" ? { waitingFor: t.waitingFor } : {}),
              ...(typeof t.reason === "string" ? { reason: t.reason } : {}),
            },
          ]),
        )
      : null;
  return { health, running: true, healthy, lastSlot, tasks, error: null };
}
