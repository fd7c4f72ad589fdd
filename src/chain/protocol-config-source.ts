/**
 * Where the oracles' config comes from (spec §4.5): the Keeper's last `ConfigUpdated(string
 * configIpfsHash)` event, the JSON file it names on IPFS, and the Keeper's thresholds read at the
 * same block. The JSON is returned as it is: parsing it belongs to the oracles layer.
 *
 * Events are searched backwards from the requested block in windows, several windows at a time,
 * so the newest event is found fast on a long chain. The last answer is cached with the block it
 * was scanned to: the next read scans only the blocks after it, and the file is fetched again only
 * when the hash changed.
 */
import type { Address, PublicClient } from "viem";
import type { NetworkConfig } from "../config/networks.ts";
import { errorLine, OperatorError } from "../lib/errors.ts";
import { keeperAbi } from "./abi/keeper.ts";
import { isRetryableRpcError } from "./execution-client.ts";
import { type FetchIpfsOptions, fetchIpfsJson } from "./ipfs-client.ts";

export interface ProtocolConfigSnapshot {
  configIpfsHash: string;
  /** The IPFS file as JSON, unvalidated. */
  json: unknown;
  validatorsMinOracles: number;
  rewardsMinOracles: number;
  /** The block the events were scanned up to and the thresholds read at. */
  blockNumber: bigint;
  /** The block of the ConfigUpdated event. */
  eventBlockNumber: bigint;
}

export interface CreateProtocolConfigSourceParameters {
  client: PublicClient;
  network: NetworkConfig;
  /** Gateways and limits of the IPFS fetch (the signal comes with each read). */
  ipfs: Omit<FetchIpfsOptions, "signal" | "what">;
  /** Blocks per eth_getLogs request (default 10 000). */
  windowBlocks?: number;
  /** Windows requested at once (default 4). */
  concurrency?: number;
}

export interface ReadProtocolConfigOptions {
  /** Default: the latest block. Pass the finalized block to be safe from reorgs. */
  blockNumber?: bigint;
  signal?: AbortSignal;
}

export interface ProtocolConfigSource {
  read(options?: ReadProtocolConfigOptions): Promise<ProtocolConfigSnapshot>;
}

interface ConfigEvent {
  configIpfsHash: string;
  blockNumber: bigint;
}

interface Cache {
  scannedTo: bigint;
  event: ConfigEvent;
  json: unknown;
}

const CONFIG_UPDATED = keeperAbi.find(
  (item): item is Extract<(typeof keeperAbi)[number], { type: "event"; name: "ConfigUpdated" }> =>
    item.type === "event" && item.name === "ConfigUpdated",
) as Extract<(typeof keeperAbi)[number], { type: "event"; name: "ConfigUpdated" }>;

/**
 * The error of one step of a read, naming the step: "cannot read the Keeper's ConfigUpdated events:
 * every execution endpoint failed (http://127.0.0.1:8545 refused the connection)".
 */
function stepFailed(step: string, error: unknown): OperatorError {
  const inner = error instanceof OperatorError ? error : undefined;
  return new OperatorError(`cannot read ${step}: ${inner ? inner.shortMessage : errorLine(error)}`, {
    ...(inner?.details ? { details: inner.details } : {}),
    cause: error,
    retryable: inner ? inner.retryable : isRetryableRpcError(error),
  });
}

