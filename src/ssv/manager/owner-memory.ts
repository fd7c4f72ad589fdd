import type { Address, PublicClient } from "viem";
import { OwnerSsvState } from "../cluster-state.ts";
import { syncOwnerState } from "../owner-sync.ts";
import { readManagerMemory, writeManagerMemory } from "./manager-state-file.ts";

/**
 * The manager's live memory: the owner's SSV state (one object for the whole process, brought up
 * to date by `sync`) and the operators' first-inactive times, written back to ssv-manager.json
 * after every scanned chunk and every round.
 */
export interface OwnerMemory {
  readonly state: OwnerSsvState;
  inactiveSince: Map<bigint, number>;
  save(): Promise<void>;
  /** Applies the owner's events up to `toBlock` (the latest block: the next call must pass the newest snapshot). */
  sync(toBlock: bigint): Promise<void>;
}

export interface OpenOwnerMemoryParameters {
  file: string;
  owner: Address;
  client: Pick<PublicClient, "request">;
  ssvNetwork: Address;
  deployBlock: bigint;
}

/** Reads the memory file; a state of another owner (the wallet changed) starts over from the deploy block. */
export async function openOwnerMemory(p: OpenOwnerMemoryParameters): Promise<OwnerMemory> {
  const stored = await readManagerMemory(p.file);
  const restored = stored.ownerState ? OwnerSsvState.fromJSON(stored.ownerState) : undefined;
  const state = restored && restored.owner === p.owner.toLowerCase() ? restored : new OwnerSsvState(p.owner);
  const memory: OwnerMemory = {
    state,
    inactiveSince: stored.inactiveSince,
    save: () =>
      writeManagerMemory(p.file, { inactiveSince: memory.inactiveSince, ownerState: state.toJSON() }),
    async sync(toBlock) {
      await syncOwnerState(state, {
        client: p.client,
        ssvNetwork: p.ssvNetwork,
        deployBlock: p.deployBlock,
        toBlock,
        onChunk: () => memory.save(),
      });
    },
  };
  return memory;
}
