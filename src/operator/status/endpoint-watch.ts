import { checkConsensusEndpoint } from "../../chain/consensus-client.ts";
import type { EndpointStatus } from "../../chain/endpoints.ts";
import { checkExecutionEndpoint } from "../../chain/execution-client.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { Logger } from "../../lib/logger.ts";
import { redactUrl } from "../../lib/sanitize.ts";

export type EndpointKind = "execution" | "consensus";

/** One endpoint and the check that tells whether it answers as a node of the network should. */
export interface WatchedEndpoint {
  kind: EndpointKind;
  /** Redacted: scheme, host and port only. */
  endpoint: string;
  /** The startup check of one endpoint, run again: never throws, says why it is not healthy. */
  check(): Promise<EndpointStatus>;
}

/** How long one endpoint's re-check may take. */
const WATCH_CHECK_TIMEOUT_MS = 5_000;

/**
 * The execution and consensus endpoints of a service, each with its startup check, for the watch
 * (start, ssv-manager and the relayer watch the same way).
 */
export function watchedNodeEndpoints(
  executionEndpoints: readonly string[],
  consensusEndpoints: readonly string[],
  network: NetworkConfig,
  execution: { jwtSecret?: Uint8Array | undefined } = {},
): WatchedEndpoint[] {
  const timeout = { timeoutMs: WATCH_CHECK_TIMEOUT_MS };
  return [
    ...executionEndpoints.map((url) => ({
      kind: "execution" as const,
      endpoint: redactUrl(url),
      check: () => checkExecutionEndpoint(url, network, { ...timeout, jwtSecret: execution.jwtSecret }),
    })),
    ...consensusEndpoints.map((url) => ({
      kind: "consensus" as const,
      endpoint: redactUrl(url),
      check: () => checkConsensusEndpoint(url, network, timeout),
    })),
  ];
}

export interface EndpointWatchOptions {
  endpoints: readonly WatchedEndpoint[];
  log: Logger;
  metrics: { endpointUp: { set(labels: { kind: string; endpoint: string }, value: number): void } };
  /** How often an endpoint that stays down is reported again: one epoch. */
  repeatMs: number;
  now?: () => number;
}

interface EndpointState {
  up: boolean;
  problem: string | undefined;
  since: number;
  loggedAt: number;
}

export interface EndpointWatch {
  /** Checks every endpoint at once; logs each one that went down or came back. */
  check(): Promise<void>;
  /** One line per kind whose endpoints are all down (empty when each kind has one that answers). */
  problems(): string[];
  /** Each endpoint's last state, for /health. */
  states(): Array<{ kind: EndpointKind; endpoint: string; up: boolean; problem?: string; since: number }>;
}

/**
 * Watches the execution and consensus endpoints between startup checks: the same checks, run every
 * slot, so the operator hears once when an endpoint goes down (and why) and once when it is back,
 * and /health turns unhealthy when no endpoint of a kind answers.
 */
export function createEndpointWatch(options: EndpointWatchOptions): EndpointWatch {
  const { log, metrics } = options;
  const now = options.now ?? Date.now;
  const states = new Map<WatchedEndpoint, EndpointState>();

  const record = (watched: WatchedEndpoint, status: EndpointStatus) => {
    const t = now();
    const previous = states.get(watched);
    const { kind, endpoint } = watched;
    metrics.endpointUp.set({ kind, endpoint }, status.healthy ? 1 : 0);
    if (status.healthy) {
      if (previous && !previous.up) log.info(`${kind} endpoint answers again`, { endpoint });
      if (!previous?.up) states.set(watched, { up: true, problem: undefined, since: t, loggedAt: t });
      return;
    }
    const problem = status.problem ?? "not ready";
    const wentDown = previous === undefined || previous.up;
    const state: EndpointState = wentDown
      ? { up: false, problem, since: t, loggedAt: 0 }
      : { ...previous, problem };
    if (wentDown || problem !== previous.problem || t - state.loggedAt >= options.repeatMs) {
      log.warn(`${kind} endpoint is down`, {
        endpoint,
        problem,
        ...(wentDown ? {} : { downSeconds: Math.round((t - state.since) / 1000) }),
      });
      state.loggedAt = t;
    }
    states.set(watched, state);
  };

  return {
    async check() {
      await Promise.all(
        options.endpoints.map(async (watched) => {
          const status = await watched.check().catch(
            (error: unknown): EndpointStatus => ({
              endpoint: watched.endpoint,
              healthy: false,
              problem: String((error as Error)?.message ?? error),
            }),
          );
          record(watched, status);
        }),
      );
    },
    problems() {
      const problems: string[] = [];
      for (const kind of ["execution", "consensus"] as const) {
        const watched = options.endpoints.filter((w) => w.kind === kind);
        const down = watched.map((w) => ({ w, s: states.get(w) })).filter(({ s }) => s && !s.up);
        if (watched.length > 0 && down.length === watched.length) {
          problems.push(
            `no ${kind} endpoint answers: ${down.map(({ w, s }) => `${w.endpoint} ${s?.problem}`).join("; ")}`,
          );
        }
      }
      return problems;
    },
    states() {
      return options.endpoints.flatMap((w) => {
        const s = states.get(w);
        if (!s) return [];
        return [
          {
            kind: w.kind,
            endpoint: w.endpoint,
            up: s.up,
            since: s.since,
            ...(s.problem ? { problem: s.problem } : {}),
          },
        ];
      });
    },
  };
}
