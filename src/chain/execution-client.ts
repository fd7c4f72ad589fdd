/**
 * The execution-layer client of the service: one viem PublicClient over an ordered list of
 * JSON-RPC endpoints (spec §6.7). Each call goes to the first endpoint and falls through to the
 * next only on a retryable failure (network error, timeout, HTTP 408/429/5xx, a rate limit); a
 * revert or any other answer from a node is the answer. Endpoint URLs never reach a message or a
 * log with their credentials (user info, path and query are masked).
 */

import {
  BaseError,
  type Chain,
  createPublicClient,
  defineChain,
  type EIP1193RequestFn,
  ExecutionRevertedError,
  HttpRequestError,
  http,
  type PublicClient,
  RpcRequestError,
  TimeoutError,
  type Transport,
} from "viem";
import type { NetworkConfig } from "../config/networks.ts";
import { errorChain, UserInputError } from "../lib/errors.ts";
import { classifyFailure, type EndpointFailure, notANode } from "../lib/http/endpoint-failure.ts";
import {
  AllEndpointsFailedError,
  type EndpointAttempt,
  EndpointRequestError,
  isRetryableStatus,
} from "../lib/http/errors.ts";
import { redactUrl } from "../lib/sanitize.ts";
import {
  assertEndpointUrls,
  assertOneHealthy,
  type ChainLogger,
  type EndpointStatus,
  scrubUrlFromError,
} from "./endpoints.ts";
import { executionJwt } from "./execution-jwt.ts";

export interface ExecutionTransportParameters {
  /** JSON-RPC endpoints in order of preference. */
  endpoints: readonly string[];
  /** Per-request timeout of one endpoint (default 10 s). */
  timeoutMs?: number;
  /** Receives one warning per endpoint failure that falls through. */
  logger?: ChainLogger;
  /** --execution-jwt-secret: every request carries a fresh HS256 token (execution-jwt.ts). */
  jwtSecret?: Uint8Array | undefined;
}

export interface CreateExecutionClientParameters extends ExecutionTransportParameters {
  network: NetworkConfig;
  /** How often blocks and receipts are polled (default: a quarter of the slot time, 1–4 s). */
  pollingIntervalMs?: number;
}

/** The failover transport: its `transports` are the endpoints' own, in order. */
export type ExecutionTransport = Transport<"fallback", { transports: ReturnType<Transport>[] }>;
export type ExecutionClient = PublicClient<ExecutionTransport, Chain>;

/** A viem chain for a network: its id, gas token and Multicall3. */
export function chainOf(network: NetworkConfig): Chain {
  return defineChain({
    id: network.chainId,
    name: network.name,
    nativeCurrency: { name: network.gasToken, symbol: network.gasToken, decimals: 18 },
    rpcUrls: { default: { http: [] } },
    ...(network.multicall3 ? { contracts: { multicall3: { address: network.multicall3 } } } : {}),
  });
}

/**
 * The failover transport alone, for a wallet client over the same endpoints. One pass over the
 * endpoints per request, no retry rounds: the service's loops try again on their next tick. A
 * failure that is not retryable (a revert, a JSON-RPC error) is the answer and is thrown as viem
 * gave it; when every endpoint failed, an AllEndpointsFailedError names each with its reason.
 */
