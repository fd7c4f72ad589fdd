import type { Address, PublicClient } from "viem";
import type { NetworkConfig } from "../../config/networks.ts";
import { UserInputError } from "../../lib/errors.ts";
import {
  type ManagerSignatures,
  managerChainView,
  relayerManagerSignatures,
  walletIsManager,
} from "../manager-signatures.ts";
import { checkRelayerFor } from "./relayer-checks.ts";
import { createOperatorRelayerClient } from "./relayer-client.ts";

/** How long a one-shot command waits for the relayer's GET /info or signature. */
const RELAYER_TIMEOUT_MS = 30_000;

export interface CommandManagerParameters {
  /** --relayer-endpoint: a DVT relayer holds the validators-manager key. */
  relayerEndpoint: string | undefined;
  network: NetworkConfig;
  vault: Address;
  /** The vault's validators manager now. */
  manager: string | undefined;
  /** The sending wallet. */
  wallet: Address;
  execution: PublicClient;
  /** The refusal when the wallet is not the manager and no relayer is given (names the command's fix). */
  notManager: string;
  signal: AbortSignal;
}

/**
 * Who signs a one-shot command's manager call (consolidate, exit-validators): the wallet, when it
 * is the vault's validators manager (no signature), or the DVT relayer of --relayer-endpoint,
 * once it serves this network as this vault's manager. Anything else is one line.
 */
export async function commandManager(p: CommandManagerParameters): Promise<ManagerSignatures> {
  if (p.relayerEndpoint) {
    const relayer = createOperatorRelayerClient({
      endpoint: p.relayerEndpoint,
      timeoutMs: RELAYER_TIMEOUT_MS,
    });
    await checkRelayerFor(
      relayer,
      { network: p.network.name, manager: p.manager, dropHint: "drop --relayer-endpoint" },
      p.signal,
    );
    return relayerManagerSignatures(relayer, managerChainView(p.execution, p.network.chainId));
  }
  if (p.manager?.toLowerCase() !== p.wallet.toLowerCase()) throw new UserInputError(p.notManager);
  return walletIsManager;
}
