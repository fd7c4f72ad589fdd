import type { Logger } from "../../lib/logger.ts";
import type { KeyRegistry } from "./server.ts";
import { normalizeKey, type RelayerStore } from "./store.ts";

/** The chain reads the key registry needs (spec A.4), small enough for a test double. */
export interface RegistrationChain {
  /** Those of `keys` the beacon chain knows at head: validators and queued (pending) deposits. */
  beaconKnownKeys(keys: readonly `0x${string}`[]): Promise<`0x${string}`[]>;
  /** The execution block of the finalized beacon block. */
  finalizedBlock(): Promise<bigint>;
  /** The execution head. */
  headBlock(): Promise<bigint>;
  /** The public key of every DepositEvent in [fromBlock, toBlock], valid deposit or not. */
  depositedKeys(fromBlock: bigint, toBlock: bigint): Promise<`0x${string}`[]>;
}

/** The checkpoint of the DepositEvent scan: the last finalized block whose deposits are stored. */
export const CHECKPOINT_DEPOSIT_EVENTS = "deposit_events";
/** When the beacon status of the CSV keys was last read (informational). */
export const CHECKPOINT_BEACON_STATUS = "beacon_status";

export interface FollowedKeyRegistry extends KeyRegistry {
  /** Reads the beacon status of the CSV keys, then the deposits (`refresh`). */
  start(): Promise<void>;
  /**
   * One slot's scan: DepositEvents from the checkpoint + 1 to the finalized block are stored (for
   * the CSV keys) with the checkpoint; those from finalized + 1 to the head are read afresh each
   * time and never stored, so a deposit a reorg dropped stops counting.
   */
  refresh(): Promise<void>;
}

/**
 * Today's generation (spec A.4): the CSV keys, in order, minus those registered — known to the
 * beacon chain at start, or seen in a DepositEvent since. Any deposit counts, even one with a bad
 * signature or other withdrawal credentials: a key someone else deposited is never offered again.
 */
export function createKeyRegistry(
  options: { keys: readonly `0x${string}`[] },
  deps: { store: RelayerStore; chain: RegistrationChain; log: Logger },
): FollowedKeyRegistry {
  const { store, chain, log } = deps;
  const keys = options.keys.map(normalizeKey);
  const wanted = new Set(keys);
  const ours = (deposited: readonly `0x${string}`[]) => [
    ...new Set(deposited.map(normalizeKey).filter((key) => wanted.has(key))),
  ];
  /** CSV keys deposited after the finalized block: not stored, a reorg may drop them. */
  let recent = new Set<`0x${string}`>();

  async function refresh(): Promise<void> {
    const finalized = await chain.finalizedBlock();
    const head = await chain.headBlock();
    let scanned = (await store.checkpoint(CHECKPOINT_DEPOSIT_EVENTS)) ?? finalized;
    if (finalized > scanned) {
      const deposited = ours(await chain.depositedKeys(scanned + 1n, finalized));
      await store.addRegisteredKeys(deposited, "deposit", finalized, CHECKPOINT_DEPOSIT_EVENTS);
      if (deposited.length > 0)
        log.info("public keys deposited", { count: deposited.length, block: finalized });
      scanned = finalized;
    }
    const from = scanned + 1n;
    recent = new Set(head >= from ? ours(await chain.depositedKeys(from, head)) : []);
  }

  return {
    async start() {
      const finalized = await chain.finalizedBlock();
      const known = ours(await chain.beaconKnownKeys(keys));
      await store.addRegisteredKeys(known, "cl", finalized, CHECKPOINT_BEACON_STATUS);
      if ((await store.checkpoint(CHECKPOINT_DEPOSIT_EVENTS)) === undefined) {
        // The beacon state at head holds every deposit up to the finalized block (EIP-6110).
        await store.addRegisteredKeys([], "deposit", finalized, CHECKPOINT_DEPOSIT_EVENTS);
      }
      log.info("public keys loaded", { keys: keys.length, onBeaconChain: known.length });
      await refresh();
    },
    refresh,
    async unregisteredKeys() {
      const registered = await store.registeredKeys();
      return keys.filter((key) => !registered.has(key) && !recent.has(key));
    },
  };
}
