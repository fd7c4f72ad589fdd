import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { formatEther, type Hex, toHex } from "viem";
import { updateStateCallData } from "../../chain/vault-reader.ts";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { encodeValidatorDepositEntries } from "../../keys/validator-entries.ts";
import { signedRegistrationEntry, vaultDepositSigningRoot } from "../../keys/vault-deposit-entries.ts";
import { OperatorError } from "../../lib/errors.ts";
import { parseHex } from "../../lib/hex.ts";
import { depositGweiToAssets } from "../planning/deposit-units.ts";
import { approveManagedRegistration } from "../registration/prepare-managed-registration.ts";
import {
  type OperatorRelayerClient,
  RelayerNotReadyError,
  type RelayerRegistration,
} from "../relayer/relayer-client.ts";
import { type ManagedAmountsParameters, managedAmounts } from "./managed-amounts.ts";
import { managedHarvest, managedRegistrationToSend } from "./managed-calls.ts";
import { registrationGasFloor } from "./validators-root-flow.ts";
import type { VaultFlow } from "./vault-flow.ts";

export interface RelayerFlowParameters extends ManagedAmountsParameters {
  vault: `0x${string}`;
  relayer: OperatorRelayerClient;
  /** The deposit contract's root now (re-checked before the call is built). */
  registryRoot(): Promise<Hex>;
  oracleTimeoutMs: number;
}

/** What the plan asks the relayer for: one deposit per new validator, in registration order. */
export interface RelayerPayload {
  amountsGwei: bigint[];
}

/** The relayer answered something the vault must not be sent (a wrong amount, a bad signature). */
export class RelayerAnswerError extends OperatorError {
  override name = "RelayerAnswerError";
}

/**
 * A version-5 vault whose validators come from a DVT relayer (spec A.0/A.1, the Python operator
 * v4's `start-relayer`): the operator holds no key. The amounts are planned from the vault's assets
 * as for a wallet-managed vault; the relayer picks the public keys, its sidecars sign the deposits
 * and exits, it re-shares the exits for the oracles and signs the validators as the vault's
 * manager. Until every signature is there the registration waits for the relayer.
 */
export function createRelayerFlow(p: RelayerFlowParameters): VaultFlow<RelayerPayload, VaultState> {
  const { network } = p;
  const amount = (gwei: bigint) => `${formatEther(depositGweiToAssets(network, gwei))} ${network.assetToken}`;
  return {
    name: `validators from the DVT relayer ${p.relayer.endpoint} (${p.validatorType} validators)`,
    // The relayer holds the keys: the operator cannot count them.
    unusedKeys: () => 0,
    plan(snapshot) {
      const { assetsGwei, amounts } = managedAmounts(p, snapshot);
      if (amounts.length === 0) {
        return {
          kind: "wait",
          for: "assets",
          reason: `the vault has ${amount(assetsGwei)} to stake and a new validator needs ${amount(32_000_000_000n)}`,
        };
      }
      return { kind: "register", validators: amounts.length, payload: { amountsGwei: amounts } };
    },
    // The relayer picks the keys when it is asked (prepare): the plan knows the amounts only.
    planned: (plan) => plan.payload.amountsGwei.map((amountGwei) => ({ publicKey: undefined, amountGwei })),
    gasFloor: registrationGasFloor,
    async prepare(plan, snapshot, signal) {
      const validatorIndex = snapshot.deposits.count;
      const answer = await p.relayer.register(
        {
          vault: p.vault,
          validatorsStartIndex: validatorIndex,
          amountsGwei: plan.payload.amountsGwei,
          validatorType: p.validatorType,
        },
        signal,
      );
      const ready = readyValidators(answer, plan.payload.amountsGwei, p.relayer.endpoint);
      const entries = ready.validators.map((v) =>
        checkedEntry(p, network, v.publicKey, v.amountGwei, v.depositSignature, p.relayer.endpoint),
      );
      const validatorsBytes = toHex(encodeValidatorDepositEntries(entries));
      const approved = await approveManagedRegistration({
        network,
        vault: p.vault,
        registryRoot: snapshot.vault.depositRoot,
        currentRegistryRoot: () => p.registryRoot(),
        oracles: snapshot.oracles,
        updateStateData: snapshot.harvest ? updateStateCallData(snapshot.harvest.params) : undefined,
        oracleTimeoutMs: p.oracleTimeoutMs,
        signal,
        validatorsBytes,
        managerSignature: ready.managerSignature,
        request: {
          validator_index: validatorIndex,
          vault_address: p.vault,
          validators_root: snapshot.vault.depositRoot,
          public_keys: ready.validators.map((v) => v.publicKey),
          deposit_signatures: ready.validators.map((v) => v.depositSignature),
          public_key_shards: ready.validators.map((v) => v.shards.publicKeys),
          exit_signature_shards: ready.validators.map((v) => v.shards.encryptedExitSignatures),
          validators_manager_signature: ready.managerSignature,
          deadline: snapshot.head.timestamp + snapshot.oracles.signatureValidityPeriod,
          amounts: p.validatorType === "0x02" ? ready.validators.map((v) => Number(v.amountGwei)) : null,
        },
      });
      return managedRegistrationToSend(
        p.vault,
        { ...approved, publicKeys: ready.validators.map((v) => v.publicKey) },
        snapshot.harvest !== undefined,
      );
    },
    harvest: (params) => managedHarvest(p.vault, params),
  };
}

