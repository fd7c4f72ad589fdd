import { type Address, encodeFunctionData, type Hex, toHex } from "viem";
import { vaultAbi } from "../../chain/abi/vault.ts";
import {
  combineOracleSignatures,
  keeperDomain,
  keeperValidatorsTypedData,
} from "../../chain/keeper-eip712.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { DepositDataEntry } from "../../keys/deposit-data-file.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import { txValidator, type ValidatorsTree } from "../../keys/validators-tree.ts";
import { OperatorError } from "../../lib/errors.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { buildApprovalRequest } from "../../oracles/build-approval-request.ts";
import { agreeingApprovals, requestApprovals } from "../../oracles/oracle-client.ts";
import type { OracleSet } from "../../oracles/oracle-set.ts";
import { type RegistrationProof, registrationProof } from "../../oracles/registration-proof.ts";

export interface HarvestCall {
  /** Encoded vault.updateState(harvestParams), prepended through vault.multicall. */
  updateStateData: Hex;
}

/** The Keeper's approval as the registration call passes it (ApprovalParams, spec §5.2). */
export interface KeeperApprovalParams {
  validatorsRegistryRoot: Hex;
  deadline: bigint;
  validators: Hex;
  signatures: Hex;
  exitSignaturesIpfsHash: string;
}

/**
 * Where a deposit data registration goes and how the oracles are asked (spec §5.1, §5.3): the
 * version-1 vault itself, or the DepositDataRegistry of a version-2+ vault.
 */
export interface RegistrationRoute {
  /** The contract the transaction is sent to. */
  to: Address;
  /** The transaction's call data, a due harvest included when the route carries one. */
  encode(keeperParams: KeeperApprovalParams, proof: RegistrationProof): Hex;
  /**
   * True for the v2–v3 approval body (vault version 2+): the proof fields and
   * "validators_manager_signature": null, as the Python operator v3.x sends it.
   */
  managerSignatureField: boolean;
}

/**
 * The version-1 vault's registration: `registerValidator(s)` with the proofs, behind the due
 * harvest in one `vault.multicall`.
 */
export function vaultRoute(vault: Address, harvest: HarvestCall | undefined): RegistrationRoute {
  return {
    to: vault,
    managerSignatureField: false,
    encode(keeperParams, proof) {
      const register =
        proof.singleProof !== undefined
          ? encodeFunctionData({
              abi: vaultAbi,
              functionName: "registerValidator",
              args: [keeperParams, proof.singleProof],
            })
          : encodeFunctionData({
              abi: vaultAbi,
              functionName: "registerValidators",
              args: [keeperParams, proof.indexes.map(BigInt), proof.proofFlags, proof.proof],
            });
      return harvest
        ? encodeFunctionData({
            abi: vaultAbi,
            functionName: "multicall",
            args: [[harvest.updateStateData, register]],
          })
        : register;
    },
  };
}

export interface RegisterValidatorsParameters {
  network: NetworkConfig;
  keeper: Address;
  vault: Address;
  entries: readonly DepositDataEntry[];
  startIndex: number;
  tree: ValidatorsTree;
  oracles: Pick<
    OracleSet,
    "targets" | "recipients" | "recoverThreshold" | "validatorsMinOracles" | "signatureValidityPeriod"
  >;
  /** Deposit contract root now; the approval is bound to it. */
  registryRoot: () => Promise<Hex>;
  /** Beacon index the first new validator will get (valid deposits seen so far). */
  nextValidatorIndex: () => Promise<number>;
  /** Unix seconds of the latest block. */
  now: () => Promise<number>;
  /** Where the validator keys are: signs the exit messages shared with the oracles. */
  signer: ExitSigner;
  /** The contract and call that register (with a due harvest), and the approval body's form. */
  route: RegistrationRoute;
  oracleTimeoutMs: number;
  signal?: AbortSignal;
}

