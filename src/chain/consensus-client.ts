/**
 * The Beacon API client of the service (spec §6.1, §6.2, §6.5, §6.7): the few endpoints the
 * operator reads, over an ordered list of consensus nodes. Each request goes to the first node
 * and moves to the next only on a retryable failure (network error, timeout, HTTP 408/429/5xx);
 * a 4xx or a malformed answer is the answer. Every response is validated (consensus-dto.ts).
 */

import type { z } from "zod";
import type { NetworkConfig } from "../config/networks.ts";
import { UserInputError } from "../lib/errors.ts";
import { classifyFailure, notANode } from "../lib/http/endpoint-failure.ts";
import { EndpointRequestError } from "../lib/http/errors.ts";
import { withFailover } from "../lib/http/failover.ts";
import { httpJson, httpRequest, invalidAnswer, parseAnswer } from "../lib/http/request.ts";
import { redactUrl } from "../lib/sanitize.ts";
import {
  type BeaconPendingConsolidation,
  type BeaconPendingDeposit,
  type BeaconPendingPartialWithdrawal,
  BlockResponse,
  type ConsensusSpec,
  type DepositContractInfo,
  DepositContractResponse,
  type ExecutionBlockRef,
  type FinalityCheckpoints,
  FinalityCheckpointsResponse,
  type Genesis,
  GenesisResponse,
  PendingConsolidationsResponse,
  PendingDepositsResponse,
  PendingPartialWithdrawalsResponse,
  type SignedVoluntaryExit,
  SpecResponse,
  SyncingResponse,
  type SyncStatus,
  toPendingConsolidation,
  toPendingDeposit,
  toPendingPartialWithdrawal,
  toValidatorInfo,
  type ValidatorInfo,
  ValidatorsResponse,
  voluntaryExitJson,
} from "./consensus-dto.ts";
import { assertEndpointUrls, assertOneHealthy, type ChainLogger, type EndpointStatus } from "./endpoints.ts";

/** "head", "genesis", "finalized", "justified", a slot or a 0x state root. */
export type StateId = "head" | "genesis" | "finalized" | "justified" | number | `0x${string}`;
/** "head", "genesis", "finalized", "justified", a slot or a 0x block root. */
export type BlockId = StateId;
/** A validator index or a 0x public key. */
export type ValidatorId = number | bigint | `0x${string}`;

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface CreateConsensusClientParameters {
  /** Beacon API base URLs in order of preference. */
  endpoints: readonly string[];
  /** Per-request timeout of one endpoint (default 10 s). */
  timeoutMs?: number;
  /** Ids per POST …/validators request (default 1000). */
  validatorsPerRequest?: number;
  /** Ids per GET …/validators?id= request, for nodes without the POST form (default 64). */
  validatorsPerQuery?: number;
  /**
   * Per-request timeout of the beacon state's queues (pending deposits, withdrawals,
   * consolidations), which can be tens of megabytes on mainnet (default 60 s).
   */
  queueTimeoutMs?: number;
  /** Receives one warning per endpoint failure that falls through. */
  logger?: ChainLogger;
}

export interface ConsensusClient {
  /** The endpoints, redacted, in order. */
  readonly endpoints: readonly string[];
  getGenesis(options?: RequestOptions): Promise<Genesis>;
  getSpec(options?: RequestOptions): Promise<ConsensusSpec>;
  getDepositContract(options?: RequestOptions): Promise<DepositContractInfo>;
  getSyncing(options?: RequestOptions): Promise<SyncStatus>;
  getFinalityCheckpoints(stateId?: StateId, options?: RequestOptions): Promise<FinalityCheckpoints>;
  /** The execution block of a beacon block (default: the finalized one, spec §6.2). */
  getExecutionBlock(blockId?: BlockId, options?: RequestOptions): Promise<ExecutionBlockRef>;
  /**
   * The validators among `ids` the node knows at `stateId` (default head), in the node's order;
   * unknown ids are left out. Chunked; nodes answering the POST form with 404/405 are asked with
   * GET ?id=… from then on.
   */
  getValidators(
    ids: readonly ValidatorId[],
    options?: RequestOptions & { stateId?: StateId },
  ): Promise<ValidatorInfo[]>;
  /** The deposits the beacon state at `stateId` (default head) has yet to apply, in queue order (Electra). */
  getPendingDeposits(stateId?: StateId, options?: RequestOptions): Promise<BeaconPendingDeposit[]>;
  /** The partial withdrawals (EIP-7002) the beacon state has yet to apply, in queue order. */
  getPendingPartialWithdrawals(
    stateId?: StateId,
    options?: RequestOptions,
  ): Promise<BeaconPendingPartialWithdrawal[]>;
  /** The consolidations (EIP-7251) the beacon state has yet to apply, in queue order. */
  getPendingConsolidations(
    stateId?: StateId,
    options?: RequestOptions,
  ): Promise<BeaconPendingConsolidation[]>;
  submitVoluntaryExit(exit: SignedVoluntaryExit, options?: RequestOptions): Promise<void>;
}

