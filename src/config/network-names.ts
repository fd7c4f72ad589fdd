import { oneOf } from "../lib/values.ts";

/**
 * The names --network takes. Apart from networks.ts (the constants of each network, and the
 * schema of a devnet's file) so that the CLI's option definitions read them without loading it.
 */
export const PUBLIC_NETWORKS = ["mainnet", "hoodi", "holesky", "gnosis", "chiado"] as const;
export const NETWORK_NAMES = [...PUBLIC_NETWORKS, "devnet"] as const;

/** --network / NETWORK (a ValueParser): a network name, in any case. */
export const networkNameValue = oneOf("a network", NETWORK_NAMES);
