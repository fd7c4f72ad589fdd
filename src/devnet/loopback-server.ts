import type { FastifyInstance } from "fastify";
import { OperatorError } from "../lib/errors.ts";

/** A devnet server that listens: its URL, and a close that stops it once. */
export interface ListeningServer {
  url: string;
  /** Idempotent. Aborts `closing` first, so slow answers in flight give up at once. */
  close(): Promise<void>;
}

/**
 * Starts a devnet service's fastify app on `host` (loopback) and `port` (0: any free port). Its
 * `closing` controller is aborted on close, and `signal` closes it too. `what` names the service in
 * the error of a server that got no TCP address.
 */
export async function listenOnLoopback(
  app: FastifyInstance,
  options: { host: string; port?: number; closing: AbortController; signal?: AbortSignal; what: string },
): Promise<ListeningServer> {
  let closed: Promise<void> | undefined;
  const close = () => {
    options.closing.abort();
    closed ??= app.close();
    return closed;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  await app.listen({ host: options.host, port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === "string") {
    throw new OperatorError(`${options.what} has no TCP address`);
  }
  const hostText = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { url: `http://${hostText}:${address.port}`, close };
}