export function createConsensusClient(params: CreateConsensusClientParameters): ConsensusClient {
  assertEndpointUrls(params.endpoints, "consensus");
  const endpoints = [...params.endpoints];
  const timeoutMs = params.timeoutMs ?? 10_000;
  const perPost = params.validatorsPerRequest ?? 1000;
  const perQuery = params.validatorsPerQuery ?? 64;
  const queueTimeoutMs = params.queueTimeoutMs ?? 60_000;
  /** Endpoints (by index) that do not serve POST …/validators. */
  const getOnly = new Set<number>();

  const failover = <T>(
    options: RequestOptions | undefined,
    attempt: (endpoint: string, index: number) => Promise<T>,
  ) =>
    withFailover(endpoints, attempt, { what: "consensus", logger: params.logger, signal: options?.signal });

  async function get<S extends z.ZodType>(
    schema: S,
    path: string,
    options?: RequestOptions,
  ): Promise<z.output<S>> {
    return failover(options, async (endpoint) =>
      parseAnswer(
        schema,
        endpoint,
        path,
        await httpJson(endpoint, path, { timeoutMs, signal: options?.signal }),
      ),
    );
  }

  /** A beacon state queue: larger answers and more time than the other requests. */
  async function queue<S extends z.ZodType>(
    schema: S,
    stateId: StateId,
    name: string,
    options?: RequestOptions,
  ): Promise<z.output<S>> {
    const path = `/eth/v1/beacon/states/${idText(stateId)}/${name}`;
    return failover(options, async (endpoint) =>
      parseAnswer(
        schema,
        endpoint,
        path,
        await httpJson(endpoint, path, {
          timeoutMs: queueTimeoutMs,
          maxBytes: QUEUE_MAX_BYTES,
          signal: options?.signal,
        }),
      ),
    );
  }

  async function validatorsAt(
    endpoint: string,
    index: number,
    path: string,
    ids: string[],
    signal: AbortSignal | undefined,
  ): Promise<ValidatorInfo[]> {
    let postRefused = false;
    if (!getOnly.has(index)) {
      try {
        const json = await httpJson(endpoint, path, { method: "POST", json: { ids }, timeoutMs, signal });
        return parseAnswer(ValidatorsResponse, endpoint, path, json).data.map(toValidatorInfo);
      } catch (error) {
        if (!(error instanceof EndpointRequestError && (error.status === 404 || error.status === 405)))
          throw error;
        postRefused = true;
      }
    }
    const result: ValidatorInfo[] = [];
    for (let start = 0; start < ids.length; start += perQuery) {
      const query = `${path}?id=${ids
        .slice(start, start + perQuery)
        .map(encodeURIComponent)
        .join(",")}`;
      const json = await httpJson(endpoint, query, { timeoutMs, signal });
      result.push(...parseAnswer(ValidatorsResponse, endpoint, path, json).data.map(toValidatorInfo));
    }
    // The GET form works where POST was refused: the node lacks POST (a 404 may also have meant
    // an unknown state, which the GET would have failed on too).
    if (postRefused) getOnly.add(index);
    return result;
  }

  return {
    endpoints: endpoints.map(redactUrl),
    async getGenesis(options) {
      const { data } = await get(GenesisResponse, "/eth/v1/beacon/genesis", options);
      return {
        genesisTime: data.genesis_time,
        genesisValidatorsRoot: data.genesis_validators_root,
        genesisForkVersion: data.genesis_fork_version,
      };
    },
    async getSpec(options) {
      const { data } = await get(SpecResponse, "/eth/v1/config/spec", options);
      return { slotsPerEpoch: data.SLOTS_PER_EPOCH, secondsPerSlot: data.SECONDS_PER_SLOT, values: data };
    },
    async getDepositContract(options) {
      const { data } = await get(DepositContractResponse, "/eth/v1/config/deposit_contract", options);
      return { chainId: data.chain_id, address: data.address };
    },
    async getSyncing(options) {
      const { data } = await get(SyncingResponse, "/eth/v1/node/syncing", options);
      return {
        headSlot: data.head_slot,
        syncDistance: data.sync_distance,
        isSyncing: data.is_syncing,
        isOptimistic: data.is_optimistic ?? false,
        elOffline: data.el_offline,
      };
    },
    async getFinalityCheckpoints(stateId = "head", options) {
      const path = `/eth/v1/beacon/states/${idText(stateId)}/finality_checkpoints`;
      const { data } = await get(FinalityCheckpointsResponse, path, options);
      return {
        previousJustified: data.previous_justified,
        currentJustified: data.current_justified,
        finalized: data.finalized,
      };
    },
    async getExecutionBlock(blockId = "finalized", options) {
      const path = `/eth/v2/beacon/blocks/${idText(blockId)}`;
      return failover(options, async (endpoint) => {
        const json = await httpJson(endpoint, path, { timeoutMs, signal: options?.signal });
        const { message } = parseAnswer(BlockResponse, endpoint, path, json).data;
        const payload = message.body.execution_payload;
        if (!payload) {
          throw invalidAnswer(
            endpoint,
            path,
            `block at slot ${message.slot} has no execution payload (pre-merge)`,
          );
        }
        return {
          slot: message.slot,
          blockNumber: payload.block_number,
          blockHash: payload.block_hash,
          timestamp: payload.timestamp,
        };
      });
    },
    async getValidators(ids, options = {}) {
      const path = `/eth/v1/beacon/states/${idText(options.stateId ?? "head")}/validators`;
      const texts = ids.map(idText);
      const result: ValidatorInfo[] = [];
      for (let start = 0; start < texts.length; start += perPost) {
        const chunk = texts.slice(start, start + perPost);
        result.push(
          ...(await failover(options, (endpoint, index) =>
            validatorsAt(endpoint, index, path, chunk, options.signal),
          )),
        );
      }
      return result;
    },
    async getPendingDeposits(stateId = "head", options) {
      const { data } = await queue(PendingDepositsResponse, stateId, "pending_deposits", options);
      return data.map(toPendingDeposit);
    },
    async getPendingPartialWithdrawals(stateId = "head", options) {
      const { data } = await queue(
        PendingPartialWithdrawalsResponse,
        stateId,
        "pending_partial_withdrawals",
        options,
      );
      return data.map(toPendingPartialWithdrawal);
    },
    async getPendingConsolidations(stateId = "head", options) {
      const { data } = await queue(PendingConsolidationsResponse, stateId, "pending_consolidations", options);
      return data.map(toPendingConsolidation);
    },
    async submitVoluntaryExit(exit, options) {
      await failover(options, (endpoint) =>
        httpRequest(endpoint, "/eth/v1/beacon/pool/voluntary_exits", {
          method: "POST",
          json: voluntaryExitJson(exit),
          timeoutMs,
          signal: options?.signal,
        }),
      );
    },
  };
}

