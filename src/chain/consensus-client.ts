/**
 * The Beacon API client of the service (spec §6.1, §6.2, §6.5, §6.7): the few endpoints the
 * operator reads, over an ordered list of consensus nodes. Each request goes to the first node
 * and moves to the next only on a retryable failure (network error, timeout, HTTP 408/429/5xx);
 * a 4xx or a malformed answer is the answer. Every response is validated (consensus-dto.ts).
 */

import type { z } from "zod";
import type { NetworkConfig } from "../config/networks.ts";
import { UserInputError } from "../lib/errors.ts";
import { redactUrl } from "../lib/sanitize.ts";
import {
  BlockResponse,
  type ConsensusSpec,
  type DepositContractInfo,
  DepositContractResponse,
  type ExecutionBlockRef,
  type FinalityCheckpoints,
  FinalityCheckpointsResponse,
  type Genesis,
  GenesisResponse,
  type SignedVoluntaryExit,
  SpecResponse,
  SyncingResponse,
  type SyncStatus,
  toValidatorInfo,
  type ValidatorInfo,
  ValidatorsResponse,
  voluntaryExitJson,
} from "./consensus-dto.ts";
import {
  assertEndpointUrls,
  assertOneHealthy,
  type ChainLogger,
  type EndpointStatus,
  failureReason,
} from "./endpoints.ts";
import { EndpointRequestError, httpJson, httpRequest, withFailover } from "./http-request.ts";

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
  submitVoluntaryExit(exit: SignedVoluntaryExit, options?: RequestOptions): Promise<void>;
}

export function createConsensusClient(params: CreateConsensusClientParameters): ConsensusClient {
  assertEndpointUrls(params.endpoints, "consensus");
  const endpoints = [...params.endpoints];
  const timeoutMs = params.timeoutMs ?? 10_000;
  const perPost = params.validatorsPerRequest ?? 1000;
  const perQuery = params.validatorsPerQuery ?? 64;
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
      parse(schema, endpoint, path, await httpJson(endpoint, path, { timeoutMs, signal: options?.signal })),
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
        return parse(ValidatorsResponse, endpoint, path, json).data.map(toValidatorInfo);
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
      result.push(...parse(ValidatorsResponse, endpoint, path, json).data.map(toValidatorInfo));
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
        const { message } = parse(BlockResponse, endpoint, path, json).data;
        const payload = message.body.execution_payload;
        if (!payload) {
          throw invalid(endpoint, path, `block at slot ${message.slot} has no execution payload (pre-merge)`);
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

function idText(id: StateId | ValidatorId): string {
  return typeof id === "string" ? id : String(id);
}

function parse<S extends z.ZodType>(schema: S, endpoint: string, path: string, json: unknown): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") || "(root)";
  throw invalid(endpoint, path, `field "${field}" ${issue?.message ?? "is invalid"}`);
}

function invalid(endpoint: string, path: string, reason: string): EndpointRequestError {
  return new EndpointRequestError(`${redactUrl(endpoint)} answered ${path} unexpectedly: ${reason}`, {
    endpoint: redactUrl(endpoint),
    kind: "invalid-response",
    retryable: false,
  });
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
 * Startup check (spec §6.1, STYLE practice 7): each node on its own answers, serves the
 * network's deposit contract (chain id and address) and genesis validators root, is not syncing,
 * has its execution client online and reports finality checkpoints. A node of another network is
 * a configuration error (UserInputError naming it and both values); nodes that are down or
 * syncing are reported, but at least one must be ready, else a retryable OperatorError lists
 * each node's problem.
 */
export async function checkConsensusEndpoints(
  endpoints: readonly string[],
  network: NetworkConfig,
  options: CheckConsensusEndpointsOptions = {},
): Promise<ConsensusEndpointStatus[]> {
  assertEndpointUrls(endpoints, "consensus");
  const statuses = await Promise.all(endpoints.map((url) => checkConsensusEndpoint(url, network, options)));
  for (const s of statuses) {
    const node = `consensus endpoint ${s.endpoint}`;
    const fix = `point it at a ${network.name} beacon node`;
    if (s.chainId !== undefined && s.chainId !== network.chainId) {
      throw new UserInputError(
        `${node} is on chain id ${s.chainId}, but ${network.name} is chain id ${network.chainId}: ${fix}`,
      );
    }
    if (
      s.depositContract !== undefined &&
      s.depositContract !== network.depositContract.address.toLowerCase()
    ) {
      throw new UserInputError(
        `${node} uses deposit contract ${s.depositContract}, but ${network.name} uses ${network.depositContract.address}: ${fix}`,
      );
    }
    if (
      s.genesisValidatorsRoot !== undefined &&
      s.genesisValidatorsRoot !== network.genesisValidatorsRoot.toLowerCase()
    ) {
      throw new UserInputError(
        `${node} has genesis validators root ${s.genesisValidatorsRoot}, but ${network.name} has ${network.genesisValidatorsRoot}: ${fix}`,
      );
    }
  }
  assertOneHealthy("consensus", statuses);
  return statuses;
}

export async function checkConsensusEndpoint(
  url: string,
  network: NetworkConfig,
  options: CheckConsensusEndpointsOptions,
): Promise<ConsensusEndpointStatus> {
  const endpoint = redactUrl(url);
  const client = createConsensusClient({ endpoints: [url], timeoutMs: options.timeoutMs ?? 10_000 });
  const status: ConsensusEndpointStatus = { endpoint, healthy: false };
  try {
    const [deposit, genesis, sync] = await Promise.all([
      client.getDepositContract(),
      client.getGenesis(),
      client.getSyncing(),
    ]);
    status.chainId = deposit.chainId;
    status.depositContract = deposit.address;
    status.genesisValidatorsRoot = genesis.genesisValidatorsRoot;
    status.syncing = sync.isSyncing;
    status.headSlot = sync.headSlot;
    if (deposit.chainId !== network.chainId) return { ...status, problem: `chain id ${deposit.chainId}` };
    if (sync.isSyncing) return { ...status, problem: `syncing (${sync.syncDistance} slots behind)` };
    if (sync.elOffline === true) return { ...status, problem: "its execution client is offline" };
    status.finalizedEpoch = (await client.getFinalityCheckpoints("head")).finalized.epoch;
    return { ...status, healthy: true };
  } catch (error) {
    return { ...status, problem: failureReason(unwrapSingle(error)), error };
  }
}

/** The one endpoint's own error inside a single-endpoint AllEndpointsFailedError. */
function unwrapSingle(error: unknown): unknown {
  const failures = (error as { failures?: unknown }).failures;
  return Array.isArray(failures) && failures.length === 1 ? failures[0] : error;
}
