import { encodeFunctionData, type Hex } from "viem";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import type { HarvestParams } from "../../chain/vault-reader.ts";
import type { OracleFailure } from "../../oracles/oracle-client.ts";
import type { TransactionRequest } from "../tx/transaction-sender.ts";
import type { RegistrationToSend } from "./vault-flow.ts";

/** The registration to send of a vault whose validators manager signs (the wallet, or a relayer). */
export function managedRegistrationToSend(
  vault: `0x${string}`,
  prepared: { data: Hex; publicKeys: Hex[]; oracleFailures: readonly OracleFailure[] },
  harvests: boolean,
): RegistrationToSend {
  return {
    request: { kind: "registration", to: vault, data: prepared.data, publicKeys: prepared.publicKeys },
    validators: prepared.publicKeys.length,
    harvests,
    oracleFailures: prepared.oracleFailures,
  };
}

/** The harvest on its own of a version-2+ vault: `vault.updateState(params)`. */
export function managedHarvest(vault: `0x${string}`, params: HarvestParams): TransactionRequest {
  return {
    kind: "harvest",
    to: vault,
    data: encodeFunctionData({ abi: vaultV5Abi, functionName: "updateState", args: [params] }),
  };
}
