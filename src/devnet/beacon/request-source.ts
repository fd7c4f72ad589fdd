import { DepositFeedError } from "./errors.ts";

/**
 * Execution-layer requests the simulator reads besides deposits: the logs of the EIP-7002
 * (withdrawal) and EIP-7251 (consolidation) system contracts. Both contracts log without topics;
 * the data is the request itself, in the byte layout of the EIPs.
 */

/** Where the EIPs deploy the request contracts (EIP-7002, EIP-7251 "Configuration"). */
export const WITHDRAWAL_REQUEST_ADDRESS = "0x00000961Ef480Eb55e80D19ad83579A64c007002";
export const CONSOLIDATION_REQUEST_ADDRESS = "0x0000BBdDc7CE488642fb579F8B00f3a590007251";

/** source address (20) ‖ validator pubkey (48) ‖ amount in gwei (8, big-endian). */
export const WITHDRAWAL_REQUEST_LENGTH = 76;
/** source address (20) ‖ source pubkey (48) ‖ target pubkey (48). */
export const CONSOLIDATION_REQUEST_LENGTH = 116;

interface LogPosition {
  blockNumber: bigint;
  logIndex: number;
}

/** EIP-7002: amount 0 asks for a full exit, anything else for a partial withdrawal of that much. */
export interface WithdrawalRequestLog extends LogPosition {
  kind: "withdrawal";
  /** 20 bytes: the caller of the request contract (the vault). */
  sourceAddress: Uint8Array;
  /** 48 bytes. */
  validatorPubkey: Uint8Array;
  amountGwei: bigint;
}

/** EIP-7251: source == target switches the validator's credentials from 0x01 to 0x02. */
export interface ConsolidationRequestLog extends LogPosition {
  kind: "consolidation";
  sourceAddress: Uint8Array;
  sourcePubkey: Uint8Array;
  targetPubkey: Uint8Array;
}

export type ExecutionRequestLog = WithdrawalRequestLog | ConsolidationRequestLog;

/** Where the simulator reads these requests from: an execution node or a test double. */
export interface ExecutionRequestSource {
  /** Requests logged in blocks fromBlock..toBlock (both inclusive), in any order. */
  fetchRequests(fromBlock: bigint, toBlock: bigint): Promise<ExecutionRequestLog[]>;
}

// The decoders copy what they keep: a Buffer's slice would share, and pin, the whole log's memory.

export function decodeWithdrawalRequest(data: Uint8Array, position: LogPosition): WithdrawalRequestLog {
  if (data.length !== WITHDRAWAL_REQUEST_LENGTH) {
    throw new DepositFeedError("withdrawal request log of the wrong length", {
      details: `${data.length} bytes in block ${position.blockNumber}, expected ${WITHDRAWAL_REQUEST_LENGTH}`,
    });
  }
  const amount = new DataView(data.buffer, data.byteOffset + 68, 8).getBigUint64(0, false);
  return {
    kind: "withdrawal",
    ...position,
    sourceAddress: Uint8Array.from(data.subarray(0, 20)),
    validatorPubkey: Uint8Array.from(data.subarray(20, 68)),
    amountGwei: amount,
  };
}

export function decodeConsolidationRequest(data: Uint8Array, position: LogPosition): ConsolidationRequestLog {
  if (data.length !== CONSOLIDATION_REQUEST_LENGTH) {
    throw new DepositFeedError("consolidation request log of the wrong length", {
      details: `${data.length} bytes in block ${position.blockNumber}, expected ${CONSOLIDATION_REQUEST_LENGTH}`,
    });
  }
  return {
    kind: "consolidation",
    ...position,
    sourceAddress: Uint8Array.from(data.subarray(0, 20)),
    sourcePubkey: Uint8Array.from(data.subarray(20, 68)),
    targetPubkey: Uint8Array.from(data.subarray(68, 116)),
  };
}
