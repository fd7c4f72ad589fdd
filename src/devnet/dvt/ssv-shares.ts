/**
 * A simulated SSV cluster's validators: each key's registerValidator `sharesData` for the
 * cluster's operators (src/ssv/keyshares: shares at x = operator id, encrypted to each operator's
 * RSA key, signed for the owner's nonce), and their registration on the devnet's SSVNetwork from
 * the cluster owner's account in one bulkRegisterValidator, funded for the fee era.
 */
import type { KeyObject } from "node:crypto";
import type { SecretKey } from "@chainsafe/blst";
import { type Hex, toHex } from "viem";
import type { SsvFeeEra } from "../../chain/abi/ssv-network.ts";
import type { SignerClient } from "../../chain/signer-client.ts";
import { EMPTY_CLUSTER } from "../../ssv/cluster.ts";
import { buildSharesDataBatch, type SsvSharesData } from "../../ssv/keyshares/shares-data.ts";
import { approveSsvCall, registerValidatorsCall, type SsvCall } from "../../ssv/ssv-calls.ts";

/** An SSV operator as the registry lists it. */
export interface SsvClusterOperator {
  id: bigint;
  /** Registry form (base64 of the "RSA PUBLIC KEY" PEM) or a parsed key. */
  publicKey: string | KeyObject;
}

export interface SsvSharesParameters {
  secretKeys: readonly (SecretKey | Uint8Array)[];
  /** The cluster, in ascending id order. */
  operators: readonly SsvClusterOperator[];
  owner: string;
  /** The owner's nonce before the first validator (default 0). */
  nonce?: number;
}

/** Each validator's sharesData (share index = operator id), validator k signed for nonce + k. */
export function ssvValidatorShares(params: SsvSharesParameters): SsvSharesData[] {
  return buildSharesDataBatch({
    secretKeys: params.secretKeys,
    operators: params.operators,
    owner: params.owner,
    nonce: params.nonce ?? 0,
  });
}

export interface RegisterSsvValidatorsParameters {
  /** The cluster owner: sends (and pays for) the registration. */
  owner: SignerClient;
  ssvNetwork: `0x${string}`;
  era: SsvFeeEra;
  /** SSV-token era: the token the owner approves first (it must hold `amount`). */
  ssvToken?: `0x${string}`;
  operatorIds: readonly bigint[];
  shares: readonly SsvSharesData[];
  /** SSV (token era) or wei (ETH era) for the new cluster's balance. */
  amount: bigint;
}

/** Registers the validators of a new cluster (an empty snapshot) in one bulk transaction. */
export async function registerSsvValidators(
  params: RegisterSsvValidatorsParameters,
): Promise<{ hash: Hex; blockNumber: bigint }> {
  const target = { ssvNetwork: params.ssvNetwork, era: params.era };
  const send = async (call: SsvCall) => {
    const hash = await params.owner.sendTransaction({ to: call.to, data: call.data, value: call.value });
    const receipt = await params.owner.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`devnet SSV transaction ${hash} reverted`);
    return { hash, blockNumber: receipt.blockNumber };
  };
  if (params.era === "ssv-token") {
    if (!params.ssvToken) throw new Error("the SSV-token era needs the SSV token's address");
    await send(
      approveSsvCall({ ssvToken: params.ssvToken, ssvNetwork: params.ssvNetwork, amount: params.amount }),
    );
  }
  return send(
    registerValidatorsCall(target, {
      publicKeys: params.shares.map((s) => toHex(s.publicKey)),
      operatorIds: params.operatorIds,
      sharesData: params.shares.map((s) => toHex(s.sharesData)),
      amount: params.amount,
      cluster: EMPTY_CLUSTER,
    }),
  );
}