/**
 * Largest answer accepted for a state queue. Each pending deposit is about 420 bytes of JSON, so
 * 512 MiB holds over a million of them (the other requests' 32 MiB only some 75,000), while a
 * broken node still cannot exhaust memory.
 */
const QUEUE_MAX_BYTES = 512 * 1024 * 1024;

function idText(id: StateId | ValidatorId): string {
  return typeof id === "string" ? id : String(id);
}

export interface ConsensusEndpointStatus extends EndpointStatus {
  chainId?: number;
  depositContract?: `0x${string}`;
  genesisValidatorsRoot?: `0x${string}`;
  syncing?: boolean;
  headSlot?: number;
  finalizedEpoch?: number;
}

export interface CheckConsensusEndpointsOptions {
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/**
 * Startup check (spec §6.1, STYLE practice 7): each node on its own answers the Beacon API, serves
 * the network's deposit contract (chain id and address) and genesis validators root, is not
 * syncing, has its execution client online and reports finality checkpoints. A node of another
 * network is a configuration error (UserInputError naming it and both values); nodes that are
 * down, not beacon nodes or syncing are reported, but at least one must be ready, else a
 * retryable error lists each node with its problem in one line.
 */
export async function checkConsensusEndpoints(
  endpoints: readonly string[],
  network: NetworkConfig,
  options: CheckConsensusEndpointsOptions = {},
): Promise<ConsensusEndpointStatus[]> {
  assertEndpointUrls(endpoints, "consensus");
  const statuses = await Promise.all(endpoints.map((url) => checkConsensusEndpoint(url, network, options)));
  for (const s of statuses) {
    const mismatch = networkMismatch(s, network);
    if (mismatch) {
      throw new UserInputError(
        `consensus endpoint ${s.endpoint} ${mismatch}: point it at a ${network.name} beacon node`,
      );
    }
  }
  assertOneHealthy("consensus", statuses);
  return statuses;
}

/** "is on the wrong chain (…)" when what the node reported is not the network's, else undefined. */
function networkMismatch(s: ConsensusEndpointStatus, network: NetworkConfig): string | undefined {
  const wrong = (what: string, got: string | number, expected: string | number) =>
    `is on the wrong chain (${what} ${got}, not ${network.name}'s ${expected})`;
  if (s.chainId !== undefined && s.chainId !== network.chainId) {
    return wrong("deposit contract chain id", s.chainId, network.chainId);
  }
  const address = network.depositContract.address;
  if (s.depositContract !== undefined && s.depositContract !== address.toLowerCase()) {
    return wrong("deposit contract", s.depositContract, address);
  }
  const root = network.genesisValidatorsRoot;
  if (s.genesisValidatorsRoot !== undefined && s.genesisValidatorsRoot !== root.toLowerCase()) {
    return wrong("genesis validators root", s.genesisValidatorsRoot, root);
  }
  return undefined;
}

export async function checkConsensusEndpoint(
  url: string,
  network: NetworkConfig,
  options: CheckConsensusEndpointsOptions,
): Promise<ConsensusEndpointStatus> {
  const endpoint = redactUrl(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = createConsensusClient({ endpoints: [url], timeoutMs });
  const status: ConsensusEndpointStatus = { endpoint, healthy: false };
  try {
    // First the one request every beacon node serves: a server that is not one shows it here.
    const deposit = await client.getDepositContract();
    status.chainId = deposit.chainId;
    status.depositContract = deposit.address;
    const [genesis, sync] = await Promise.all([client.getGenesis(), client.getSyncing()]);
    status.genesisValidatorsRoot = genesis.genesisValidatorsRoot;
    status.syncing = sync.isSyncing;
    status.headSlot = sync.headSlot;
    const mismatch = networkMismatch(status, network);
    if (mismatch) return { ...status, problem: mismatch };
    if (sync.isSyncing) return { ...status, problem: `is syncing: ${sync.syncDistance} slots behind` };
    if (sync.elOffline === true) return { ...status, problem: "reports its execution client offline" };
    status.finalizedEpoch = (await client.getFinalityCheckpoints("head")).finalized.epoch;
    return { ...status, healthy: true };
  } catch (error) {
    const own = unwrapSingle(error);
    const failure = classifyFailure(own, { timeoutMs });
    const request = own instanceof EndpointRequestError ? own.request : undefined;
    const problem = (request && notANode(failure, "a beacon node", request)) || failure.reason;
    return { ...status, problem, error: own };
  }
}
/** The one endpoint's own error inside a single-endpoint AllEndpointsFailedError. */
function unwrapSingle(error: unknown): unknown {
  const failures = (error as { failures?: unknown }).failures;
  return Array.isArray(failures) && failures.length === 1 ? failures[0] : error;
}
