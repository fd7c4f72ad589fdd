/**
 * The Pectra system contracts a vault forwards its requests to, and how the operator learns their
 * fee. Each contract answers a call with empty calldata with its current fee (one 32-byte uint256,
 * in wei); a request is a call carrying the raw entry (56 bytes for EIP-7002: pubkey ‖ uint64 gwei
 * big-endian; 96 for EIP-7251: source ‖ target pubkey) with at least that fee as value. The vault
 * reads the fee itself for each request and refunds what is left of msg.value, so paying
 * fee × count, read just before sending, is enough.
 *
 * The fee rises exponentially with the requests queued above the per-block target: the EIPs'
 * fake_exponential(MIN_FEE = 1, excess, UPDATE_FRACTION = 17).
 */
import {
  type Address,
  BaseError,
  ExecutionRevertedError,
  type Hex,
  hexToBigInt,
  type PublicClient,
  size,
} from "viem";
import { EIP7002_WITHDRAWAL_REQUESTS, EIP7251_CONSOLIDATION_REQUESTS } from "../config/networks.ts";
import { OperatorError } from "../lib/errors.ts";

export type RequestKind = "withdrawal" | "consolidation";

export interface RequestContract {
  /** The same on every chain that activated Pectra (mainnet, Hoodi, Gnosis and their testnets). */
  address: Address;
  /** Bytes of one request's calldata. */
  requestLength: number;
  minFee: bigint;
  feeUpdateFraction: bigint;
}

/** EIP-7002 execution-layer triggerable withdrawals. */
export const WITHDRAWAL_REQUESTS: RequestContract = {
  address: EIP7002_WITHDRAWAL_REQUESTS,
  requestLength: 56,
  minFee: 1n,
  feeUpdateFraction: 17n,
};

/** EIP-7251 execution-layer triggerable consolidations. */
export const CONSOLIDATION_REQUESTS: RequestContract = {
  address: EIP7251_CONSOLIDATION_REQUESTS,
  requestLength: 96,
  minFee: 1n,
  feeUpdateFraction: 17n,
};

/** factor · e^(numerator / denominator), in integers, as EIP-4844 and the request EIPs define it. */
export function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError(`denominator ${denominator} must be positive`);
  let i = 1n;
  let output = 0n;
  let accumulator = factor * denominator;
  while (accumulator > 0n) {
    output += accumulator;
    accumulator = (accumulator * numerator) / (denominator * i);
    i += 1n;
  }
  return output / denominator;
}

/** The fee (wei) a contract charges when `excess` requests are queued above its target. */
export function requestFeeForExcess(contract: RequestContract, excess: bigint): bigint {
  return fakeExponential(contract.minFee, excess, contract.feeUpdateFraction);
}

/** The request contract refused the fee query or answered something that is not a fee. */
export class RequestFeeError extends OperatorError {
  override name = "RequestFeeError";
}

export interface ReadRequestFeeParameters {
  /** Any client that can eth_call (a public client, or a signer's). */
  client: Pick<PublicClient, "call">;
  /** The contract's address on this network (NetworkConfig.withdrawalRequests / consolidationRequests). */
  address: Address;
  kind: RequestKind;
  /** Default: the latest block. */
  blockNumber?: bigint;
}

/** The current fee of one request, in wei, by an eth_call with empty calldata. */
export async function readRequestFee(params: ReadRequestFeeParameters): Promise<bigint> {
  const what = params.kind === "withdrawal" ? "EIP-7002 withdrawal" : "EIP-7251 consolidation";
  let data: Hex | undefined;
  try {
    ({ data } = await params.client.call({
      to: params.address,
      data: "0x",
      ...(params.blockNumber === undefined ? {} : { blockNumber: params.blockNumber }),
    }));
  } catch (error) {
    // A revert is the contract's answer (its fee is not yet defined before the fork's first
    // block); anything else (network, timeout) is left to the caller's retry policy.
    if (error instanceof BaseError && error.walk((e) => e instanceof ExecutionRevertedError)) {
      throw new RequestFeeError(`the ${what} request contract at ${params.address} refused the fee query`, {
        details: "is Pectra active on this chain?",
        cause: error,
      });
    }
    throw error;
  }
  if (!data || size(data) !== 32) {
    throw new RequestFeeError(
      `the ${what} request contract at ${params.address} answered ${data && data !== "0x" ? `${size(data)} bytes` : "nothing"}, not a 32-byte fee`,
      { details: "is it deployed on this chain?" },
    );
  }
  return hexToBigInt(data);
}
