/**
 * Several contract reads as one Multicall3 `aggregate3` eth_call: every value comes from the same
 * block, in one round trip. Each call may fail on its own; the caller says which failures are an
 * answer (an `optional` call, e.g. a function older vaults lack) and how to word the others.
 */
import { type Abi, type Address, decodeFunctionResult, encodeFunctionData, type PublicClient } from "viem";
import type { NetworkConfig } from "../config/networks.ts";
import { OperatorError } from "../lib/errors.ts";
import { multicall3Abi } from "./abi/multicall3.ts";

export interface AggregateCall {
  target: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  /** What a failure message names ("vault", "Keeper", "DepositDataRegistry", ...). */
  owner: string;
  /** A failure (revert, empty or undecodable answer) gives `undefined` instead of an error. */
  optional?: boolean;
}

export interface Aggregate3Parameters {
  client: PublicClient;
  network: NetworkConfig;
  calls: readonly AggregateCall[];
  /** Default: the latest block. */
  blockNumber?: bigint;
  /** The error for a failed call that is not optional; `cause` is the decoding error, if any. */
  onFailure(call: AggregateCall, cause?: unknown): Error;
}

/** The network's Multicall3 is missing: a network-file problem, not one of the contract read through it. */
export class Multicall3Error extends OperatorError {
  override name = "Multicall3Error";
}

/** A Multicall3 call of the block number, to put first in a batch whose block must be known. */
export function blockNumberCall(multicall3: Address): AggregateCall {
  return { target: multicall3, abi: multicall3Abi, functionName: "getBlockNumber", owner: "Multicall3" };
}

/** The network's Multicall3, or an error saying that it has none (not a vault problem). */
export function multicall3Of(network: NetworkConfig): Address {
  if (!network.multicall3) {
    throw new Multicall3Error(
      `network ${network.name} has no Multicall3 address: add "multicall3" to its network file`,
    );
  }
  return network.multicall3;
}

/** The decoded results of `calls`, in order, all from one aggregate3 eth_call. */
export async function aggregate3(params: Aggregate3Parameters): Promise<unknown[]> {
  const { client, network, calls } = params;
  const multicall3 = multicall3Of(network);
  const data = encodeFunctionData({
    abi: multicall3Abi,
    functionName: "aggregate3",
    args: [
      calls.map((c) => ({
        target: c.target,
        allowFailure: true,
        callData: encodeFunctionData({ abi: c.abi, functionName: c.functionName, args: c.args ?? [] }),
      })),
    ],
  });
  const { data: returned } = await client.call({
    to: multicall3,
    data,
    ...(params.blockNumber === undefined ? {} : { blockNumber: params.blockNumber }),
  });
  if (!returned || returned === "0x") {
    throw new Multicall3Error(
      `Multicall3 at ${multicall3} returned nothing: is it deployed on ${network.name}?`,
    );
  }
  const results = decodeFunctionResult({ abi: multicall3Abi, functionName: "aggregate3", data: returned });
  return calls.map((c, i) => {
    const result = results[i];
    if (!result?.success || result.returnData === "0x") {
      if (c.optional) return undefined;
      throw params.onFailure(c);
    }
    try {
      return decodeFunctionResult({ abi: c.abi, functionName: c.functionName, data: result.returnData });
    } catch (error) {
      if (c.optional) return undefined;
      throw params.onFailure(c, error);
    }
  });
}