export function createExecutionTransport(params: ExecutionTransportParameters): ExecutionTransport {
  assertEndpointUrls(params.endpoints, "execution");
  const timeoutMs = params.timeoutMs ?? 10_000;
  const endpoints = params.endpoints.map((url) => ({
    url,
    endpoint: redactUrl(url),
    transport: nodeTransport(url, timeoutMs, params.jwtSecret),
  }));
  return (config) => {
    const nodes = endpoints.map((e) => ({ ...e, node: e.transport({ ...config, retryCount: 0 }) }));
    const request: EIP1193RequestFn = async (args, options) => {
      const attempts: EndpointAttempt[] = [];
      for (const { url, endpoint, node } of nodes) {
        try {
          return await node.request(args, options);
        } catch (error) {
          scrubUrlFromError(error, url);
          const failure = executionFailure(error, args.method, timeoutMs);
          if (!isRetryableRpcError(error)) {
            // An HTTP answer that is not JSON-RPC (a 404, a 401) is no node's answer: say whose it is.
            if (failure.kind !== "http") throw error;
            throw new EndpointRequestError({
              endpoint,
              failure,
              request: args.method,
              retryable: false,
              cause: error,
            });
          }
          attempts.push({ endpoint, error, reason: failure.reason });
          const context = { endpoint, method: args.method, reason: failure.reason };
          params.logger?.warn("execution endpoint failed", context, error);
        }
      }
      throw new AllEndpointsFailedError(
        nodes.length === 1 ? "the execution endpoint failed" : "every execution endpoint failed",
        attempts,
        { retryable: true },
      );
    };
    return {
      config: {
        key: "fallback",
        name: "Execution endpoints",
        type: "fallback",
        request,
        retryCount: 0,
        timeout: timeoutMs,
      },
      request,
      value: { transports: nodes.map((n) => n.node) },
    };
  };
}

/** One endpoint's viem transport; with a JWT secret, each request gets its own bearer token. */
function nodeTransport(url: string, timeoutMs: number, jwtSecret: Uint8Array | undefined) {
  if (!jwtSecret) return http(url, { retryCount: 0, timeout: timeoutMs });
  return http(url, {
    retryCount: 0,
    timeout: timeoutMs,
    onFetchRequest: (_request, init) => ({
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        authorization: `Bearer ${executionJwt(jwtSecret)}`,
      },
    }),
  });
}

/**
 * How one execution endpoint failed a request: the shared vocabulary, "is not an execution
 * node: it answered HTTP 501 to eth_chainId" for a server that does not speak JSON-RPC, and the
 * way out for one that refused the request's credentials.
 */
function executionFailure(error: unknown, method: string, timeoutMs: number): EndpointFailure {
  const failure = classifyFailure(error, { timeoutMs });
  if (failure.kind === "http" && (failure.status === 401 || failure.status === 403)) {
    return {
      ...failure,
      reason: `${failure.reason} (check --execution-jwt-secret, or the credentials in the endpoint URL)`,
    };
  }
  return { ...failure, reason: notANode(failure, "an execution node", method) ?? failure.reason };
}

export function createExecutionClient(params: CreateExecutionClientParameters): ExecutionClient {
  const transport = createExecutionTransport(params);
  const pollingInterval =
    params.pollingIntervalMs ?? Math.min(4_000, Math.max(1_000, (params.network.secondsPerSlot * 1000) / 4));
  // cacheTime 0: viem caches getBlockNumber for the polling interval by default, so a task that
  // just saw its transaction mined could read the block before it and plan the same work again.
  return createPublicClient({ chain: chainOf(params.network), transport, pollingInterval, cacheTime: 0 });
}

/**
 * True when the failure says nothing about the request itself, so another endpoint (or a later
 * try) may answer: no connection, a timeout, HTTP 408/429/5xx, a JSON-RPC rate limit, and
 * Nethermind's spurious "gas estimation failed due to out of gas". Never for a revert.
 */
export function isRetryableRpcError(error: unknown): boolean {
  if (!(error instanceof Error) || error.name === "AbortError") return false;
  const chain = errorChain(error).filter((e): e is Error => e instanceof Error);
  if (chain.some(isRevert)) return false;
  for (const e of chain) {
    if (e instanceof TimeoutError) return true;
    if (e instanceof RpcRequestError) {
      if (RATE_LIMIT_CODES.has(e.code)) return true;
      if (/gas estimation failed due to out of gas/i.test(e.details ?? e.message)) return true;
      return e.status !== undefined && isRetryableStatus(e.status);
    }
    if (e instanceof HttpRequestError) return e.status === undefined || isRetryableStatus(e.status);
  }
  return false;
}

/** -32005 limit exceeded (EIP-1474), 429 in a JSON-RPC body, -32007 (QuickNode's rate limit). */
const RATE_LIMIT_CODES = new Set([-32005, 429, -32007]);

