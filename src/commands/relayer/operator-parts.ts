import { createExecutionClient } from "../../chain/execution-client.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { EndpointGauge, RelayerDeps } from "../../dvt/relayer/service.ts";
import { OperatorError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import { createEndpointWatch, watchedNodeEndpoints } from "../../operator/status/endpoint-watch.ts";
import { legacyValidatorIndex, openLegacyDepositsStore } from "./legacy-index.ts";

/**
 * The relayer's parts that are the operator service's own code (the dvt layer may not import it):
 * start's endpoint watch for /health, and for the legacy generation the deposit scan that gives
 * the next validator index. `close` releases the deposit store.
 */
export async function operatorParts(params: {
  network: NetworkConfig;
  protocol: "v4" | "legacy";
  executionEndpoints: readonly string[];
  executionJwtSecret?: Uint8Array | undefined;
  consensusEndpoints: readonly string[];
  dataDir: string;
  log: Logger;
}): Promise<{ deps: Pick<RelayerDeps, "nextValidatorIndex" | "watchEndpoints">; close(): void }> {
  const { network, log } = params;
  const jwtSecret = params.executionJwtSecret;
  const watched = watchedNodeEndpoints(params.executionEndpoints, params.consensusEndpoints, network, {
    jwtSecret,
  });
  const watchEndpoints = (metrics: EndpointGauge) =>
    createEndpointWatch({ endpoints: watched, log, metrics, repeatMs: network.secondsPerSlot * 32_000 });
  if (params.protocol !== "legacy") return { deps: { watchEndpoints }, close: () => {} };

  const client = createExecutionClient({ endpoints: [...params.executionEndpoints], network, jwtSecret });
  const genesis = await client.getBlock({ blockNumber: 0n }).catch((error: unknown) => {
    throw new OperatorError("cannot read the genesis block through --execution-endpoints", {
      cause: error,
      retryable: true,
    });
  });
  const store = openLegacyDepositsStore({
    dataDir: params.dataDir,
    network,
    chain: { chainId: network.chainId, genesisHash: genesis.hash },
  });
  try {
    const next = legacyValidatorIndex({ client, network, store, log: log.child({ module: "deposits" }) });
    log.info("scanning the deposit contract for the legacy validator index", { file: store.file });
    const index = await next();
    log.info("deposit scan done", { nextValidatorIndex: index });
    return { deps: { watchEndpoints, nextValidatorIndex: next }, close: () => store.close() };
  } catch (error) {
    store.close();
    throw error;
  }
}
