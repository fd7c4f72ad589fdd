import type { BeaconState } from "./beacon-state.ts";
import type { FaultTable } from "./faults.ts";

/** What the route modules share. */
export interface ApiContext {
  state: BeaconState;
  faults: FaultTable;
  /** The /eth/v1/node/version string. */
  version: string;
}
