import type { createExecutionClient } from "../chain/execution-client.ts";
import { ipfsGatewaysFor, parseIpfsGatewaysEnv } from "../chain/ipfs-gateways.ts";
import { createProtocolConfigSource } from "../chain/protocol-config-source.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { errorLine, OperatorError } from "../lib/errors.ts";
import { createOracleSetReader } from "../oracles/oracle-set.ts";

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
  const source = createProtocolConfigSource({
    client,
    network,
    ipfs: { gateways: ipfsGatewaysFor(network, parseIpfsGatewaysEnv()) },
  });
  try {
    const { set } = await createOracleSetReader(source)(signal);
    return { count: set.recipients.length, threshold: set.recoverThreshold };
  } catch (error) {
    // The source's and the parser's errors say which step failed and why.
    if (error instanceof OperatorError || signal.aborted) throw error;
    throw new OperatorError(
      `cannot read the oracle set from the ${network.name} Keeper through --execution-endpoints: ${errorLine(error)}`,
      { cause: error, retryable: true },
    );
  }
}