interface ReadyValidator {
  publicKey: Hex;
  amountGwei: bigint;
  depositSignature: Hex;
  shards: { publicKeys: Hex[]; encryptedExitSignatures: Hex[] };
}

/**
 * The relayer's validators once every one has its deposit signature and oracle shards and the
 * manager signature is there; RelayerNotReadyError (a wait) before. The relayer may hand out fewer
 * validators than asked (it has no more keys) but each must have the amount asked at its place.
 */
export function readyValidators(
  answer: RelayerRegistration,
  amountsGwei: readonly bigint[],
  endpoint: string,
): { validators: ReadyValidator[]; managerSignature: Hex } {
  if (answer.validators.length === 0) {
    throw new RelayerNotReadyError(`the relayer ${endpoint} has no public keys left to register`);
  }
  if (answer.validators.length > amountsGwei.length) {
    throw new RelayerAnswerError(
      `the relayer ${endpoint} returned ${answer.validators.length} validators for ${amountsGwei.length} amounts`,
    );
  }
  const validators: ReadyValidator[] = [];
  let missing = 0;
  answer.validators.forEach((v, k) => {
    if (v.amountGwei !== amountsGwei[k]) {
      throw new RelayerAnswerError(
        `the relayer ${endpoint} returned validator ${v.publicKey} with ${v.amountGwei} gwei where ${amountsGwei[k]} was asked`,
      );
    }
    if (!v.depositSignature || !v.oracleShards) {
      missing++;
      return;
    }
    validators.push({ ...v, depositSignature: v.depositSignature, shards: v.oracleShards });
  });
  if (missing > 0 || !answer.validatorsManagerSignature) {
    const what =
      missing > 0
        ? `${missing} of ${answer.validators.length} validators lack their signatures`
        : "the validators manager signature is missing";
    throw new RelayerNotReadyError(`waiting for the relayer ${endpoint}: ${what}`);
  }
  return { validators, managerSignature: answer.validatorsManagerSignature };
}

/** The vault's entry for a relayer's validator, once its deposit signature verifies for the vault. */
function checkedEntry(
  p: Pick<RelayerFlowParameters, "vault" | "validatorType">,
  network: NetworkConfig,
  publicKey: Hex,
  amountGwei: bigint,
  depositSignature: Hex,
  endpoint: string,
) {
  const key = parseHex(publicKey, 48) as Uint8Array;
  const signature = parseHex(depositSignature, 96) as Uint8Array;
  const signingRoot = vaultDepositSigningRoot({
    publicKey: key,
    vault: p.vault,
    validatorType: p.validatorType,
    amountGwei,
    genesisForkVersion: parseHex(network.genesisForkVersion, 4) as Uint8Array,
  });
  let valid = false;
  try {
    valid = verify(signingRoot, PublicKey.fromBytes(key, true), Signature.fromBytes(signature, true));
  } catch {
    valid = false;
  }
  if (!valid) {
    // A deposit with a bad signature is lost: the beacon chain ignores it, the vault's assets are gone.
    throw new RelayerAnswerError(
      `the relayer ${endpoint} returned a deposit signature for ${publicKey} that does not verify for this vault and amount`,
    );
  }
  return signedRegistrationEntry({
    publicKey: key,
    vault: p.vault,
    validatorType: p.validatorType,
    amountGwei,
    signature,
  });
}
