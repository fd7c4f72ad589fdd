import type { PublicKey, Signature } from "@chainsafe/blst";
import type { EciesRecipient } from "../crypto/ecies.ts";
import type { ExitNetwork } from "../crypto/exit-message.ts";
import type { OracleExitSignature } from "../keys/sources/exit-signer.ts";
import { toPrefixedHex } from "../lib/hex.ts";
import type { ApprovalRequest, ManagerApprovalRequest } from "./approval-request.ts";
import { exitShardsFor } from "./exit-shares.ts";
import type { RegistrationProof } from "./registration-proof.ts";

export interface ApprovalValidator {
  publicKey: Uint8Array;
  depositSignature: Uint8Array;
  /**
   * Exit signature for beacon index validatorIndex + k (k = position in the batch): the full
   * signature, or what a key source gave for the oracles (full, or already one share per oracle).
   */
  exitSignature: Uint8Array | Signature | OracleExitSignature;
  /** Parsed key, to skip re-decompression when available. */
  parsedPublicKey?: PublicKey;
}

export interface BuildApprovalRequestParameters {
  vault: `0x${string}`;
  /** Beacon index the first validator will get. */
  validatorIndex: number;
  /** Deposit contract root the approval is bound to. */
  registryRoot: `0x${string}`;
  validators: readonly ApprovalValidator[];
  oracles: readonly EciesRecipient[];
  recoverThreshold: number;
  network: ExitNetwork;
  deadline: number;
  proof: RegistrationProof;
  /**
   * Appends "validators_manager_signature": null, the v2–v3 body (spec §5.1) of a vault of
   * version 2+ that registers through the DepositDataRegistry with the deposit data proof.
   */
  managerSignatureField?: boolean;
}

/** The exit-signature shards of a batch, per validator, for the oracles in config order. */
function exitShardLists(
  params: Pick<
    BuildApprovalRequestParameters,
    "validators" | "validatorIndex" | "network" | "recoverThreshold" | "oracles"
  >,
): { publicKeyShards: `0x${string}`[][]; exitSignatureShards: `0x${string}`[][] } {
  const publicKeyShards: `0x${string}`[][] = [];
  const exitSignatureShards: `0x${string}`[][] = [];
  params.validators.forEach((validator, k) => {
    const exit = validator.exitSignature;
    const signed: OracleExitSignature =
      "kind" in exit
        ? exit
        : { kind: "full", signature: exit instanceof Uint8Array ? exit : exit.toBytes(true) };
    const shards = exitShardsFor(signed, {
      validatorPublicKey: validator.parsedPublicKey ?? validator.publicKey,
      validatorIndex: params.validatorIndex + k,
      network: params.network,
      threshold: params.recoverThreshold,
      oracles: params.oracles,
    });
    publicKeyShards.push(shards.publicKeyShards);
    exitSignatureShards.push(shards.exitSignatureShards);
  });
  return { publicKeyShards, exitSignatureShards };
}

/**
 * The body of the approval request every oracle gets with a deposit data proof (spec §5.1): the
 * first-generation vault's, and with `managerSignatureField` the v2–v3 registry flow's.
 */
export function buildApprovalRequest(params: BuildApprovalRequestParameters): ApprovalRequest {
  const { publicKeyShards, exitSignatureShards } = exitShardLists(params);
  return {
    validator_index: params.validatorIndex,
    vault_address: params.vault,
    validators_root: params.registryRoot,
    public_keys: params.validators.map((v) => toPrefixedHex(v.publicKey)),
    deposit_signatures: params.validators.map((v) => toPrefixedHex(v.depositSignature)),
    public_key_shards: publicKeyShards,
    exit_signature_shards: exitSignatureShards,
    deadline: params.deadline,
    proof: params.proof.proof,
    proof_flags: params.proof.proofFlags,
    proof_indexes: params.proof.proofIndexes,
    ...(params.managerSignatureField ? { validators_manager_signature: null } : {}),
  };
}

export interface BuildManagerApprovalRequestParameters
  extends Omit<BuildApprovalRequestParameters, "proof" | "managerSignatureField"> {
  /** The validators manager's EIP-712 signature over the registry root and the validators. */
  validatorsManagerSignature: `0x${string}`;
  /** Gwei per validator for 0x02 validators; undefined for 0x01 (32 each, no amounts sent). */
  amountsGwei: readonly bigint[] | undefined;
}

/**
 * The approval request of a vault whose validators manager signs (spec §5.1, v4+): no proof, the
 * manager's signature, and the amounts of 0x02 validators (null for 0x01).
 */
export function buildManagerApprovalRequest(
  params: BuildManagerApprovalRequestParameters,
): ManagerApprovalRequest {
  const { publicKeyShards, exitSignatureShards } = exitShardLists(params);
  return {
    validator_index: params.validatorIndex,
    vault_address: params.vault,
    validators_root: params.registryRoot,
    public_keys: params.validators.map((v) => toPrefixedHex(v.publicKey)),
    deposit_signatures: params.validators.map((v) => toPrefixedHex(v.depositSignature)),
    public_key_shards: publicKeyShards,
    exit_signature_shards: exitSignatureShards,
    validators_manager_signature: params.validatorsManagerSignature,
    deadline: params.deadline,
    // Gwei fits a JSON number: 2048 ETH is 2.048e12 gwei, far below 2^53.
    amounts: params.amountsGwei ? params.amountsGwei.map(Number) : null,
  };
}
