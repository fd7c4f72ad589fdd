import { DEFAULT_IPFS_GATEWAYS, type NetworkConfig } from "../config/networks.ts";
import { httpUrlList, parseEnvValue } from "../lib/values.ts";

/** The env var that overrides a network's IPFS gateways (the Python operator's name). */
export const IPFS_GATEWAYS_ENV = "IPFS_FETCH_ENDPOINTS";

/**
 * IPFS_FETCH_ENDPOINTS as a list of gateways (comma-separated http(s) URLs), or undefined when it
 * is not set. A malformed value is a user error naming the env var.
 */
export function parseIpfsGatewaysEnv(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  return parseEnvValue<string[] | undefined>(
    env,
    IPFS_GATEWAYS_ENV,
    httpUrlList("https://ipfs.io"),
    undefined,
  );
}

/**
 * The IPFS gateways to read a network's files from, in order: the override (IPFS_FETCH_ENDPOINTS)
 * when given, else the network's own (a devnet's network file names its gateway), else the public
 * gateways.
 */
export function ipfsGatewaysFor(network: NetworkConfig, override?: readonly string[]): string[] {
  return [...(override ?? network.ipfsGateways ?? DEFAULT_IPFS_GATEWAYS)];
}
