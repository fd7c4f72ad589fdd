import { type Address, encodeFunctionData, type Hex, toHex } from "viem";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import {
  combineOracleSignatures,
  keeperDomain,
  keeperValidatorsTypedData,
} from "../../chain/keeper-eip712.ts";
import {
  type VaultValidatorsMessage,
  vaultValidatorsDomain,
  vaultValidatorsTypedData,
} from "../../chain/vault-validators-eip712.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import {
  encodeValidatorDepositEntries,
  type ValidatorDepositEntry,
  type ValidatorType,
} from "../../keys/validator-entries.ts";
import { signedRegistrationEntry, vaultCredentials } from "../../keys/vault-deposit-entries.ts";
import { OperatorError } from "../../lib/errors.ts";
import { parseHex } from "../../lib/hex.ts";
import type { ManagerApprovalRequest } from "../../oracles/approval-request.ts";
import { buildManagerApprovalRequest } from "../../oracles/build-approval-request.ts";
import { agreeingApprovals, type OracleFailure, requestApprovals } from "../../oracles/oracle-client.ts";
import type { OracleSet } from "../../oracles/oracle-set.ts";
import { RegistryRootChangedError } from "./register-validators.ts";

/** One validator to register: its key and its deposit in gwei. */
export interface ManagedValidator {
  publicKey: Hex;
  amountGwei: bigint;
}

export interface PrepareManagedRegistrationParameters {
  network: NetworkConfig;
  vault: Address;
  validatorType: ValidatorType;
  validators: readonly ManagedValidator[];
  /** The deposit contract's root the approval and the manager signature are bound to. */
  registryRoot: Hex;
  /** The deposit contract's root now: read again before the call is built. */
  currentRegistryRoot: () => Promise<Hex>;
  /** Beacon index the first new validator will get. */
  validatorIndex: number;
  /** Unix seconds of the head block. */
  now: number;
  oracles: Pick<
    OracleSet,
    "targets" | "recipients" | "recoverThreshold" | "validatorsMinOracles" | "signatureValidityPeriod"
  >;
  signer: ExitSigner;
  /** The wallet (the vault's validators manager) signs the EIP-712 VaultValidators message. */
  signManager: (typedData: ReturnType<typeof vaultValidatorsTypedData>) => Promise<Hex>;
  /** Encoded vault.updateState(harvestParams) when a harvest goes in the same multicall. */
  updateStateData: Hex | undefined;
  oracleTimeoutMs: number;
  signal?: AbortSignal;
}

export interface PreparedManagedRegistration {
  /** Call data for the vault: `multicall([updateState?, registerValidators(...)])`. */
  data: Hex;
  publicKeys: Hex[];
  ipfsHash: string;
  oracleFailures: OracleFailure[];
}

/**
 * One registration of a vault whose validators manager is the operator's wallet (spec §5.1 v4+,
 * §5.3, §6.4 step 3): deposit data is made on the fly (the key signs the deposit to the vault's
 * 0x01 or 0x02 credentials), the wallet signs the validators as manager, the oracles approve with
 * the exit-signature shares, and the vault's `registerValidators(keeperParams, signature)` goes
 * out through `vault.multicall` after the due harvest. The caller sends it.
 */
