import { setTimeout as delay } from "node:timers/promises";
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import { parseCid } from "../../chain/ipfs-client.ts";
import { OperatorError } from "../../lib/errors.ts";
import { listenOnLoopback } from "../loopback-server.ts";
import { registerKuboAdd } from "./kubo-add.ts";
import type { IpfsStore } from "./store.ts";

/**
 * A fault the next requests meet: `down` answers 503, `refuse` drops the connection without an
 * answer (what a client sees from a dead node), `slow` answers after `slowMs`.
 */
export type IpfsFault = "down" | "refuse" | "slow";

export interface StartIpfsGatewayOptions {
  store: IpfsStore;
  /** Loopback only: "127.0.0.1" (default), "::1" or "localhost". */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Delay of the `slow` fault; default 1500 ms. */
  slowMs?: number;
  /** Aborting it closes the server. */
  signal?: AbortSignal;
}

export interface IpfsGateway {
  /** "http://127.0.0.1:<port>", no trailing slash. */
  url: string;
  /** Applies to every later request until cleared with null. */
  setFault(fault: IpfsFault | null): void;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * An IPFS path gateway (`GET|HEAD /ipfs/:cid`) and Kubo's `POST /api/v0/add` over one store.
 *
 * The gateway answers 400 for text that is not a CID, 404 for a CID it does not hold, and the
 * bytes otherwise, with Etag / X-Ipfs-Path / immutable Cache-Control as Kubo sends them. With
 * `?format=raw` or `Accept: application/vnd.ipld.raw` it returns the raw block (the same bytes for
 * a raw CID). Content type: application/json when the bytes parse as JSON, text/plain for other
 * UTF-8 text, application/octet-stream otherwise (Kubo sniffs and would say text/plain for JSON:
 * clients must not rely on the header).
 */
export async function startIpfsGateway(options: StartIpfsGatewayOptions): Promise<IpfsGateway> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) {
    throw new OperatorError(`the IPFS double binds loopback only, not ${host}`);
  }
  const slowMs = options.slowMs ?? 1500;
  const closing = new AbortController();
  const faults: { current: IpfsFault | null } = { current: null };
  const app = Fastify({ logger: false, forceCloseConnections: true });

  app.addHook("onRequest", async (request, reply) => {
    const fault = faults.current;
    if (fault === "refuse") {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (fault === "down") {
      return reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("503 Service Unavailable (injected fault)");
    }
    if (fault === "slow") await delay(slowMs, undefined, { signal: closing.signal }).catch(() => undefined);
  });

  app.get("/ipfs/:cid", async (request, reply) => serveCid(options.store, request, reply));
  registerKuboAdd(app, options.store);

  const server = await listenOnLoopback(app, {
    host,
    ...(options.port !== undefined ? { port: options.port } : {}),
    closing,
    ...(options.signal ? { signal: options.signal } : {}),
    what: "IPFS double",
  });
  return {
    url: server.url,
    setFault(fault) {
      faults.current = fault;
    },
    close: server.close,
  };
}

async function serveCid(
  store: IpfsStore,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { cid: text } = request.params as { cid: string };
  const cid = parseCid(text);
  if (!cid) {
    return reply
      .code(400)
      .type("text/plain; charset=utf-8")
      .send(`failed to resolve /ipfs/${text}: invalid cid`);
  }
  const bytes = store.get(text);
  if (!bytes) {
    return reply
      .code(404)
      .type("text/plain; charset=utf-8")
      .send(`failed to resolve /ipfs/${text}: not found`);
  }
  const query = request.query as Record<string, unknown>;
  const raw = query.format === "raw" || (request.headers.accept ?? "").includes("application/vnd.ipld.raw");
  const etag = raw ? `"${cid.toString()}.raw"` : `"${cid.toString()}"`;
  reply
    .header("etag", etag)
    .header("x-ipfs-path", `/ipfs/${text}`)
    .header("cache-control", "public, max-age=29030400, immutable")
    .header("x-content-type-options", "nosniff");
  if (request.headers["if-none-match"] === etag) return reply.code(304).send();
  return reply
    .code(200)
    .type(raw ? "application/vnd.ipld.raw" : sniffContentType(bytes))
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

function sniffContentType(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "application/octet-stream";
  }
  try {
    JSON.parse(text);
    return "application/json";
  } catch {
    return bytes.some(isBinaryDataByte) ? "application/octet-stream" : "text/plain; charset=utf-8";
  }
}

/** The WHATWG MIME sniffing "binary data byte": a control byte other than white space. */
function isBinaryDataByte(byte: number): boolean {
  return byte <= 0x08 || byte === 0x0b || (byte >= 0x0e && byte <= 0x1a) || (byte >= 0x1c && byte <= 0x1f);
}
