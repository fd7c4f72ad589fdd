import { type Address, type Client, hexToBytes, parseAbiItem } from "viem";
import { getBlock, getLogs } from "viem/actions";
import type { DepositLog, DepositSource } from "./deposit-source.ts";
import { DepositFeedError } from "./errors.ts";

/** The deposit contract's event (the consensus-spec deposit contract and Gnosis' fork of it). */
export const DEPOSIT_EVENT = parseAbiItem(
  "event DepositEvent(bytes pubkey, bytes withdrawal_credentials, bytes amount, bytes signature, bytes index)",
);

/**
 * Reads deposits from an execution node with eth_getLogs. `amount` and `index` are 8-byte
 * little-endian in the event; field lengths are checked, as the contract guarantees them.
 * Removed (reorged-out) logs are dropped.
 */
export function viemDepositSource(client: Client, depositContract: Address): DepositSource {
  return {
    async fetchDeposits(fromBlock, toBlock) {
      const logs = await getLogs(client, {
        address: depositContract,
        event: DEPOSIT_EVENT,
        fromBlock,
        toBlock,
        strict: true,
      });
      return logs
        .filter((log) => !log.removed)
        .map((log) => {
          if (log.blockNumber === null || log.logIndex === null) {
            throw new DepositFeedError("deposit log without a block number", {
              details: log.transactionHash ?? "",
            });
          }
          const decoded = decodeDepositEvent(log.args);
          return {
            ...decoded,
            blockNumber: log.blockNumber,
            logIndex: log.logIndex,
            ...(log.transactionHash ? { transactionHash: log.transactionHash } : {}),
          };
        });
    },
    async latestBlock() {
      const block = await getBlock(client, { blockTag: "latest" });
      if (block.number === null || block.hash === null) {
        throw new DepositFeedError("the execution node returned a pending block as latest");
      }
      return {
        number: block.number,
        hash: block.hash,
        timestamp: block.timestamp,
        parentHash: block.parentHash,
      };
    },
  };
}

export interface DepositEventArgs {
  pubkey: `0x${string}`;
  withdrawal_credentials: `0x${string}`;
  amount: `0x${string}`;
  signature: `0x${string}`;
  index: `0x${string}`;
}

/** The fields of one DepositEvent as bytes and integers. */
export function decodeDepositEvent(
  args: DepositEventArgs,
): Omit<DepositLog, "blockNumber" | "logIndex" | "transactionHash"> {
  return {
    pubkey: bytesOfLength(args.pubkey, 48, "pubkey"),
    withdrawalCredentials: bytesOfLength(args.withdrawal_credentials, 32, "withdrawal_credentials"),
    amountGwei: littleEndian(bytesOfLength(args.amount, 8, "amount")),
    signature: bytesOfLength(args.signature, 96, "signature"),
    index: littleEndian(bytesOfLength(args.index, 8, "index")),
  };
}

/** 8-byte little-endian integer (the contract's `to_little_endian_64`). */
export function littleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
  return value;
}

function bytesOfLength(hex: `0x${string}`, length: number, field: string): Uint8Array {
  const bytes = hexToBytes(hex);
  if (bytes.length !== length) {
    throw new DepositFeedError(`DepositEvent ${field} has ${bytes.length} bytes, expected ${length}`);
  }
  return bytes;
}
