/**
 * The devnet's double of the SSV API (`https://api.ssv.network/api/v4/{network}/…`): the operator
 * list (paginated, ordered) and one operator by id, serialised as the real API does (snake_case,
 * fees as decimal strings, `is_active` 0/1, `performance` {"24h","30d"}). Errors are the API's
 * `{"error":{"code","message":{"error","status"}}}` bodies. `setDown(true)` answers 503 to every
 * request, so tests can show that the operator goes on with on-chain data.
 *
 * It holds no state of its own: each request asks `operators()` (the devnet computes them from
 * the chain and its metadata).
 */
import Fastify, { type FastifyReply } from "fastify";
import type { Address } from "viem";
import { OperatorError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import { listenOnLoopback } from "../loopback-server.ts";

/** One operator as the devnet knows it. */
export interface SsvApiOperatorRecordInput {
  id: bigint;
  name: string;
  /** Per block, unshrunk. */
  fee: bigint;
  /** Base64 of the PEM of its RSA key, as in OperatorAdded. */
  publicKey: string;
  owner: Address;
  location?: string;
  setupProvider?: string;
  eth1NodeClient?: string;
  eth2NodeClient?: string;
  mevRelays?: string;
  type?: "operator" | "verified_operator" | "dapp_node";
  /** Percent, 0-100. */
  performance24h: number;
  performance30d: number;
  isActive: boolean;
  isPrivate?: boolean;
  isDeleted?: boolean;
  validatorsCount: number;
  /** Default from isActive and validatorsCount: "Active", "No validators" or "Inactive". */
  status?: string;
}

export interface StartSsvApiServerOptions {
  /** The only network served: "mainnet", "hoodi", "devnet", … */
  network: string;
  operators: () => Promise<readonly SsvApiOperatorRecordInput[]>;
  /** Loopback only (default 127.0.0.1). */
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  logger?: Logger;
}

export interface SsvApiServer {
  /** "http://127.0.0.1:<port>": the client's baseUrl. */
  url: string;
  close(): Promise<void>;
  /** While true, every request answers 503. */
  setDown(down: boolean): void;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
const DEFAULT_PER_PAGE = 10;
const MAX_PER_PAGE = 100;

/** The API's record of one operator. */
export function serializeOperator(o: SsvApiOperatorRecordInput, network: string): Record<string, unknown> {
  const status = o.status ?? (!o.isActive ? "Inactive" : o.validatorsCount > 0 ? "Active" : "No validators");
  return {
    id: Number(o.id),
    id_str: o.id.toString(),
    declared_fee: "0",
    previous_fee: "0",
    fee: o.fee.toString(),
    public_key: o.publicKey,
    owner_address: o.owner,
    address_whitelist: "",
    is_private: o.isPrivate ?? false,
    whitelist_addresses: [],
    whitelisting_contract: "",
    location: o.location ?? "",
    setup_provider: o.setupProvider ?? "",
    eth1_node_client: o.eth1NodeClient ?? "",
    eth2_node_client: o.eth2NodeClient ?? "",
    mev_relays: o.mevRelays ?? "",
    description: "",
    website_url: "",
    twitter_url: "",
    linkedin_url: "",
    dkg_address: "",
    logo: "",
    type: o.type ?? "operator",
    name: o.name,
    performance: { "24h": o.performance24h, "30d": o.performance30d },
    is_valid: true,
    is_deleted: o.isDeleted ?? false,
    is_active: o.isActive ? 1 : 0,
    status,
    validators_count: o.validatorsCount,
    version: "v4",
    network,
  };
}

type ApiRecord = ReturnType<typeof serializeOperator>;
type Compare = (a: ApiRecord, b: ApiRecord) => number;

/** Status ranks: `status:desc` lists active operators first. */
const STATUS_RANK: Record<string, number> = { Inactive: 0, "No validators": 1, Active: 2 };

const ORDER_KEYS: Record<string, Compare> = {
  id: (a, b) => (a.id as number) - (b.id as number),
  fee: (a, b) => {
    const [x, y] = [BigInt(a.fee as string), BigInt(b.fee as string)];
    return x < y ? -1 : x > y ? 1 : 0;
  },
  "performance.30d": (a, b) => perf30d(a) - perf30d(b),
  validators_count: (a, b) => (a.validators_count as number) - (b.validators_count as number),
  status: (a, b) => (STATUS_RANK[a.status as string] ?? -1) - (STATUS_RANK[b.status as string] ?? -1),
};

function perf30d(record: ApiRecord): number {
  return (record.performance as { "30d": number })["30d"];
}

/** "status:desc,fee:asc" → one comparison (ids ascending break ties), or the reason it is wrong. */
export function parseOrdering(text: string): Compare | string {
  const parts: Compare[] = [];
  for (const term of text.split(",")) {
    const [key = "", direction = "asc", extra] = term.trim().split(":");
    const compare = ORDER_KEYS[key];
    if (!compare || extra !== undefined || (direction !== "asc" && direction !== "desc")) {
      return `ordering "${term.trim()}" is not <${Object.keys(ORDER_KEYS).join("|")}>:<asc|desc>`;
    }
    parts.push(direction === "asc" ? compare : (a, b) => compare(b, a));
  }
  parts.push(ORDER_KEYS.id as Compare);
  return (a, b) => {
    for (const compare of parts) {
      const c = compare(a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
}

function fail(reply: FastifyReply, code: number, message: string): FastifyReply {
  return reply.code(code).send({ error: { code, message: { error: message, status: code } } });
}

/** An integer query parameter within [min, max], its default when absent, or undefined. */
function intParam(value: unknown, fallback: number, min: number, max: number): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !/^[0-9]+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

export async function startSsvApiServer(options: StartSsvApiServerOptions): Promise<SsvApiServer> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) throw new OperatorError(`the SSV API double binds loopback only, not ${host}`);
  const closing = new AbortController();
  const state = { down: false };
  const app = Fastify({ logger: false, forceCloseConnections: true });

  app.addHook("onRequest", async (_request, reply) => {
    if (state.down) return fail(reply, 503, "Service Unavailable");
  });
  app.setNotFoundHandler((request, reply) => fail(reply, 404, `Cannot ${request.method} ${request.url}`));
  app.setErrorHandler((error, _request, reply) => {
    options.logger?.error("SSV API double failed", {}, error);
    return fail(reply, 500, "Internal server error");
  });

  const records = async (network: string) =>
    network === options.network
      ? (await options.operators()).map((o) => serializeOperator(o, network))
      : undefined;

  app.get("/api/v4/:network/operators", async (request, reply) => {
    const { network } = request.params as { network: string };
    const query = request.query as Record<string, unknown>;
    const page = intParam(query.page, 1, 1, Number.MAX_SAFE_INTEGER);
    if (page === undefined) return fail(reply, 400, "page must be an integer of at least 1");
    const perPage = intParam(query.perPage, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
    if (perPage === undefined)
      return fail(reply, 400, `perPage must be an integer from 1 to ${MAX_PER_PAGE}`);
    const order = parseOrdering(typeof query.ordering === "string" ? query.ordering : "id:asc");
    if (typeof order === "string") return fail(reply, 400, order);
    const all = await records(network);
    if (!all) return fail(reply, 404, `unknown network ${network}`);
    const sorted = all.sort(order);
    return {
      operators: sorted.slice((page - 1) * perPage, page * perPage),
      pagination: {
        total: sorted.length,
        page,
        pages: Math.ceil(sorted.length / perPage),
        per_page: perPage,
      },
    };
  });

  app.get("/api/v4/:network/operators/:id", async (request, reply) => {
    const { network, id } = request.params as { network: string; id: string };
    if (!/^[0-9]+$/.test(id)) return fail(reply, 400, "id must be a positive integer");
    const all = await records(network);
    if (!all) return fail(reply, 404, `unknown network ${network}`);
    const found = all.find((r) => r.id_str === BigInt(id).toString());
    return found ?? fail(reply, 404, `operator ${id} not found`);
  });

  const server = await listenOnLoopback(app, {
    host,
    ...(options.port !== undefined ? { port: options.port } : {}),
    closing,
    what: "SSV API double",
  });
  options.logger?.info("SSV API double listening", { url: server.url, network: options.network });
  return {
    url: server.url,
    close: server.close,
    setDown(down) {
      state.down = down;
    },
  };
}
