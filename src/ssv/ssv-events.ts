/**
 * Decodes SSVNetwork logs into typed events (ssv-event-types.ts) and scans an owner's logs in
 * block windows (spec B.8). Both fee eras share the event signatures; the ETH era adds
 * ClusterBalanceUpdated and ClusterMigratedToETH, decoded from the ETH-era ABI, which holds
 * every event we read.
 *
 * Decoding is table-driven: each event's topic0 is hashed once, and a log's data and indexed
 * topics are read in place from their hex (abi-hex-decoder.ts) with the event's parameter lists:
 * viem's decodeEventLog hashes the ABI's events on every call and converts all data to bytes,
 * too slow for the 100,000 logs of a first scan.
 */
import {
  type AbiEvent,
  type AbiParameter,
  type Address,
  type Hex,
  hexToBigInt,
  hexToNumber,
  type PublicClient,
  pad,
  toEventSelector,
} from "viem";
import { ssvNetworkEthEraAbi } from "../chain/abi/ssv-network.ts";
import { type BlockRangeOptions, scanBlockRanges } from "../chain/block-ranges.ts";
import { OperatorError } from "../lib/errors.ts";
import { decodeHexParameters, decodeHexTopic } from "./abi-hex-decoder.ts";
import type { ClusterSnapshot } from "./cluster.ts";
import type { EventPosition, SsvEvent, SsvEventName } from "./ssv-event-types.ts";

/** A log as eth_getLogs returns it (viem's `Log` fits). */
export interface RawLog {
  topics: readonly Hex[];
  data: Hex;
  blockNumber: Hex | bigint | null;
  transactionIndex: Hex | number | null;
  logIndex: Hex | number | null;
  removed?: boolean;
}

/** A log from SSVNetwork that does not decode as its event says: a wrong address or a broken node. */
export class SsvLogError extends OperatorError {
  override name = "SsvLogError";
}

/** Events that name the cluster owner in topic 1 (what the owner scan asks for). */
export const OWNER_EVENT_NAMES: readonly SsvEventName[] = [
  "ValidatorAdded",
  "ValidatorRemoved",
  "ValidatorExited",
  "ClusterDeposited",
  "ClusterWithdrawn",
  "ClusterLiquidated",
  "ClusterReactivated",
  "ClusterBalanceUpdated",
  "ClusterMigratedToETH",
  "FeeRecipientAddressUpdated",
];

const EVENT_NAMES: readonly SsvEventName[] = [
  ...OWNER_EVENT_NAMES,
  "OperatorAdded",
  "OperatorRemoved",
  "OperatorFeeExecuted",
];

interface EventDecoder {
  name: SsvEventName;
  indexed: readonly AbiParameter[];
  data: readonly AbiParameter[];
}

/** topic0 → decoder and name → topic0, built once at load (13 hashes). */
const TABLES = buildTables();

function buildTables(): { decoders: ReadonlyMap<Hex, EventDecoder>; topics: ReadonlyMap<SsvEventName, Hex> } {
  const decoders = new Map<Hex, EventDecoder>();
  const topics = new Map<SsvEventName, Hex>();
  for (const name of EVENT_NAMES) {
    const event = ssvNetworkEthEraAbi.find((i) => i.type === "event" && i.name === name) as
      | AbiEvent
      | undefined;
    if (!event) throw new Error(`the SSVNetwork ABI has no event ${name}`);
    const topic0 = toEventSelector(event);
    decoders.set(topic0, {
      name,
      indexed: event.inputs.filter((p) => p.indexed),
      data: event.inputs.filter((p) => !p.indexed),
    });
    topics.set(name, topic0);
  }
  return { decoders, topics };
}

/** The topic0 of an event we read. */
export function ssvEventTopic(name: SsvEventName): Hex {
  return TABLES.topics.get(name) as Hex;
}

/** The decoded event, or undefined for a log of an event we do not read. */
export function decodeSsvLog(log: RawLog): SsvEvent | undefined {
  const decoder = TABLES.decoders.get((log.topics[0] ?? "0x").toLowerCase() as Hex);
  if (!decoder) return undefined;
  const position = positionOf(log, decoder.name);
  const args: Record<string, unknown> = {};
  try {
    decoder.indexed.forEach((param, i) => {
      const topic = log.topics[i + 1];
      if (topic === undefined) throw new Error(`topic ${i + 1} is missing`);
      args[param.name as string] = decodeHexTopic(param, topic);
    });
    const values = decodeHexParameters(decoder.data, log.data);
    decoder.data.forEach((param, i) => {
      args[param.name as string] = values[i];
    });
  } catch (cause) {
    throw new SsvLogError(
      `SSVNetwork ${decoder.name} log in block ${position.blockNumber} (log ${position.logIndex}) does not decode`,
      { cause },
    );
  }
  return toEvent(decoder.name, args, position);
}

