import type { createExecutionClient } from "../chain/execution-client.ts";
import { createProtocolConfigSource } from "../chain/protocol-config-source.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { OperatorError } from "../lib/errors.ts";
import { ipfsGateways } from "../operator/settings.ts";
import { parseProtocolConfig } from "../oracles/protocol-config.ts";

/**
 * n (oracles) and t (exit_signature_recover_threshold) of the Keeper's current protocol config
 * (spec §4.5), read as `start` reads it: what key shares are split for.
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
    if (error instanceof OperatorError || signal.aborted) throw error;
    const reason = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;
    throw new OperatorError(
      `cannot read the oracle set from the ${network.name} Keeper through --execution-endpoints: ${reason}`,
      { cause: error, retryable: true },
    );
  }
}