function isRevert(error: Error): boolean {
  if (error instanceof ExecutionRevertedError) return true;
  const code = (error as { code?: unknown }).code;
  if (code === 3 || code === ExecutionRevertedError.code) return true;
  const text = error instanceof BaseError ? (error.details ?? error.shortMessage) : error.message;
  return ExecutionRevertedError.nodeMessage.test(text);
}

export interface ExecutionEndpointStatus extends EndpointStatus {
  chainId?: number;
  syncing?: boolean;
  blockNumber?: bigint;
}

export interface CheckExecutionEndpointsOptions {
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** --execution-jwt-secret. */
  jwtSecret?: Uint8Array | undefined;
}

/**
 * Startup check (spec §6.1, STYLE practice 7): each endpoint on its own answers JSON-RPC, is on the
 * network's chain, is not syncing and has blocks. Returns the statuses in the given order.
 * An endpoint on another chain is a configuration error (UserInputError naming it and both chain
 * ids); endpoints that are down, not nodes or syncing are reported, but at least one must be
 * ready, else a retryable error lists each endpoint with its problem in one line:
 * "no execution endpoint is ready (http://127.0.0.1:1 refused the connection; http://127.0.0.1:8000
 * is not an execution node: it answered HTTP 501 to eth_chainId)".
 */
export async function checkExecutionEndpoints(
  endpoints: readonly string[],
  network: NetworkConfig,
  options: CheckExecutionEndpointsOptions = {},
): Promise<ExecutionEndpointStatus[]> {
  assertEndpointUrls(endpoints, "execution");
  const statuses = await Promise.all(endpoints.map((url) => checkExecutionEndpoint(url, network, options)));
  for (const status of statuses) {
    if (status.chainId !== undefined && status.chainId !== network.chainId) {
      throw new UserInputError(
        `execution endpoint ${status.endpoint} ${status.problem}: point it at a ${network.name} node`,
      );
    }
  }
  assertOneHealthy("execution", statuses);
  return statuses;
}

/** A 0x quantity ("0x1a"), as eth_chainId and eth_blockNumber answer. */
const QUANTITY = /^0x[0-9a-f]+$/i;

export async function checkExecutionEndpoint(
  url: string,
  network: NetworkConfig,
  options: CheckExecutionEndpointsOptions,
): Promise<ExecutionEndpointStatus> {
  const endpoint = redactUrl(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const node = nodeTransport(url, timeoutMs, options.jwtSecret)({ chain: chainOf(network) });
  let method = "eth_chainId";
  const ask = (next: string): Promise<unknown> => {
    method = next;
    return (node.request as (args: { method: string }) => Promise<unknown>)({ method });
  };
  // viem hands back whatever JSON a server answered; a JSON-RPC node answers these three so.
  const notJsonRpc = (): ExecutionEndpointStatus => ({
    endpoint,
    healthy: false,
    problem: `is not an execution node: it answered JSON that is not JSON-RPC to ${method}`,
  });
  try {
    const chainIdHex = await ask("eth_chainId");
    if (typeof chainIdHex !== "string" || !QUANTITY.test(chainIdHex)) return notJsonRpc();
    const chainId = Number(BigInt(chainIdHex));
    if (chainId !== network.chainId) {
      return {
        endpoint,
        healthy: false,
        chainId,
        problem: `is on the wrong chain (chain id ${chainId}, not ${network.name}'s ${network.chainId})`,
      };
    }
    const sync = await ask("eth_syncing");
    if (sync !== false && sync !== null && typeof sync !== "object") return notJsonRpc();
    const blockHex = await ask("eth_blockNumber");
    if (typeof blockHex !== "string" || !QUANTITY.test(blockHex)) return notJsonRpc();
    const syncing = sync !== false && sync !== null;
    const blockNumber = BigInt(blockHex);
    const status: ExecutionEndpointStatus = { endpoint, healthy: false, chainId, syncing, blockNumber };
    if (syncing) return { ...status, problem: "is syncing" };
    if (blockNumber === 0n) return { ...status, problem: "has no blocks yet" };
    return { ...status, healthy: true };
  } catch (error) {
    scrubUrlFromError(error, url);
    return { endpoint, healthy: false, problem: executionFailure(error, method, timeoutMs).reason, error };
  }
}
