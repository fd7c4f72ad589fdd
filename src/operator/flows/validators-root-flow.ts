import { encodeFunctionData, type Hex } from "viem";
import { vaultAbi } from "../../chain/abi/vault.ts";
import { updateStateCallData, type VaultSnapshot } from "../../chain/vault-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { DepositDataEntry } from "../../keys/deposit-data-file.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import type { ValidatorsTree } from "../../keys/validators-tree.ts";
import { vaultRoute } from "../registration/register-validators.ts";
import {
  type DepositDataPayload,
  type DepositDataPlanParameters,
  planDepositData,
  plannedDepositData,
  unusedDepositDataKeys,
} from "./deposit-data-plan.ts";
import { prepareDepositDataRegistration } from "./deposit-data-prepare.ts";
import type { VaultFlow } from "./vault-flow.ts";

export interface ValidatorsRootFlowParameters {
  vault: `0x${string}`;
  network: NetworkConfig;
  /** The deposit data file whose Merkle root the vault holds, its tree and root. */
  depositData: readonly DepositDataEntry[];
  depositDataFile: string;
  tree: ValidatorsTree;
  fileRoot: Hex;
  signer: ExitSigner;
  oracleTimeoutMs: number;
  /** The deposit contract's root now: an approval is bound to it and re-checked before sending. */
  registryRoot(): Promise<Hex>;
}

/** The next deposit data entries to register, from their start index in the file. */
export type ValidatorsRootPayload = DepositDataPayload;

/**
 * The first-generation vault (version 1, spec §3, §5.3): the vault holds the Merkle root of the
 * deposit data and registers its entries in order with `registerValidator(s)` and the proofs; a
 * due harvest goes in the same `vault.multicall`.
 */
export function createValidatorsRootFlow(p: ValidatorsRootFlowParameters): VaultFlow<ValidatorsRootPayload> {
  const { network } = p;
  const planParameters: DepositDataPlanParameters = {
    network,
    depositData: p.depositData,
    depositDataFile: p.depositDataFile,
    fileRoot: p.fileRoot,
    signer: p.signer,
    uploadFix: "set the vault's validators root to the new deposit data",
    rootMismatch:
      "the deposit data file's Merkle root is not the vault's validators root: upload this deposit data to the vault (setValidatorsRoot with the root from get-validators-root), or point --deposit-data-file at the file that was uploaded",
  };
  const onChain = (vault: VaultSnapshot) => ({ root: vault.validatorsRoot, index: vault.validatorIndex });

  return {
    name: "validators root in the vault (version 1)",
    unusedKeys: (snapshot) => unusedDepositDataKeys(p.depositData.length, snapshot.vault.validatorIndex),
    plan: (snapshot) => planDepositData(planParameters, snapshot, onChain(snapshot.vault)),
    planned: (plan) => plannedDepositData(plan.payload),
    gasFloor: registrationGasFloor,
    async prepare(plan, snapshot, signal) {
      const harvest = snapshot.harvest
        ? { updateStateData: updateStateCallData(snapshot.harvest.params) }
        : undefined;
      return prepareDepositDataRegistration(p, plan, snapshot, vaultRoute(p.vault, harvest), signal);
    },
    harvest: (params) => ({
      kind: "harvest",
      to: p.vault,
      data: encodeFunctionData({ abi: vaultAbi, functionName: "updateState", args: [params] }),
    }),
  };
}

/**
 * Gas of a registration of `validators` keys, from below: a single-proof registration costs about
 * 200k gas, each further validator of a multiproof about 60k; these floors stay under that.
 */
export function registrationGasFloor(validators: number): bigint {
  return 150_000n + 50_000n * BigInt(Math.max(0, validators - 1));
}
