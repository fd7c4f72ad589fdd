import type { Address, Hex, LocalAccount } from "viem";
import { vaultReadError } from "../../chain/not-a-vault.ts";
import type { VaultReader, VaultSnapshot } from "../../chain/vault-reader.ts";
import type { VaultState, VaultStateReader } from "../../chain/vault-state-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import { UserInputError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { OperatorRelayerClient } from "../relayer/relayer-client.ts";
import type { StartSettings } from "../settings.ts";
import { chooseFlow, type FlowName } from "./choose-flow.ts";
import type { DepositDataPayload } from "./deposit-data-plan.ts";
import { openDepositDataRegistryFlow } from "./open-deposit-data-registry-flow.ts";
import { openRelayerFlow } from "./open-relayer-flow.ts";
import { openValidatorsManagerFlow } from "./open-validators-manager-flow.ts";
import { openValidatorsRootFlow, readValidatorsRootInputs } from "./open-validators-root-flow.ts";
import type { RelayerPayload } from "./relayer-flow.ts";
import type { ValidatorsManagerPayload } from "./validators-manager-flow.ts";
import type { ValidatorsRootPayload } from "./validators-root-flow.ts";
import type { VaultFlow } from "./vault-flow.ts";

/** How a flow reads the vault for a slot's snapshot, at the snapshot's block. */
export type VaultReadAt<V> = (vault: Address, block: bigint) => Promise<V>;

/** The flow the vault takes, with the reading of the vault its plan needs. */
export type OpenedVaultFlow =
  | {
      kind: "validators-root";
      flow: VaultFlow<ValidatorsRootPayload, VaultSnapshot>;
      readVault: VaultReadAt<VaultSnapshot>;
      nextKey: Hex | undefined;
      /** The vault's version(). */
      version: number;
    }
  | {
      kind: "relayer";
      flow: VaultFlow<RelayerPayload, VaultState>;
      readVault: VaultReadAt<VaultState>;
      nextKey: undefined;
      version: number;
    }
  | {
      kind: "deposit-data-registry";
      flow: VaultFlow<DepositDataPayload, VaultState>;
      readVault: VaultReadAt<VaultState>;
      nextKey: Hex | undefined;
      /** The vault's version(). */
      version: number;
    }
  | {
      kind: "validators-manager";
      flow: VaultFlow<ValidatorsManagerPayload, VaultState>;
      readVault: VaultReadAt<VaultState>;
      nextKey: Hex | undefined;
      /** The vault's version(). */
      version: number;
    };

export interface OpenVaultFlowParameters {
  settings: Pick<
    StartSettings,
    "vault" | "depositDataFile" | "keySource" | "keystoresDir" | "oracleTimeoutMs" | "v5"
  >;
  network: NetworkConfig;
  signer: ExitSigner;
  reader: VaultReader;
  stateReader: VaultStateReader;
  /** The operator's wallet: the sender of every transaction, and the manager it may be. */
  wallet: Pick<LocalAccount, "address" | "signTypedData">;
  /** start --relayer-endpoint: the relayer makes the validators, whoever the manager is. */
  relayer?: OperatorRelayerClient | undefined;
  /**
   * start --relayer-endpoint … --relayer-protocol legacy: the relayer's endpoint. The deposit data
   * flows run with the relayer's exit signatures (the signer); a vault managed by the wallet has no
   * deposit data, so it is refused.
   */
  legacyRelayer?: string | undefined;
  log: Logger;
}

/**
 * Reads the vault's version and validators manager, picks the flow that registers its validators
 * (choose-flow.ts), says which in one line, and opens it with its startup checks.
 */