export interface PreparedRegistration {
  /** The route's contract. */
  to: Address;
  /** Call data for it (with the due harvest when the route carries one). */
  data: Hex;
  publicKeys: Hex[];
  ipfsHash: string;
  oracleFailures: Array<{ oracle: Address; reason: string }>;
}

/** The registry root moved while the oracles were asked: build a new request. */
export class RegistryRootChangedError extends OperatorError {
  override name = "RegistryRootChangedError";
}

/**
 * One registration round (spec §5.1, §5.3): exit signatures for the predicted indexes, shares for
 * the oracles, approvals from all oracles at once, then the vault call with the single proof or
 * the multiproof. The transaction itself is sent by the caller (journaled sender).
 */
export async function prepareRegistration(
  params: RegisterValidatorsParameters,
): Promise<PreparedRegistration> {
  const { entries, oracles } = params;
  const [registryRoot, validatorIndex, now] = await Promise.all([
    params.registryRoot(),
    params.nextValidatorIndex(),
    params.now(),
  ]);
  const scheme = { count: oracles.recipients.length, threshold: oracles.recoverThreshold };
  // A source that fetches the exits elsewhere (a legacy DVT relayer) gets the round's batch first.
  await params.signer.prepareExitsForOracles?.(
    entries.map((entry, k) => ({
      publicKey: toPrefixedHex(entry.publicKey),
      validatorIndex: validatorIndex + k,
    })),
    params.network,
    scheme,
    params.signal,
  );
  const validators = await Promise.all(
    entries.map(async (entry, k) => {
      const publicKey = toPrefixedHex(entry.publicKey);
      return {
        publicKey: entry.publicKey,
        depositSignature: entry.signature,
        exitSignature: await params.signer.signExitForOracles(
          publicKey,
          validatorIndex + k,
          params.network,
          scheme,
        ),
      };
    }),
  );
  const proof = registrationProof(params.tree, params.startIndex, entries.length);
  const deadline = now + oracles.signatureValidityPeriod;
  const request = buildApprovalRequest({
    vault: params.vault,
    validatorIndex,
    registryRoot,
    validators,
    oracles: oracles.recipients,
    recoverThreshold: oracles.recoverThreshold,
    network: params.network,
    deadline,
    proof,
    managerSignatureField: params.route.managerSignatureField,
  });
  const txValidators = toHex(
    Buffer.concat(entries.map((e) => txValidator(e.publicKey, e.signature, e.depositDataRoot))),
  );
  const domain = keeperDomain(params.network.chainId, params.keeper);
  const result = await requestApprovals({
    oracles: oracles.targets,
    path: "",
    body: request,
    timeoutMs: params.oracleTimeoutMs,
    ...(params.signal ? { signal: params.signal } : {}),
    typedData: (approval) =>
      keeperValidatorsTypedData(domain, {
        validatorsRegistryRoot: registryRoot,
        vault: params.vault,
        validators: txValidators,
        exitSignaturesIpfsHash: approval.ipfs_hash,
        deadline: BigInt(approval.deadline),
      }),
  });
  const agreed = agreeingApprovals(
    result.approvals,
    oracles.validatorsMinOracles,
    result.failures,
    oracles.targets.length,
  );
  if ((await params.registryRoot()).toLowerCase() !== registryRoot.toLowerCase()) {
    throw new RegistryRootChangedError("the deposit contract root changed while the oracles were asked", {
      retryable: true,
    });
  }
  const keeperParams: KeeperApprovalParams = {
    validatorsRegistryRoot: registryRoot,
    deadline: BigInt(agreed.deadline),
    validators: txValidators,
    signatures: combineOracleSignatures(agreed.signatures, oracles.validatorsMinOracles),
    exitSignaturesIpfsHash: agreed.ipfsHash,
  };
  const data = params.route.encode(keeperParams, proof);
  return {
    to: params.route.to,
    data,
    publicKeys: entries.map((e) => toPrefixedHex(e.publicKey)),
    ipfsHash: agreed.ipfsHash,
    oracleFailures: result.failures,
  };
}
