import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { throwIfAborted } from "./aborted.ts";
import { UserInputError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import { sanitizeValue, serializeError } from "./sanitize.ts";

export interface HealthReport {
  ok: boolean;
  details?: Record<string, unknown>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Answers GET /health: 200 when `ok`, else 503. A throw or a hang (past `healthTimeoutMs`) is a 503. */
  health: () => Promise<HealthReport>;
  /** Aborting closes the server. */
  signal?: AbortSignal;
  logger?: Logger;
  /** Default 5 s. */
  healthTimeoutMs?: number;
  /** The flags named in startup errors. Default `--metrics-port` / `--metrics-host`. */
  portFlag?: string;
  hostFlag?: string;
}

export interface MetricsServer {
  /** `http://host:port`, with the real port when 0 was asked for. */
  readonly url: string;
  readonly port: number;
  /** Idempotent; also called when the signal aborts. */
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` (Prometheus text format) and `GET /health` (JSON) on node:http.
 * Startup failures are user errors that name the flag: `--metrics-port 9100 is in use: …`.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { host, port, registry, logger } = options;
  const portFlag = options.portFlag ?? "--metrics-port";
  const hostFlag = options.hostFlag ?? "--metrics-host";
  const healthTimeoutMs = options.healthTimeoutMs ?? 5000;
  throwIfAborted(options.signal);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserInputError(`${portFlag} ${port} is not a port number; pass an integer from 1 to 65535`);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger?.error("metrics server request failed", { path: request.url }, error);
      if (!response.headersSent) send(response, 500, "text/plain", "internal error\n");
      else response.destroy();
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.setHeader("allow", "GET, HEAD");
      return send(response, 405, "text/plain", "method not allowed\n");
    }
    if (path === "/metrics") return send(response, 200, registry.contentType, await registry.metrics());
    if (path === "/health") {
      const report = await checkHealth(options.health, healthTimeoutMs);
      return send(
        response,
        report.ok ? 200 : 503,
        "application/json",
        `${JSON.stringify(sanitizeValue(report))}\n`,
      );
    }
    send(response, 404, "text/plain", "not found: try /metrics or /health\n");
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(startupError(error, { host, port, portFlag, hostFlag }));
    server.once("error", onError);
    server.listen({ host, port }, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (error) => logger?.error("metrics server error", {}, error));

  const address = server.address() as AddressInfo;
  const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      options.signal?.removeEventListener("abort", onAbort);
      server.close(() => resolve());
      // Scrapers keep connections alive; do not let them hold shutdown up.
      server.closeAllConnections();
    });
    return closing;
  };
  const onAbort = () => void close();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  logger?.info("metrics server listening", { url });
  return { url, port: address.port, close };
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  response.end(response.req.method === "HEAD" ? undefined : body);
}

async function checkHealth(health: () => Promise<HealthReport>, timeoutMs: number): Promise<HealthReport> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<HealthReport>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, details: { error: `health check timed out after ${timeoutMs} ms` } }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      health().catch((error: unknown) => ({ ok: false, details: { error: serializeError(error) } })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function startupError(
  error: NodeJS.ErrnoException,
  where: { host: string; port: number; portFlag: string; hostFlag: string },
): Error {
  const { host, port, portFlag, hostFlag } = where;
  switch (error.code) {
    case "EADDRINUSE":
      return new UserInputError(
        `${portFlag} ${port} is in use: another process listens on ${host}:${port}; stop it or pass another ${portFlag}`,
        { cause: error },
      );
    case "EACCES":
      return new UserInputError(
        `${portFlag} ${port} is not allowed: ports below 1024 need privileges; pass a port of 1024 or more`,
        { cause: error },
      );
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new UserInputError(
        `${hostFlag} ${host} is not an address of this machine; pass e.g. 127.0.0.1 or 0.0.0.0`,
        { cause: error },
      );
    default:
      return error;
  }
}
