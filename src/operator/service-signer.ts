import type { NetworkConfig } from "../config/networks.ts";
import type { ExitSigner } from "../keys/sources/exit-signer.ts";
import type { Logger } from "../lib/logger.ts";
import { openKeySource } from "./key-source.ts";
import { createLegacyRelayerClient } from "./relayer/legacy-relayer-client.ts";
import { openLegacyRelayerKeys } from "./relayer/open-legacy-relayer-keys.ts";
import { createOperatorRelayerClient, type OperatorRelayerClient } from "./relayer/relayer-client.ts";
import { relayerHeldKeys } from "./relayer/relayer-held-keys.ts";
import type { StartSettings } from "./settings.ts";

export interface ServiceSigner {
  signer: ExitSigner;
  /** --relayer-endpoint of today's generation: the relayer makes the validators. */
  relayer: OperatorRelayerClient | undefined;
  /** --relayer-endpoint with --relayer-protocol legacy. */
  legacyEndpoint: string | undefined;
}

/**
 * Where `start`'s validator keys are. With --relayer-endpoint the relayer's sidecars hold them and
 * no keystore, remote signer or HashiCorp Vault is opened: v4, the relayer makes the validators;
 * legacy, the operator registers its deposit data and the relayer gives the exit signatures (spec
 * A.0). Otherwise the key source the settings name. The caller closes the signer.
 */
export async function openServiceSigner(p: {
  settings: Pick<
    StartSettings,
    "relayerEndpoint" | "relayerProtocol" | "relayerTimeoutMs" | "vault" | "depositDataFile" | "keySource"
  >;
  network: NetworkConfig;
  log: Logger;
  signal: AbortSignal;
  /** How often a wait on the legacy relayer is logged again. */
  epochMs: number;
}): Promise<ServiceSigner> {
  const { settings, network, log, signal } = p;
  const legacyEndpoint =
    settings.relayerEndpoint && settings.relayerProtocol === "legacy" ? settings.relayerEndpoint : undefined;
  const relayer =
    settings.relayerEndpoint && !legacyEndpoint
      ? createOperatorRelayerClient({
          endpoint: settings.relayerEndpoint,
          timeoutMs: settings.relayerTimeoutMs,
        })
      : undefined;
  const signer = relayer
    ? relayerHeldKeys(relayer.endpoint)
    : legacyEndpoint
      ? await openLegacyRelayerKeys({
          relayer: createLegacyRelayerClient({
            endpoint: legacyEndpoint,
            timeoutMs: settings.relayerTimeoutMs,
          }),
          network,
          vault: settings.vault,
          depositDataFile: settings.depositDataFile,
          log,
          repeatMs: p.epochMs,
          signal,
        })
      : await openKeySource(settings.keySource, { log, signal });
  return { signer, relayer, legacyEndpoint };
}