export async function openVaultFlow(p: OpenVaultFlowParameters): Promise<OpenedVaultFlow> {
  const { settings, network, log } = p;
  const state = await p.stateReader.read(settings.vault).catch((error: unknown) => {
    throw vaultReadError(settings.vault, network.name, error);
  });
  if (p.relayer) {
    const flow = await openRelayerFlow({
      state,
      vault: settings.vault,
      network,
      settings: settings.v5,
      relayer: p.relayer,
      registryRoot: () => p.reader.depositRoot(),
      oracleTimeoutMs: settings.oracleTimeoutMs,
      log,
    });
    log.info("vault flow chosen", { flow: "relayer", version: state.version });
    return {
      kind: "relayer",
      flow,
      nextKey: undefined,
      version: state.version,
      readVault: (vault, block) => p.stateReader.read(vault, { blockNumber: block }),
    };
  }
  const choice = chooseFlow({
    version: state.version,
    validatorsManager: state.validatorsManager,
    depositDataRegistry: network.depositDataRegistry,
    wallet: p.wallet.address,
  });
  if (choice.kind === "refused") throw new UserInputError(choice.reason);
  if (p.legacyRelayer && choice.flow === "validators-manager") {
    throw new UserInputError(
      `the vault's validators manager is this wallet ${p.wallet.address}, whose validators are made on the fly with no deposit data, but a legacy relayer (--relayer-protocol legacy) only signs the exits of deposit data: use --relayer-protocol v4 with a relayer that makes the validators, or make the DepositDataRegistry the vault's validators manager and set the deposit data root there (set-deposit-data-root)`,
    );
  }
  log.info("vault flow chosen", {
    flow: choice.flow,
    version: state.version,
    ...(state.validatorsManager ? { validatorsManager: state.validatorsManager } : {}),
  });
  return open(choice.flow, state, p);
}

async function open(
  flowName: FlowName,
  state: VaultState,
  p: OpenVaultFlowParameters,
): Promise<OpenedVaultFlow> {
  const { settings, network, signer, log } = p;
  switch (flowName) {
    case "validators-root": {
      // Local inputs before the vault's root is compared: a bad file fails with its own line.
      const inputs = await readValidatorsRootInputs({
        vault: settings.vault,
        network,
        depositDataFile: settings.depositDataFile,
      });
      const { flow, nextKey } = await openValidatorsRootFlow({
        inputs,
        vault: settings.vault,
        network,
        depositDataFile: settings.depositDataFile,
        signer,
        missingKeysFix: missingKeysFix(settings, signer),
        reader: p.reader,
        oracleTimeoutMs: settings.oracleTimeoutMs,
        log,
      });
      return {
        kind: "validators-root",
        flow,
        nextKey,
        version: state.version,
        readVault: (vault, block) => p.reader.readVault(vault, { blockNumber: block }),
      };
    }
    case "validators-manager": {
      const { flow, nextKey } = await openValidatorsManagerFlow({
        state,
        vault: settings.vault,
        network,
        signer,
        settings: settings.v5,
        signManager: (typedData) => p.wallet.signTypedData(typedData),
        registryRoot: () => p.reader.depositRoot(),
        oracleTimeoutMs: settings.oracleTimeoutMs,
        log,
      });
      return {
        kind: "validators-manager",
        flow,
        nextKey,
        version: state.version,
        readVault: (vault, block) => p.stateReader.read(vault, { blockNumber: block }),
      };
    }
    case "deposit-data-registry": {
      const registry = network.depositDataRegistry;
      // chooseFlow picks this flow only when the manager is the network's registry.
      if (!registry) throw new Error("deposit-data-registry flow chosen on a network without a registry");
      const inputs = await readValidatorsRootInputs({
        vault: settings.vault,
        network,
        depositDataFile: settings.depositDataFile,
      });
      const { flow, nextKey } = await openDepositDataRegistryFlow({
        inputs,
        state,
        vault: settings.vault,
        registry,
        network,
        depositDataFile: settings.depositDataFile,
        signer,
        missingKeysFix: missingKeysFix(settings, signer),
        registryRoot: () => p.reader.depositRoot(),
        oracleTimeoutMs: settings.oracleTimeoutMs,
        log,
      });
      return {
        kind: "deposit-data-registry",
        flow,
        nextKey,
        version: state.version,
        readVault: (vault, block) => p.stateReader.read(vault, { blockNumber: block }),
      };
    }
  }
}

/** The end of "none of the N deposit data keys …": where the user loads the keys. */
function missingKeysFix(
  settings: Pick<StartSettings, "keySource" | "keystoresDir">,
  signer: Pick<ExitSigner, "description">,
): string {
  return settings.keySource.remoteSignerUrl || settings.keySource.hashiVault
    ? `is in the ${signer.description}: load the keys of this deposit data there`
    : `has a keystore in ${settings.keystoresDir}: pass --keystores-dir with the keystores of this deposit data`;
}
