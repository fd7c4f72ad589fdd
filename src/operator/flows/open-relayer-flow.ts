import type { Hex } from "viem";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { UserInputError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import { checkRelayerFor } from "../relayer/relayer-checks.ts";
import type { OperatorRelayerClient } from "../relayer/relayer-client.ts";
import { maxValidatorBalanceGweiFor, type V5Settings } from "../v5-settings.ts";
import { validatorTypeFor } from "./open-validators-manager-flow.ts";
import { createRelayerFlow, type RelayerPayload } from "./relayer-flow.ts";
import type { VaultFlow } from "./vault-flow.ts";

export interface OpenRelayerFlowParameters {
  state: VaultState;
  vault: `0x${string}`;
  network: NetworkConfig;
  settings: V5Settings;
  relayer: OperatorRelayerClient;
  registryRoot(): Promise<Hex>;
  oracleTimeoutMs: number;
  log: Logger;
  signal?: AbortSignal;
}

/**
 * The startup checks of `start --relayer-endpoint`, then its flow: the relayer answers GET /info
 * for this network, the vault has a validators manager (version 2 or later), and when the relayer
 * names its manager wallet it is the vault's. Each mismatch is one line and the service exits.
 */
export async function openRelayerFlow(
  p: OpenRelayerFlowParameters,
): Promise<VaultFlow<RelayerPayload, VaultState>> {
  const { state, network, relayer } = p;
  const manager = state.validatorsManager;
  if (state.version < 2 || manager === undefined) {
    throw new UserInputError(
      `the vault is version ${state.version} and has no validators manager, which a relayer needs to sign for: upgrade the vault, or drop --relayer-endpoint`,
    );
  }
  await checkRelayerFor(
    relayer,
    { network: network.name, manager, dropHint: "drop --relayer-endpoint" },
    p.signal,
  );
  const validatorType = validatorTypeFor(state.version, p.settings);
  const maxValidatorBalanceGwei = maxValidatorBalanceGweiFor(p.settings, network);
  p.log.info("validators from the relayer", {
    relayer: relayer.endpoint,
    validatorType,
    validatorsManager: manager,
    maxValidatorBalanceGwei: String(maxValidatorBalanceGwei),
  });
  return createRelayerFlow({
    vault: p.vault,
    network,
    relayer,
    validatorType,
    maxValidatorBalanceGwei,
    minDepositAmountGwei: p.settings.minDepositAmountGwei,
    vaultMinBalanceGwei: p.settings.vaultMinBalanceGwei,
    registryRoot: p.registryRoot,
    oracleTimeoutMs: p.oracleTimeoutMs,
  });
}
