import type { Address, Hex } from "viem";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { DepositDataEntry } from "../../keys/deposit-data-file.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import type { ValidatorsTree } from "../../keys/validators-tree.ts";
import { registryHarvestData, registryRoute } from "../registration/registry-route.ts";
import {
  type DepositDataPayload,
  type DepositDataPlanParameters,
  planDepositData,
  plannedDepositData,
  unusedDepositDataKeys,
} from "./deposit-data-plan.ts";
import { prepareDepositDataRegistration } from "./deposit-data-prepare.ts";
import { registrationGasFloor } from "./validators-root-flow.ts";
import type { VaultFlow } from "./vault-flow.ts";

export interface DepositDataRegistryFlowParameters {
  vault: Address;
  /** The network's DepositDataRegistry: the vault's validators manager. */
  registry: Address;
  network: NetworkConfig;
  depositData: readonly DepositDataEntry[];
  depositDataFile: string;
  tree: ValidatorsTree;
  fileRoot: Hex;
  signer: ExitSigner;
  oracleTimeoutMs: number;
  /** The deposit contract's root now: an approval is bound to it and re-checked before sending. */
  registryRoot(): Promise<Hex>;
}

/** The registry's record of the vault, or the zero root when the network has none (never chosen then). */
export const registryRecordOf = (vault: VaultState) => ({
  root: vault.registry?.depositDataRoot ?? (`0x${"00".repeat(32)}` as const),
  index: vault.registry?.depositDataIndex ?? 0,
});

/**
 * A vault of version 2 or later whose validators manager is the DepositDataRegistry (spec §3,
 * §5.3 v2.0.0–v3.x): the deposit data file's root is set in the registry by the vault's
 * deposit-data manager, and the registry registers the file's entries in order, from its own next
 * index, against the proofs; the registry calls the vault as its validators manager. A due
 * harvest goes first in the registry's multicall (updateVaultState).
 */
export function createDepositDataRegistryFlow(
  p: DepositDataRegistryFlowParameters,
): VaultFlow<DepositDataPayload, VaultState> {
  const { network } = p;
  const planParameters: DepositDataPlanParameters = {
    network,
    depositData: p.depositData,
    depositDataFile: p.depositDataFile,
    fileRoot: p.fileRoot,
    signer: p.signer,
    uploadFix: "set the new deposit data's root in the DepositDataRegistry (set-deposit-data-root)",
    rootMismatch: `the deposit data file's Merkle root is not the vault's root in the DepositDataRegistry: set it there (set-deposit-data-root with ${p.depositDataFile}), or point --deposit-data-file at the file whose root was set`,
  };

  return {
    name: "deposit data root in the DepositDataRegistry (version ≥ 2)",
    unusedKeys: (snapshot) =>
      unusedDepositDataKeys(p.depositData.length, registryRecordOf(snapshot.vault).index),
    plan: (snapshot) => planDepositData(planParameters, snapshot, registryRecordOf(snapshot.vault)),
    planned: (plan) => plannedDepositData(plan.payload),
    gasFloor: registrationGasFloor,
    async prepare(plan, snapshot, signal) {
      const harvest = snapshot.harvest?.params;
      return prepareDepositDataRegistration(
        p,
        plan,
        snapshot,
        registryRoute({ registry: p.registry, vault: p.vault, harvest }),
        signal,
      );
    },
    harvest: (params) => ({ kind: "harvest", to: p.registry, data: registryHarvestData(p.vault, params) }),
  };
}
