import { assertEndpointUrls } from "../chain/endpoints.ts";
import type { createExecutionClient } from "../chain/execution-client.ts";
import { createProtocolConfigSource } from "../chain/protocol-config-source.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { errorLine, OperatorError } from "../lib/errors.ts";
import { DEFAULT_IPFS } from "../operator/settings.ts";
import { parseProtocolConfig } from "../oracles/protocol-config.ts";

/** The IPFS gateways: IPFS_FETCH_ENDPOINTS, else the Python operator's defaults (as for `start`). */
export function ipfsGateways(env: NodeJS.ProcessEnv = process.env): string[] {
  if (!env.IPFS_FETCH_ENDPOINTS) return DEFAULT_IPFS.split(",");
  const gateways = env.IPFS_FETCH_ENDPOINTS.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  assertEndpointUrls(gateways, "IPFS_FETCH_ENDPOINTS");
  return gateways;
}

/**
 * n (oracles) and t (exit_signature_recover_threshold) of the Keeper's current protocol config
 * (spec §4.5), read as `start` reads it: what key shares are split for. A failure names the step:
 * the Keeper's events or thresholds through --execution-endpoints, the config file on IPFS (each
 * gateway with its reason), or the config's content.
 */
export async function readOracleSet(
  client: ReturnType<typeof createExecutionClient>,
  network: NetworkConfig,
  signal: AbortSignal,
): Promise<{ count: number; threshold: number }> {
  const source = createProtocolConfigSource({ client, network, ipfs: { gateways: ipfsGateways() } });
  try {
    const snapshot = await source.read({ signal });
    const config = parseProtocolConfig(
      snapshot.json,
      snapshot.validatorsMinOracles,
      `ipfs://${snapshot.configIpfsHash}`,
    );
    return { count: config.oracles.length, threshold: config.exitSignatureRecoverThreshold };
  } catch (error) {
    // The source's and the parser's errors say which step failed and why.
    if (error instanceof OperatorError || signal.aborted) throw error;
    throw new OperatorError(
      `cannot read the oracle set from the ${network.name} Keeper through --execution-endpoints: ${errorLine(error)}`,
      { cause: error, retryable: true },
    );
  }
}
