import { setTimeout as delay } from "node:timers/promises";
import Fastify from "fastify";
import { OperatorError } from "../../lib/errors.ts";
import { listenOnLoopback } from "../loopback-server.ts";
import { registerBlockRoutes } from "./api-blocks.ts";
import type { ApiContext } from "./api-context.ts";
import { registerNodeRoutes } from "./api-node.ts";
import { registerPendingRoutes } from "./api-pending.ts";
import { registerPoolRoutes } from "./api-pool.ts";
import { registerStateRoutes } from "./api-states.ts";
import type { BeaconState } from "./beacon-state.ts";
import { BeaconApiError } from "./errors.ts";
import { type BeaconFault, type BeaconRequestKind, createFaultTable } from "./faults.ts";

export interface StartBeaconServerOptions {
  state: BeaconState;
  /** Loopback only: "127.0.0.1" (default), "::1" or "localhost". */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Delay of the `slow` fault; default 1500 ms. */
  slowMs?: number;
  /** The /eth/v1/node/version string. */
  version?: string;
  /** Aborting it closes the server. */
  signal?: AbortSignal;
}

export interface BeaconServer {
  /** "http://127.0.0.1:<port>", no trailing slash. */
  url: string;
  /** Sets (or with null clears) the fault that requests of `kind` meet; default kind "all". */
  setFault(fault: BeaconFault | null, kind?: BeaconRequestKind | "all"): void;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * The Beacon API over a simulated state. Errors are the API's `{"code", "message"}` bodies;
 * unknown routes are 404 in the same shape.
 */
export async function startBeaconServer(options: StartBeaconServerOptions): Promise<BeaconServer> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) throw new OperatorError(`the beacon simulator binds loopback only, not ${host}`);
  const slowMs = options.slowMs ?? 1500;
  const closing = new AbortController();
  const faults = createFaultTable();
  const ctx: ApiContext = {
    state: options.state,
    faults,
    version: options.version ?? "BeaconSimulator/v0.1.0/vault-operator",
  };
  const app = Fastify({ logger: false, forceCloseConnections: true });

  app.addHook("onRequest", async (request, reply) => {
    const kind = (request.routeOptions.config as { kind?: BeaconRequestKind } | undefined)?.kind;
    const fault = faults.get(kind);
    if (fault === "refuse") {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (fault === "down")
      return reply.code(503).send({ code: 503, message: "Service unavailable (injected fault)" });
    if (fault === "slow") await delay(slowMs, undefined, { signal: closing.signal }).catch(() => undefined);
  });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof BeaconApiError) {
      return reply.code(error.statusCode).send({ code: error.statusCode, message: error.shortMessage });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ code: status, message: (error as Error).message });
    }
    return reply.code(500).send({ code: 500, message: "Internal server error" });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 404, message: `Route ${request.method}:${request.url} not found` }),
  );

  registerNodeRoutes(app, ctx);
  registerStateRoutes(app, ctx);
  registerPendingRoutes(app, ctx);
  registerBlockRoutes(app, ctx);
  registerPoolRoutes(app, ctx);

  const server = await listenOnLoopback(app, {
    host,
    ...(options.port !== undefined ? { port: options.port } : {}),
    closing,
    ...(options.signal ? { signal: options.signal } : {}),
    what: "beacon simulator",
  });
  return {
    url: server.url,
    setFault(fault, kind = "all") {
      faults.set(fault, kind);
    },
    close: server.close,
  };
}
