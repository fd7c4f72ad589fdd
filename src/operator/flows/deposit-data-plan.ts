import { formatEther } from "viem";
import type { NetworkConfig } from "../../config/networks.ts";
import type { DepositDataEntry } from "../../keys/deposit-data-file.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { depositGweiToAssets } from "../planning/deposit-units.ts";
import { planRegistration } from "../registration/plan.ts";
import type { SlotSnapshot, SnapshotVault } from "../snapshot.ts";
import type { PlannedValidator, RegistrationPlan } from "./vault-flow.ts";

const _WEI_PER_GWEI = 1_000_000_000n;

/** The next deposit data entries to register, from their start index in the file. */
export interface DepositDataPayload {
  startIndex: number;
  entries: DepositDataEntry[];
}

/** What both deposit data flows plan from: the file, and where its root must be set. */
export interface DepositDataPlanParameters {
  network: NetworkConfig;
  depositData: readonly DepositDataEntry[];
  depositDataFile: string;
  fileRoot: `0x${string}`;
  signer: Pick<ExitSigner, "has">;
  /** How a user puts new deposit data on chain, ending the "every key is registered" line. */
  uploadFix: string;
  /** The line while the on-chain root is not the file's (the user uploads, or points at the right file). */
  rootMismatch: string;
}

/**
 * The plan of a flow that registers a deposit data file's entries in file order (spec §3.2):
 * the version-1 vault, whose root and next index the vault holds, and a vault whose validators
 * manager is the DepositDataRegistry, where the registry holds them. Pure.
 */
export function planDepositData<V extends SnapshotVault>(
  p: DepositDataPlanParameters,
  snapshot: SlotSnapshot<V>,
  onChain: { root: `0x${string}`; index: number },
): RegistrationPlan<DepositDataPayload> {
  const { network } = p;
  const amount = (wei: bigint) => `${formatEther(wei)} ${network.assetToken}`;
  const plan = planRegistration({
    depositData: p.depositData,
    depositDataRoot: p.fileRoot,
    vaultValidatorsRoot: onChain.root,
    vaultValidatorIndex: onChain.index,
    stakeableWei: snapshot.stakeable,
    validatorDepositWei: depositGweiToAssets(network, BigInt(network.validatorDepositGwei)),
    batchLimit: snapshot.oracles.batchLimit,
    hasDepositOnChain: (publicKey) => snapshot.deposits.has(publicKey),
    hasKey: (publicKey) => p.signer.has(publicKey),
    rootMismatch: p.rootMismatch,
  });
  if (plan.kind === "idle" && plan.reason === "not enough assets") {
    const unused = unusedDepositDataKeys(p.depositData.length, onChain.index);
    const keys =
      unused > 0
        ? `${unused} unused validator ${unused === 1 ? "key is" : "keys are"} ready`
        : `every key of ${p.depositDataFile} is registered too`;
    return {
      kind: "wait",
      for: "assets",
      reason: `the vault has ${amount(snapshot.stakeable)} to stake and a validator needs ${network.validatorDepositLabel}; ${keys}`,
    };
  }
  if (plan.kind === "idle") {
    return {
      kind: "wait",
      for: "keys",
      reason: `the vault can fund ${plan.stakeable} more ${plan.stakeable === 1 ? "validator" : "validators"} (${amount(snapshot.stakeable)}) but all ${p.depositData.length} keys of ${p.depositDataFile} are registered: create new keys (create-keys) and ${p.uploadFix}`,
    };
  }
  if (plan.kind === "blocked") return { kind: "wait", for: "deposit-data", reason: plan.reason };
  return {
    kind: "register",
    validators: plan.entries.length,
    firstDepositIndex: plan.startIndex,
    payload: { startIndex: plan.startIndex, entries: plan.entries },
  };
}

/** The deposit data entries a plan registers, in file order. */
export function plannedDepositData(payload: DepositDataPayload): PlannedValidator[] {
  return payload.entries.map((entry) => ({
    publicKey: toPrefixedHex(entry.publicKey),
    amountGwei: BigInt(entry.amountGwei),
    depositDataPosition: entry.position,
  }));
}

/** Deposit data keys past the next index: not registered yet (the unused_validator_keys metric). */
export function unusedDepositDataKeys(entries: number, nextIndex: number): number {
  return Math.max(0, entries - nextIndex);
}
