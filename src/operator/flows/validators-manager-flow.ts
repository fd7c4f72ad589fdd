import { formatEther, type Hex } from "viem";
import { updateStateCallData } from "../../chain/vault-reader.ts";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import type { vaultValidatorsTypedData } from "../../chain/vault-validators-eip712.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import type { ValidatorType } from "../../keys/validator-entries.ts";
import { depositGweiToAssets } from "../planning/deposit-units.ts";
import {
  type ManagedValidator,
  prepareManagedRegistration,
} from "../registration/prepare-managed-registration.ts";
import type { SlotSnapshot } from "../snapshot.ts";
import { managedAmounts } from "./managed-amounts.ts";
import { managedHarvest, managedRegistrationToSend } from "./managed-calls.ts";
import { registrationGasFloor } from "./validators-root-flow.ts";
import type { VaultFlow } from "./vault-flow.ts";

export interface ValidatorsManagerFlowParameters {
  vault: `0x${string}`;
  network: NetworkConfig;
  signer: ExitSigner;
  validatorType: ValidatorType;
  /** --max-validator-balance-gwei (the network's default resolved). */
  maxValidatorBalanceGwei: bigint;
  /** --min-deposit-amount-gwei: nothing is staked below it. */
  minDepositAmountGwei: bigint;
  /** --vault-min-balance-gwei: kept in the vault, never staked. */
  vaultMinBalanceGwei: bigint;
  /** The wallet, the vault's validators manager, signs the validators. */
  signManager: (typedData: ReturnType<typeof vaultValidatorsTypedData>) => Promise<Hex>;
  /** The deposit contract's root now (re-checked before the call is built). */
  registryRoot(): Promise<Hex>;
  oracleTimeoutMs: number;
}

/** The validators of this slot's registration, in registration order. */
export interface ValidatorsManagerPayload {
  validators: ManagedValidator[];
}

/**
 * A vault of version 2 or later whose validators manager is the operator's wallet (the Python
 * operator v4's flow, spec §5.3, §6.4 step 3): no deposit data file; the keys the signer holds
 * that have no deposit on chain yet are registered in the signer's order (derivation index for
 * keystores), each with a deposit made now for the vault's 0x01 or 0x02 credentials, the amounts
 * from the vault's assets. A due harvest goes in the same `vault.multicall`.
 */
export function createValidatorsManagerFlow(
  p: ValidatorsManagerFlowParameters,
): VaultFlow<ValidatorsManagerPayload, VaultState> {
  const { network } = p;
  const unusedKeysOf = (snapshot: SlotSnapshot<VaultState>): Hex[] =>
    p.signer.publicKeys().filter((key) => !snapshot.deposits.has(key));
  // Plans count deposit units (ETH, or mGNO on Gnosis); messages say what the vault holds.
  const amount = (gwei: bigint) => `${formatEther(depositGweiToAssets(network, gwei))} ${network.assetToken}`;

  return {
    name: `validators manager is the wallet (version ≥ 2, ${p.validatorType} validators)`,
    unusedKeys: (snapshot) => unusedKeysOf(snapshot).length,
    plan(snapshot) {
      const { assetsGwei, amounts } = managedAmounts(p, snapshot);
      const unused = unusedKeysOf(snapshot);
      if (amounts.length === 0) {
        const keys = `${unused.length} unused validator ${unused.length === 1 ? "key is" : "keys are"} ready`;
        return {
          kind: "wait",
          for: "assets",
          reason: `the vault has ${amount(assetsGwei)} to stake and a new validator needs ${amount(32_000_000_000n)}; ${keys}`,
        };
      }
      if (unused.length === 0) {
        return {
          kind: "wait",
          for: "keys",
          reason: `the vault can fund ${amounts.length} more ${amounts.length === 1 ? "validator" : "validators"} (${amount(assetsGwei)}) but every key of the ${p.signer.description} has a deposit: create new keys (create-keys)`,
        };
      }
      const validators = amounts
        .slice(0, unused.length)
        .map((amountGwei, k) => ({ publicKey: unused[k] as Hex, amountGwei }));
      return { kind: "register", validators: validators.length, payload: { validators } };
    },
    planned: (plan) =>
      plan.payload.validators.map((v) => ({ publicKey: v.publicKey, amountGwei: v.amountGwei })),
    gasFloor: registrationGasFloor,
    async prepare(plan, snapshot, signal) {
      const prepared = await prepareManagedRegistration({
        network,
        vault: p.vault,
        validatorType: p.validatorType,
        validators: plan.payload.validators,
        registryRoot: snapshot.vault.depositRoot,
        currentRegistryRoot: () => p.registryRoot(),
        validatorIndex: snapshot.deposits.count,
        now: snapshot.head.timestamp,
        oracles: snapshot.oracles,
        signer: p.signer,
        signManager: p.signManager,
        updateStateData: snapshot.harvest ? updateStateCallData(snapshot.harvest.params) : undefined,
        oracleTimeoutMs: p.oracleTimeoutMs,
        signal,
      });
      return managedRegistrationToSend(p.vault, prepared, snapshot.harvest !== undefined);
    },
    harvest: (params) => managedHarvest(p.vault, params),
  };
}