function positionOf(log: RawLog, name: string): EventPosition {
  if (log.blockNumber === null || log.transactionIndex === null || log.logIndex === null) {
    throw new SsvLogError(`SSVNetwork ${name} log is not mined yet`);
  }
  return {
    blockNumber: typeof log.blockNumber === "bigint" ? log.blockNumber : hexToBigInt(log.blockNumber),
    transactionIndex:
      typeof log.transactionIndex === "number" ? log.transactionIndex : hexToNumber(log.transactionIndex),
    logIndex: typeof log.logIndex === "number" ? log.logIndex : hexToNumber(log.logIndex),
  };
}

interface ClusterTuple {
  validatorCount: number;
  networkFeeIndex: bigint;
  index: bigint;
  active: boolean;
  balance: bigint;
}

function snapshot(value: unknown): ClusterSnapshot {
  const c = value as ClusterTuple;
  return {
    validatorCount: c.validatorCount,
    networkFeeIndex: c.networkFeeIndex,
    index: c.index,
    active: c.active,
    balance: c.balance,
  };
}

function toEvent(name: SsvEventName, a: Record<string, unknown>, at: EventPosition): SsvEvent {
  const owner = () => (a.owner as string).toLowerCase() as Address;
  /** Owner, ids and position: what every cluster event has. */
  const base = () => ({ owner: owner(), operatorIds: [...(a.operatorIds as readonly bigint[])], ...at });
  const key = () => (a.publicKey as string).toLowerCase() as Hex;
  const cluster = () => snapshot(a.cluster);
  switch (name) {
    case "ValidatorAdded":
      return { name, ...base(), publicKey: key(), shares: a.shares as Hex, cluster: cluster() };
    case "ValidatorRemoved":
      return { name, ...base(), publicKey: key(), cluster: cluster() };
    case "ValidatorExited":
      return { name, ...base(), publicKey: key() };
    case "ClusterDeposited":
    case "ClusterWithdrawn":
      return { name, ...base(), value: a.value as bigint, cluster: cluster() };
    case "ClusterLiquidated":
    case "ClusterReactivated":
      return { name, ...base(), cluster: cluster() };
    case "ClusterBalanceUpdated": {
      const effectiveBalance = a.effectiveBalance as number;
      return { name, ...base(), balanceBlock: a.blockNum as bigint, effectiveBalance, cluster: cluster() };
    }
    case "ClusterMigratedToETH": {
      const amounts = { ethDeposited: a.ethDeposited as bigint, ssvRefunded: a.ssvRefunded as bigint };
      return {
        name,
        ...base(),
        ...amounts,
        effectiveBalance: a.effectiveBalance as number,
        cluster: cluster(),
      };
    }
    case "FeeRecipientAddressUpdated":
      return {
        name,
        owner: owner(),
        recipientAddress: (a.recipientAddress as string).toLowerCase() as Address,
        ...at,
      };
    case "OperatorAdded":
      return {
        name,
        operatorId: a.operatorId as bigint,
        owner: owner(),
        publicKey: operatorKeyFromEvent(a.publicKey as Hex),
        fee: a.fee as bigint,
        ...at,
      };
    case "OperatorRemoved":
      return { name, operatorId: a.operatorId as bigint, ...at };
    case "OperatorFeeExecuted":
      return {
        name,
        owner: owner(),
        operatorId: a.operatorId as bigint,
        feeBlock: a.blockNumber as bigint,
        fee: a.fee as bigint,
        ...at,
      };
  }
}

/**
 * The operator's RSA key from OperatorAdded's `publicKey` bytes, as the registry spells it
 * (base64 of the PEM). Registrations made through the SSV tools pass the key ABI-encoded as
 * `bytes` inside the bytes (spec B.4), others pass the base64 text itself; a raw PEM is encoded
 * to base64 so that every form comes out the same.
 */
