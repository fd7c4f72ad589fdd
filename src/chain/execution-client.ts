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
  ExecutionRevertedError,
  type FallbackTransport,
  fallback,
  HttpRequestError,
  http,
  type PublicClient,
  RpcRequestError,
  TimeoutError,
  type Transport,
} from "viem";
import type { NetworkConfig } from "../config/networks.ts";
import { UserInputError } from "../lib/errors.ts";
import { redactUrl } from "../lib/sanitize.ts";
import {
  assertEndpointUrls,
  assertOneHealthy,
  type ChainLogger,
  type EndpointStatus,
  failureReason,
  isRetryableStatus,
  scrubUrlFromError,
} from "./endpoints.ts";

export interface ExecutionTransportParameters {
  /** JSON-RPC endpoints in order of preference. */
  endpoints: readonly string[];
  /** Per-request timeout of one endpoint (default 10 s). */
  timeoutMs?: number;
  /** Receives one warning per endpoint failure that falls through. */
  logger?: ChainLogger;
}

export interface CreateExecutionClientParameters extends ExecutionTransportParameters {
  network: NetworkConfig;
  /** How often blocks and receipts are polled (default: a quarter of the slot time, 1–4 s). */
  pollingIntervalMs?: number;
}

export type ExecutionTransport = FallbackTransport<readonly Transport[]>;
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
 * endpoints per request, no retry rounds: the service's loops try again on their next tick.
 */
export function createExecutionTransport(params: ExecutionTransportParameters): ExecutionTransport {
  assertEndpointUrls(params.endpoints, "execution");
  const timeout = params.timeoutMs ?? 10_000;
  const transports = params.endpoints.map((url) =>
    guarded(http(url, { retryCount: 0, timeout }), url, params.logger),
  );
  return fallback(transports, {
    rank: false,
    retryCount: 0,
    shouldThrow: (error) => !isRetryableRpcError(error),
  });
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
  const chain = causesOf(error);
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

function causesOf(error: Error): Error[] {
  const chain: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && !chain.includes(current)) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}

/**
 * One endpoint's transport that scrubs the endpoint's credentials out of its errors and reports
 * the failures that make the fallback try the next endpoint.
 */
function guarded(inner: Transport, url: string, logger: ChainLogger | undefined): Transport {
  const endpoint = redactUrl(url);
  return (config) => {
    const transport = inner(config);
    const request: typeof transport.request = async (args, options) => {
      try {
        return await transport.request(args, options);
      } catch (error) {
        scrubUrlFromError(error, url);
        if (logger && isRetryableRpcError(error)) {
          logger.warn("execution endpoint failed", { endpoint, method: args.method }, error);
        }
        throw error;
      }
    };
    return { ...transport, request };
  };
}

export interface ExecutionEndpointStatus extends EndpointStatus {
  chainId?: number;
  syncing?: boolean;
  blockNumber?: bigint;
}

export interface CheckExecutionEndpointsOptions {
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/**
 * Startup check (spec §6.1, STYLE practice 7): each endpoint on its own answers, is on the
 * network's chain, is not syncing and has blocks. Returns the statuses in the given order.
 * An endpoint on another chain is a configuration error (UserInputError naming it and both chain
 * ids); endpoints that are down or syncing are reported, but at least one must be ready, else a
 * retryable OperatorError lists each endpoint's problem.
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
        `execution endpoint ${status.endpoint} is on chain id ${status.chainId}, but ${network.name} is chain id ${network.chainId}: point it at a ${network.name} node`,
      );
    }
  }
  assertOneHealthy("execution", statuses);
  return statuses;
}

export async function checkExecutionEndpoint(
  url: string,
  network: NetworkConfig,
  options: CheckExecutionEndpointsOptions,
): Promise<ExecutionEndpointStatus> {
  const endpoint = redactUrl(url);
  const client = createPublicClient({
    chain: chainOf(network),
    transport: http(url, { retryCount: 0, timeout: options.timeoutMs ?? 10_000 }),
  });
  try {
    const [chainId, sync, blockNumber] = await Promise.all([
      client.getChainId(),
      ethSyncing(client),
      client.getBlockNumber({ cacheTime: 0 }),
    ]);
    const syncing = sync !== false;
    const status: ExecutionEndpointStatus = { endpoint, healthy: false, chainId, syncing, blockNumber };
    if (chainId !== network.chainId) return { ...status, problem: `chain id ${chainId}` };
    if (syncing) return { ...status, problem: "syncing" };
    if (blockNumber === 0n) return { ...status, problem: "no blocks yet (block number 0)" };
    return { ...status, healthy: true };
  } catch (error) {
    scrubUrlFromError(error, url);
    return { endpoint, healthy: false, problem: failureReason(error), error };
  }
}

/** eth_syncing: false, or an object describing the sync (its fields vary by client). */
export async function ethSyncing(client: { request: unknown }): Promise<false | Record<string, unknown>> {
  const request = client.request as (args: { method: "eth_syncing" }) => Promise<unknown>;
  const result = await request({ method: "eth_syncing" });
  return result === false || result === null ? false : (result as Record<string, unknown>);
}
