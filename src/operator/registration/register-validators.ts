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
import { registrationProof } from "../../oracles/registration-proof.ts";

export interface HarvestCall {
  /** Encoded vault.updateState(harvestParams), prepended through vault.multicall. */
  updateStateData: Hex;
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
  harvest: HarvestCall | undefined;
  oracleTimeoutMs: number;
  signal?: AbortSignal;
}

export interface PreparedRegistration {
  /** Call data for the vault (multicall when a harvest goes with it). */
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
  const validators = await Promise.all(
    entries.map(async (entry, k) => {
      const publicKey = toPrefixedHex(entry.publicKey);
      return {
        publicKey: entry.publicKey,
        depositSignature: entry.signature,
        exitSignature: await params.signer.signExitForOracles(publicKey, validatorIndex + k, params.network, {
          count: oracles.recipients.length,
          threshold: oracles.recoverThreshold,
        }),
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
  const keeperParams = {
    validatorsRegistryRoot: registryRoot,
    deadline: BigInt(agreed.deadline),
    validators: txValidators,
    signatures: combineOracleSignatures(agreed.signatures, oracles.validatorsMinOracles),
    exitSignaturesIpfsHash: agreed.ipfsHash,
  };
  const register =
    entries.length === 1
      ? encodeFunctionData({
          abi: vaultAbi,
          functionName: "registerValidator",
          args: [keeperParams, proof.singleProof as Hex[]],
        })
      : encodeFunctionData({
          abi: vaultAbi,
          functionName: "registerValidators",
          args: [keeperParams, proof.indexes.map(BigInt), proof.proofFlags, proof.proof],
        });
  const data = params.harvest
    ? encodeFunctionData({
        abi: vaultAbi,
        functionName: "multicall",
        args: [[params.harvest.updateStateData, register]],
      })
    : register;
  return {
    data,
    publicKeys: entries.map((e) => toPrefixedHex(e.publicKey)),
    ipfsHash: agreed.ipfsHash,
    oracleFailures: result.failures,
  };
}
