/**
 * The deposit contract's DepositEvent logs (spec §6.3, §6.8): every deposit on the network, in
 * adaptive block chunks. amount and index are 8-byte little-endian integers in the log; they are
 * decoded here, with every field's length checked.
 */
import type { Address, Hex, PublicClient } from "viem";
import { OperatorError } from "../lib/errors.ts";
import { depositContractAbi } from "./abi/deposit-contract.ts";
import { type BlockRangeOptions, scanBlockRanges } from "./block-ranges.ts";

export interface DepositEvent {
  /** 48-byte BLS public key. */
  pubkey: Hex;
  /** 32 bytes. */
  withdrawalCredentials: Hex;
  amountGwei: bigint;
  /** 96-byte BLS signature (not verified here). */
  signature: Hex;
  /** The deposit's index in the deposit contract. */
  index: bigint;
  blockNumber: bigint;
  transactionHash: Hex;
  logIndex: number;
}

export interface ScanDepositEventsParameters
  extends Omit<BlockRangeOptions, "fromBlock" | "toBlock" | "what"> {
  client: Pick<PublicClient, "getLogs">;
  depositContract: Address;
  fromBlock: bigint;
  /** Inclusive; usually the finalized execution block. */
  toBlock: bigint;
}

export interface DepositEventChunk {
  fromBlock: bigint;
  toBlock: bigint;
  /** In chain order. */
  events: DepositEvent[];
}

/** The deposit contract's DepositEvent (the consensus-spec contract and Gnosis' fork of it). */
export const DEPOSIT_EVENT = depositContractAbi.find(
  (item): item is Extract<(typeof depositContractAbi)[number], { type: "event" }> => item.type === "event",
) as Extract<(typeof depositContractAbi)[number], { type: "event" }>;

/**
 * Yields each scanned chunk with its events, in block order: a caller that stores them can
 * checkpoint after each chunk.
 */
export async function* depositEventChunks(
  params: ScanDepositEventsParameters,
): AsyncGenerator<DepositEventChunk> {
  const { client, depositContract, ...ranges } = params;
  const fetch = async (fromBlock: bigint, toBlock: bigint) => {
    const logs = await client.getLogs({
      address: depositContract,
      event: DEPOSIT_EVENT,
      fromBlock,
      toBlock,
      strict: true,
    });
    return logs.map((log) => decodeDepositLog(log));
  };
  for await (const { fromBlock, toBlock, result } of scanBlockRanges(fetch, {
    ...ranges,
    what: "deposit events",
  })) {
    yield { fromBlock, toBlock, events: result };
  }
}

/** Every DepositEvent in [fromBlock, toBlock], in chain order. */
export async function scanDepositEvents(params: ScanDepositEventsParameters): Promise<DepositEvent[]> {
  const events: DepositEvent[] = [];
  for await (const chunk of depositEventChunks(params)) events.push(...chunk.events);
  return events;
}

export interface DepositLog {
  args: { pubkey: Hex; withdrawal_credentials: Hex; amount: Hex; signature: Hex; index: Hex };
  blockNumber: bigint | null;
  transactionHash: Hex | null;
  logIndex: number | null;
}

/** A DepositEvent's fields, checked for length and with amount and index decoded. */
export type DepositEventFields = Pick<
  DepositEvent,
  "pubkey" | "withdrawalCredentials" | "amountGwei" | "signature" | "index"
>;

/**
 * Checks each field's length (the contract guarantees them; a node that returns other lengths
 * is broken) and decodes amount and index. `where` names the log in the error.
 */
export function decodeDepositEventArgs(args: DepositLog["args"], where: string): DepositEventFields {
  const bytes = (value: Hex, length: number, field: string) => {
    if (!/^0x[0-9a-fA-F]*$/.test(value) || value.length !== 2 + length * 2) {
      throw new OperatorError(`${where}: ${field} is not ${length} bytes`);
    }
    return value.toLowerCase() as Hex;
  };
  return {
    pubkey: bytes(args.pubkey, 48, "pubkey"),
    withdrawalCredentials: bytes(args.withdrawal_credentials, 32, "withdrawal_credentials"),
    amountGwei: littleEndianUint64(bytes(args.amount, 8, "amount")),
    signature: bytes(args.signature, 96, "signature"),
    index: littleEndianUint64(bytes(args.index, 8, "index")),
  };
}

/** Checks the field lengths and decodes amount and index. */
export function decodeDepositLog(log: DepositLog): DepositEvent {
  const where = `DepositEvent in block ${log.blockNumber ?? "pending"}`;
  const fields = decodeDepositEventArgs(log.args, where);
  if (log.blockNumber === null || log.transactionHash === null || log.logIndex === null) {
    throw new OperatorError(`${where} is not mined yet`);
  }
  return {
    ...fields,
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
    logIndex: log.logIndex,
  };
}

/** An 8-byte little-endian unsigned integer given as 0x hex. */
export function littleEndianUint64(hex: Hex): bigint {
  return Buffer.from(hex.slice(2), "hex").readBigUInt64LE(0);
}
