/**
 * Brings an owner's SSV state up to a block: scans the SSVNetwork logs after the state's
 * checkpoint (or from the contract's deploy block) and folds them in, chunk by chunk. A caller
 * that stores the state after each chunk resumes where it stopped.
 */
import type { Address, PublicClient } from "viem";
import type { BlockRangeOptions } from "../chain/block-ranges.ts";
import type { OwnerSsvState } from "./cluster-state.ts";
import { ssvOwnerEventChunks } from "./ssv-events.ts";

export interface SyncOwnerStateParameters extends Omit<BlockRangeOptions, "fromBlock" | "toBlock" | "what"> {
  client: Pick<PublicClient, "request">;
  ssvNetwork: Address;
  /** The SSVNetwork's deploy block: no owner event is older. */
  deployBlock: bigint;
  /** Inclusive: the head the caller trusts (the reorg-safe one for a stored state). */
  toBlock: bigint;
  /** Called after each chunk is applied (store the state here). */
  onChunk?: (state: OwnerSsvState) => void | Promise<void>;
}

/** Applies the owner's events of (checkpoint, toBlock] to `state`; returns the number applied. */
export async function syncOwnerState(
  state: OwnerSsvState,
  params: SyncOwnerStateParameters,
): Promise<number> {
  const { deployBlock, onChunk, ...scan } = params;
  const from = state.scannedTo === undefined ? deployBlock : state.scannedTo + 1n;
  if (from > params.toBlock) return 0;
  let applied = 0;
  for await (const chunk of ssvOwnerEventChunks({ ...scan, owner: state.owner, fromBlock: from })) {
    applied += state.applyChunk(chunk.events, chunk.toBlock);
    await onChunk?.(state);
  }
  return applied;
}
