/**
 * How many assets the vault's exit queue still misses, the number a withdrawal planner starts
 * from (spec §6.4 step 4). Read through v3-core v4's ValidatorsChecker, in two eth_calls of its
 * multicall, each after the pending harvest when one is given (the harvest changes both numbers):
 *
 * 1. the queue's cumulative tickets: every ticket issued so far, processed or not;
 * 2. the assets needed to process the queue up to that ticket, beyond what the vault holds and
 *    what is already on its way (`withdrawingAssets`: pending partial withdrawals and exiting
 *    validators, which the caller counts from the beacon node).
 */
import { type Address, decodeFunctionResult, encodeFunctionData, type Hex, type PublicClient } from "viem";
import type { NetworkConfig } from "../config/networks.ts";
import { OperatorError } from "../lib/errors.ts";
import { validatorsCheckerAbi } from "./abi/validators-checker.ts";
import type { HarvestParams } from "./vault-reader.ts";

export interface ReadExitQueueParameters {
  client: PublicClient;
  network: NetworkConfig;
  vault: Address;
  /** Wei already on its way to the vault (pending partial withdrawals, exiting validators). */
  withdrawingAssets: bigint;
  /** The vault's pending harvest, applied first in the same eth_call. */
  harvestParams?: HarvestParams;
  /** Default: the latest block. */
  blockNumber?: bigint;
}

export interface ExitQueueNeed {
  /** The ticket up to which the queue is to be covered. */
  cumulativeTickets: bigint;
  /** Wei the queue misses after the vault's own assets and `withdrawingAssets`; 0 when covered. */
  missingAssets: bigint;
}

export async function readExitQueueNeed(params: ReadExitQueueParameters): Promise<ExitQueueNeed> {
  const { client, network, vault } = params;
  const checker = network.validatorsChecker;
  if (!checker) throw new OperatorError(`network ${network.name} has no ValidatorsChecker address`);
  const harvest = params.harvestParams
    ? [
        encodeFunctionData({
          abi: validatorsCheckerAbi,
          functionName: "updateVaultState",
          args: [vault, params.harvestParams],
        }),
      ]
    : [];

  async function lastResult(call: Hex): Promise<Hex> {
    const { result } = await client.simulateContract({
      address: checker as Address,
      abi: validatorsCheckerAbi,
      functionName: "multicall",
      args: [[...harvest, call]],
      ...(params.blockNumber === undefined ? {} : { blockNumber: params.blockNumber }),
    });
    const last = result[result.length - 1];
    if (last === undefined)
      throw new OperatorError(`the ValidatorsChecker at ${checker} returned no results`);
    return last;
  }

  const cumulativeTickets = decodeFunctionResult({
    abi: validatorsCheckerAbi,
    functionName: "getExitQueueCumulativeTickets",
    data: await lastResult(
      encodeFunctionData({
        abi: validatorsCheckerAbi,
        functionName: "getExitQueueCumulativeTickets",
        args: [vault],
      }),
    ),
  });
  const missingAssets = decodeFunctionResult({
    abi: validatorsCheckerAbi,
    functionName: "getExitQueueMissingAssets",
    data: await lastResult(
      encodeFunctionData({
        abi: validatorsCheckerAbi,
        functionName: "getExitQueueMissingAssets",
        args: [vault, params.withdrawingAssets, cumulativeTickets],
      }),
    ),
  });
  return { cumulativeTickets, missingAssets };
}
