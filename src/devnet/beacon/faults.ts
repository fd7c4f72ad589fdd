/** What the fault-injection hooks can tell requests apart by. */
export const BEACON_REQUEST_KINDS = [
  "genesis",
  "config",
  "node",
  "states",
  "validators",
  "blocks",
  "pool",
] as const;
export type BeaconRequestKind = (typeof BEACON_REQUEST_KINDS)[number];

/**
 * `down`: 503 with a Beacon API error body. `refuse`: the connection is dropped unanswered.
 * `slow`: the answer comes after the server's slowMs. `syncing`: the node endpoints report a
 * syncing node (is_syncing true, health 206); other endpoints answer as usual, as real nodes do.
 */
export type BeaconFault = "down" | "refuse" | "slow" | "syncing";

export interface FaultTable {
  set(fault: BeaconFault | null, kind: BeaconRequestKind | "all"): void;
  /** The fault for a kind: its own, else the one set for "all". */
  get(kind: BeaconRequestKind | undefined): BeaconFault | undefined;
}

export function createFaultTable(): FaultTable {
  const faults = new Map<BeaconRequestKind | "all", BeaconFault>();
  return {
    set(fault, kind) {
      if (fault === null) faults.delete(kind);
      else faults.set(kind, fault);
    },
    get: (kind) => (kind === undefined ? undefined : faults.get(kind)) ?? faults.get("all"),
  };
}
