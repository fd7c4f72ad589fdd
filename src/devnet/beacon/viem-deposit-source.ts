import { type Address, type Client, hexToBytes } from "viem";
import { getBlock, getLogs } from "viem/actions";
import {
  type DepositLog as ChainDepositLog,
  DEPOSIT_EVENT,
  type DepositEventFields,
  decodeDepositEventArgs,
} from "../../chain/deposit-events.ts";
import type { DepositLog, DepositSource } from "./deposit-source.ts";
import { DepositFeedError } from "./errors.ts";

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

/**
 * The fields of one DepositEvent as bytes and integers (decoded by the operator's own deposit
 * reader, chain/deposit-events.ts); a field of the wrong length is a DepositFeedError.
 */
export function decodeDepositEvent(
  args: ChainDepositLog["args"],
): Omit<DepositLog, "blockNumber" | "logIndex" | "transactionHash"> {
  let fields: DepositEventFields;
  try {
    fields = decodeDepositEventArgs(args, "DepositEvent");
  } catch (error) {
    throw new DepositFeedError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  return {
    pubkey: hexToBytes(fields.pubkey),
    withdrawalCredentials: hexToBytes(fields.withdrawalCredentials),
    amountGwei: fields.amountGwei,
    signature: hexToBytes(fields.signature),
    index: fields.index,
  };
}
