import { encodeFunctionData, formatEther, type Hex } from "viem";
import { vaultAbi } from "../../chain/abi/vault.ts";
import { updateStateCallData } from "../../chain/vault-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { DepositDataEntry } from "../../keys/deposit-data-file.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import type { ValidatorsTree } from "../../keys/validators-tree.ts";
import { planRegistration } from "../registration/plan.ts";
import { prepareRegistration } from "../registration/register-validators.ts";
import type { VaultFlow } from "./vault-flow.ts";

const WEI_PER_GWEI = 1_000_000_000n;

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
export interface ValidatorsRootPayload {
  startIndex: number;
  entries: DepositDataEntry[];
}

/**
 * The first-generation vault (version 1, spec §3, §5.3): the vault holds the Merkle root of the
 * deposit data and registers its entries in order with `registerValidator(s)` and the proofs; a
 * due harvest goes in the same `vault.multicall`.
 */
export function createValidatorsRootFlow(p: ValidatorsRootFlowParameters): VaultFlow<ValidatorsRootPayload> {
  const { network } = p;
  const depositWei = BigInt(network.validatorDepositGwei) * WEI_PER_GWEI;
  const amount = (wei: bigint) => `${formatEther(wei)} ${network.assetToken}`;
  const unusedKeys: VaultFlow["unusedKeys"] = (snapshot) =>
    Math.max(0, p.depositData.length - snapshot.vault.validatorIndex);

  return {
    name: "validators root in the vault (version 1)",
    unusedKeys,
    plan(snapshot) {
      const plan = planRegistration({
        depositData: p.depositData,
        depositDataRoot: p.fileRoot,
        vaultValidatorsRoot: snapshot.vault.validatorsRoot,
        vaultValidatorIndex: snapshot.vault.validatorIndex,
        stakeableWei: snapshot.stakeable,
        validatorDepositWei: depositWei,
        batchLimit: snapshot.oracles.batchLimit,
        hasDepositOnChain: (publicKey) => snapshot.deposits.has(publicKey),
        hasKey: (publicKey) => p.signer.has(publicKey),
      });
      if (plan.kind === "idle" && plan.reason === "not enough assets") {
        const unused = unusedKeys(snapshot);
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
          reason: `the vault can fund ${plan.stakeable} more ${plan.stakeable === 1 ? "validator" : "validators"} (${amount(snapshot.stakeable)}) but all ${p.depositData.length} keys of ${p.depositDataFile} are registered: create new keys (create-keys) and set the vault's validators root to the new deposit data`,
        };
      }
      if (plan.kind === "blocked") return { kind: "wait", for: "deposit-data", reason: plan.reason };
      return {
        kind: "register",
        validators: plan.entries.length,
        firstDepositIndex: plan.startIndex,
        payload: { startIndex: plan.startIndex, entries: plan.entries },
      };
    },
    gasFloor: registrationGasFloor,
    async prepare(plan, snapshot, signal) {
      const harvest = snapshot.harvest
        ? { updateStateData: updateStateCallData(snapshot.harvest.params) }
        : undefined;
      const prepared = await prepareRegistration({
        network,
        keeper: network.keeper.address,
        vault: p.vault,
        entries: plan.payload.entries,
        startIndex: plan.payload.startIndex,
        tree: p.tree,
        oracles: snapshot.oracles,
        registryRoot: p.registryRoot,
        nextValidatorIndex: async () => snapshot.deposits.count,
        now: async () => snapshot.head.timestamp,
        signer: p.signer,
        harvest,
        oracleTimeoutMs: p.oracleTimeoutMs,
        signal,
      });
      return {
        request: {
          kind: "registration",
          to: p.vault,
          data: prepared.data,
          publicKeys: prepared.publicKeys,
          firstDepositIndex: plan.payload.startIndex,
        },
        validators: prepared.publicKeys.length,
        harvests: harvest !== undefined,
        oracleFailures: prepared.oracleFailures,
      };
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