export function operatorKeyFromEvent(bytes: Hex): string {
  let raw = Buffer.from(bytes.slice(2), "hex");
  if (raw.length >= 64) {
    const offset = raw.readBigUInt64BE(24);
    const length = raw.readBigUInt64BE(56);
    const head = raw.subarray(0, 24).every((b) => b === 0) && raw.subarray(32, 56).every((b) => b === 0);
    if (head && offset === 32n && 64n + length <= BigInt(raw.length)) {
      raw = raw.subarray(64, 64 + Number(length));
    }
  }
  const text = raw.toString("utf8").trim();
  if (text.startsWith("-----BEGIN")) return Buffer.from(`${text}\n`, "utf8").toString("base64");
  return text;
}

export interface SsvOwnerScanParameters extends Omit<BlockRangeOptions, "fromBlock" | "toBlock" | "what"> {
  client: Pick<PublicClient, "request">;
  ssvNetwork: Address;
  owner: Address;
  fromBlock: bigint;
  /** Inclusive. */
  toBlock: bigint;
}

export interface SsvEventChunk {
  fromBlock: bigint;
  toBlock: bigint;
  /** In chain order. */
  events: SsvEvent[];
}

/** The owner's SSVNetwork events (topic 1 = owner), chunk by chunk, for a caller that checkpoints. */
export function ssvOwnerEventChunks(params: SsvOwnerScanParameters): AsyncGenerator<SsvEventChunk> {
  const { owner, ...rest } = params;
  const topics = [OWNER_EVENT_NAMES.map(ssvEventTopic), pad(owner.toLowerCase() as Hex)];
  return ssvEventChunks(rest, topics, "SSV cluster events");
}

async function* ssvEventChunks(
  params: Omit<SsvOwnerScanParameters, "owner">,
  topics: (Hex | Hex[])[],
  what: string,
): AsyncGenerator<SsvEventChunk> {
  const { client, ssvNetwork, ...ranges } = params;
  const fetch = (fromBlock: bigint, toBlock: bigint) =>
    fetchSsvLogs(client, { address: ssvNetwork, topics, fromBlock, toBlock });
  for await (const { fromBlock, toBlock, result } of scanBlockRanges(fetch, { ...ranges, what })) {
    yield { fromBlock, toBlock, events: result };
  }
}

/**
 * OperatorAdded and OperatorRemoved of these operators (topic 1 = operator id), or of every
 * operator when `operatorIds` is "all" (the registry as the chain knows it, without the SSV API).
 */
export async function scanOperatorEvents(
  params: Omit<SsvOwnerScanParameters, "owner"> & { operatorIds: readonly bigint[] | "all" },
): Promise<SsvEvent[]> {
  const { client, ssvNetwork, operatorIds, ...ranges } = params;
  if (operatorIds !== "all" && operatorIds.length === 0) return [];
  const kinds = [ssvEventTopic("OperatorAdded"), ssvEventTopic("OperatorRemoved")];
  const filterTopics =
    operatorIds === "all" ? [kinds] : [kinds, operatorIds.map((id) => pad(`0x${id.toString(16)}`))];
  const events: SsvEvent[] = [];
  const fetch = (fromBlock: bigint, toBlock: bigint) =>
    fetchSsvLogs(client, { address: ssvNetwork, topics: filterTopics, fromBlock, toBlock });
  for await (const chunk of scanBlockRanges(fetch, { ...ranges, what: "SSV operator events" })) {
    events.push(...chunk.result);
  }
  return events;
}

async function fetchSsvLogs(
  client: Pick<PublicClient, "request">,
  filter: { address: Address; topics: (Hex | Hex[])[]; fromBlock: bigint; toBlock: bigint },
): Promise<SsvEvent[]> {
  const logs = (await client.request({
    method: "eth_getLogs",
    params: [
      {
        address: filter.address,
        topics: filter.topics,
        fromBlock: `0x${filter.fromBlock.toString(16)}`,
        toBlock: `0x${filter.toBlock.toString(16)}`,
      },
    ],
  })) as RawLog[];
  const events: SsvEvent[] = [];
  for (const log of logs) {
    if (log.removed) continue;
    const event = decodeSsvLog(log);
    if (event) events.push(event);
  }
  return events;
}

/**
 * Every ValidatorAdded of SSVNetwork (any owner), chunk by chunk: what an SSV node, or a DVT
 * sidecar holding an operator's key, reads to learn the shares encrypted to it.
 */
export function ssvValidatorAddedChunks(
  params: Omit<SsvOwnerScanParameters, "owner">,
): AsyncGenerator<SsvEventChunk> {
  return ssvEventChunks(params, [ssvEventTopic("ValidatorAdded")], "SSV ValidatorAdded events");
}
