import type { NetworkConfig } from "../../config/networks.ts";

/** The parts of a network the simulator needs; a whole NetworkConfig fits. */
export type BeaconNetwork = Pick<
  NetworkConfig,
  | "chainId"
  | "genesisForkVersion"
  | "capellaForkVersion"
  | "capellaEpoch"
  | "genesisValidatorsRoot"
  | "slotsPerEpoch"
  | "secondsPerSlot"
> & { depositContract: { address: `0x${string}`; genesisBlock?: number } };