export function createProtocolConfigSource(
  params: CreateProtocolConfigSourceParameters,
): ProtocolConfigSource {
  const { client, network } = params;
  const keeper = network.keeper.address;
  const firstBlock = BigInt(network.configUpdateEventBlock ?? network.keeper.genesisBlock);
  const windowBlocks = BigInt(params.windowBlocks ?? 10_000);
  const concurrency = params.concurrency ?? 4;
  if (windowBlocks < 1n || concurrency < 1)
    throw new RangeError("windowBlocks and concurrency must be positive");
  let cache: Cache | undefined;
  /** Reads run one after another, so two callers never scan the same blocks. */
  let queue: Promise<unknown> = Promise.resolve();

  async function lastEvent(from: bigint, to: bigint, signal?: AbortSignal): Promise<ConfigEvent | undefined> {
    let top = to;
    while (top >= from) {
      signal?.throwIfAborted();
      const windows: Array<[bigint, bigint]> = [];
      for (let k = 0; k < concurrency && top >= from; k++) {
        const bottom = top - windowBlocks + 1n > from ? top - windowBlocks + 1n : from;
        windows.push([bottom, top]);
        top = bottom - 1n;
      }
      const results = await Promise.all(
        windows.map(([fromBlock, toBlock]) =>
          client.getLogs({ address: keeper, event: CONFIG_UPDATED, fromBlock, toBlock, strict: true }),
        ),
      );
      for (const logs of results) {
        const log = logs.at(-1);
        if (log && log.blockNumber !== null) {
          return { configIpfsHash: log.args.configIpfsHash, blockNumber: log.blockNumber };
        }
      }
    }
    return undefined;
  }

  async function thresholds(blockNumber: bigint): Promise<[number, number]> {
    const call = (functionName: "validatorsMinOracles" | "rewardsMinOracles") =>
      ({ address: keeper as Address, abi: keeperAbi, functionName }) as const;
    const [validators, rewards] = network.multicall3
      ? await client.multicall({
          contracts: [call("validatorsMinOracles"), call("rewardsMinOracles")],
          allowFailure: false,
          blockNumber,
          multicallAddress: network.multicall3,
        })
      : await Promise.all([
          client.readContract({ ...call("validatorsMinOracles"), blockNumber }),
          client.readContract({ ...call("rewardsMinOracles"), blockNumber }),
        ]);
    return [Number(validators), Number(rewards)];
  }

  /** Runs one execution-layer step; its failure names the step (an abort passes as it is). */
  async function step<T>(what: string, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (signal?.aborted) throw error;
      throw stepFailed(what, error);
    }
  }

  async function read(options: ReadProtocolConfigOptions): Promise<ProtocolConfigSnapshot> {
    const { signal } = options;
    const blockNumber =
      options.blockNumber ??
      (await step("the latest block", signal, () => client.getBlockNumber({ cacheTime: 0 })));
    const events = (from: bigint) =>
      step("the Keeper's ConfigUpdated events", signal, () => lastEvent(from, blockNumber, signal));
    let event: ConfigEvent | undefined;
    let scanned = false;
    if (cache && blockNumber >= cache.scannedTo) {
      event = (await events(cache.scannedTo + 1n)) ?? cache.event;
      scanned = true;
    } else if (cache && cache.event.blockNumber <= blockNumber) {
      event = cache.event;
    } else {
      event = await events(firstBlock);
      scanned = cache === undefined;
    }
    if (!event) {
      throw new OperatorError(
        `the Keeper ${keeper} has no ConfigUpdated event from block ${firstBlock} to ${blockNumber}`,
        {
          details: `check the ${network.name} Keeper address and that the execution node keeps old logs`,
        },
      );
    }
    const [json, [validatorsMinOracles, rewardsMinOracles]] = await Promise.all([
      cache && cache.event.configIpfsHash === event.configIpfsHash
        ? cache.json
        : fetchIpfsJson(event.configIpfsHash, {
            ...params.ipfs,
            what: "the oracle config",
            ...(signal ? { signal } : {}),
          }),
      step("the Keeper's oracle thresholds", signal, () => thresholds(blockNumber)),
    ]);
    if (scanned) cache = { scannedTo: blockNumber, event, json };
    return {
      configIpfsHash: event.configIpfsHash,
      json,
      validatorsMinOracles,
      rewardsMinOracles,
      blockNumber,
      eventBlockNumber: event.blockNumber,
    };
  }

  return {
    read(options = {}) {
      const result = queue.then(() => read(options));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
