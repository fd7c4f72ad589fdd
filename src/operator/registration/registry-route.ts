import { type Address, encodeFunctionData, type Hex } from "viem";
import { depositDataRegistryAbi } from "../../chain/abi/deposit-data-registry.ts";
import type { HarvestParams } from "../../chain/vault-reader.ts";
import type { RegistrationRoute } from "./register-validators.ts";

/**
 * A version-2+ vault whose validators manager is the DepositDataRegistry (spec §3.3, §5.3): the
 * registry's `registerValidator(s)(vault, …)` with the deposit data proofs, behind the due harvest
 * (`updateVaultState`) in the registry's own `multicall`.
 *
 * The Python operator v3.x batches the same calls through Multicall3 `aggregate`; the registry's
 * multicall (v3-core v2.0.0 and v4.0.1 both inherit Multicall) is accepted by the same contracts,
 * needs no Multicall3 on the network, and lets a revert reason (InvalidProof, AccessDenied…)
 * through where Multicall3 answers "call failed".
 */
export function registryRoute(p: {
  registry: Address;
  vault: Address;
  harvest: HarvestParams | undefined;
}): RegistrationRoute {
  return {
    to: p.registry,
    managerSignatureField: true,
    encode(keeperParams, proof) {
      const register =
        proof.singleProof !== undefined
          ? encodeFunctionData({
              abi: depositDataRegistryAbi,
              functionName: "registerValidator",
              args: [p.vault, keeperParams, proof.singleProof],
            })
          : encodeFunctionData({
              abi: depositDataRegistryAbi,
              functionName: "registerValidators",
              args: [p.vault, keeperParams, proof.indexes.map(BigInt), proof.proofFlags, proof.proof],
            });
      if (!p.harvest) return register;
      return encodeFunctionData({
        abi: depositDataRegistryAbi,
        functionName: "multicall",
        args: [[registryHarvestData(p.vault, p.harvest), register]],
      });
    },
  };
}

/** `updateVaultState(vault, harvestParams)`: the harvest, sent to the registry on its own or batched. */
export function registryHarvestData(vault: Address, harvest: HarvestParams): Hex {
  return encodeFunctionData({
    abi: depositDataRegistryAbi,
    functionName: "updateVaultState",
    args: [vault, harvest],
  });
}