export async function prepareManagedRegistration(
  p: PrepareManagedRegistrationParameters,
): Promise<PreparedManagedRegistration> {
  const { signer, oracles, network } = p;
  const signDeposit = signer.signDeposit?.bind(signer);
  if (!signDeposit) {
    throw new OperatorError(
      `the ${signer.description} cannot sign deposits (it holds key shares): a vault whose validators manager is the wallet needs whole keys`,
    );
  }
  const withdrawalCredentials = vaultCredentials(p.vault, p.validatorType);
  const genesisForkVersion = parseHex(network.genesisForkVersion, 4) as Uint8Array;
  const scheme = { count: oracles.recipients.length, threshold: oracles.recoverThreshold };
  await signer.prepareExitsForOracles?.(
    p.validators.map((v, k) => ({ publicKey: v.publicKey, validatorIndex: p.validatorIndex + k })),
    network,
    scheme,
    p.signal,
  );

  const signed = await Promise.all(
    p.validators.map(async (validator, k) => {
      const publicKey = parseHex(validator.publicKey, 48) as Uint8Array;
      const depositSignature = await signDeposit(validator.publicKey, {
        withdrawalCredentials,
        amountGwei: Number(validator.amountGwei),
        genesisForkVersion,
      });
      const entry: ValidatorDepositEntry = signedRegistrationEntry({
        publicKey,
        vault: p.vault,
        validatorType: p.validatorType,
        amountGwei: validator.amountGwei,
        signature: depositSignature,
      });
      const exitSignature = await signer.signExitForOracles(
        validator.publicKey,
        p.validatorIndex + k,
        network,
        scheme,
      );
      return { publicKey, depositSignature, entry, exitSignature };
    }),
  );
  const validatorsBytes: Hex = toHex(encodeValidatorDepositEntries(signed.map((s) => s.entry)));
  const managerMessage: VaultValidatorsMessage = {
    validatorsRegistryRoot: p.registryRoot,
    validators: validatorsBytes,
  };
  const managerSignature = await p.signManager(
    vaultValidatorsTypedData(vaultValidatorsDomain(network.chainId, p.vault), managerMessage),
  );

  const request = buildManagerApprovalRequest({
    vault: p.vault,
    validatorIndex: p.validatorIndex,
    registryRoot: p.registryRoot,
    validators: signed.map((s) => ({
      publicKey: s.publicKey,
      depositSignature: s.depositSignature,
      exitSignature: s.exitSignature,
    })),
    oracles: oracles.recipients,
    recoverThreshold: oracles.recoverThreshold,
    network,
    deadline: p.now + oracles.signatureValidityPeriod,
    validatorsManagerSignature: managerSignature,
    amountsGwei: p.validatorType === "0x02" ? p.validators.map((v) => v.amountGwei) : undefined,
  });
  const approved = await approveManagedRegistration({ ...p, request, validatorsBytes, managerSignature });
  return { ...approved, publicKeys: p.validators.map((v) => v.publicKey) };
}

export interface ApproveManagedRegistrationParameters
  extends Pick<
    PrepareManagedRegistrationParameters,
    | "network"
    | "vault"
    | "registryRoot"
    | "currentRegistryRoot"
    | "oracles"
    | "updateStateData"
    | "oracleTimeoutMs"
    | "signal"
  > {
  /** The approval request every oracle gets. */
  request: ManagerApprovalRequest;
  /** The validators bytes the manager signed and the keeper approves. */
  validatorsBytes: Hex;
  managerSignature: Hex;
}

/**
 * The second half of a managed registration, whoever made the validators (the wallet's keys, or a
 * DVT relayer): the oracles approve, the deposit root is checked again, and the vault's
 * `multicall([updateState?, registerValidators(keeperParams, managerSignature)])` is encoded.
 */
export async function approveManagedRegistration(
  p: ApproveManagedRegistrationParameters,
): Promise<Omit<PreparedManagedRegistration, "publicKeys">> {
  const { oracles, network, request, validatorsBytes, managerSignature } = p;
  const domain = keeperDomain(network.chainId, network.keeper.address);
  const result = await requestApprovals({
    oracles: oracles.targets,
    path: "",
    body: request,
    timeoutMs: p.oracleTimeoutMs,
    ...(p.signal ? { signal: p.signal } : {}),
    typedData: (approval) =>
      keeperValidatorsTypedData(domain, {
        validatorsRegistryRoot: p.registryRoot,
        vault: p.vault,
        validators: validatorsBytes,
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
  // The manager signature and the approvals are bound to the root: a deposit in between voids both.
  if ((await p.currentRegistryRoot()).toLowerCase() !== p.registryRoot.toLowerCase()) {
    throw new RegistryRootChangedError("the deposit contract root changed while the oracles were asked", {
      retryable: true,
    });
  }
  const register = encodeFunctionData({
    abi: vaultV5Abi,
    functionName: "registerValidators",
    args: [
      {
        validatorsRegistryRoot: p.registryRoot,
        deadline: BigInt(agreed.deadline),
        validators: validatorsBytes,
        signatures: combineOracleSignatures(agreed.signatures, oracles.validatorsMinOracles),
        exitSignaturesIpfsHash: agreed.ipfsHash,
      },
      managerSignature,
    ],
  });
  const calls = p.updateStateData ? [p.updateStateData, register] : [register];
  return {
    data: encodeFunctionData({ abi: vaultV5Abi, functionName: "multicall", args: [calls] }),
    ipfsHash: agreed.ipfsHash,
    oracleFailures: result.failures,
  };
}
