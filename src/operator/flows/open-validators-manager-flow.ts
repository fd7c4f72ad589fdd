import type { Hex } from "viem";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import { FIRST_PECTRA_VAULT_VERSION } from "../../chain/vault-state-reader.ts";
import type { vaultValidatorsTypedData } from "../../chain/vault-validators-eip712.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import type { ValidatorType } from "../../keys/validator-entries.ts";
import { UserInputError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import { maxValidatorBalanceGweiFor, type V5Settings } from "../v5-settings.ts";
import { createValidatorsManagerFlow, type ValidatorsManagerPayload } from "./validators-manager-flow.ts";
import type { VaultFlow } from "./vault-flow.ts";

export interface OpenValidatorsManagerFlowParameters {
  state: VaultState;
  vault: `0x${string}`;
  network: NetworkConfig;
  signer: ExitSigner;
  settings: V5Settings;
  signManager: (typedData: ReturnType<typeof vaultValidatorsTypedData>) => Promise<Hex>;
  registryRoot(): Promise<Hex>;
  oracleTimeoutMs: number;
  log: Logger;
}

/**
 * The startup checks of a vault whose validators manager is the wallet, then its flow: the
 * validator type the vault takes (0x02 from version 5 on), keys that can sign deposits, the next
 * key usable. Returns the flow and that next key.
 */
export async function openValidatorsManagerFlow(
  p: OpenValidatorsManagerFlowParameters,
): Promise<{ flow: VaultFlow<ValidatorsManagerPayload, VaultState>; nextKey: Hex | undefined }> {
  const { state, settings, network } = p;
  const validatorType = validatorTypeFor(state.version, settings);
  if (!p.signer.signDeposit) {
    throw new UserInputError(
      `the ${p.signer.description} holds key shares and cannot sign deposits, which a vault whose validators manager is the wallet needs: load the whole keys into the remote signer (remote-db layout v1.1+) or use local keystores`,
    );
  }
  if (p.signer.size === 0) {
    throw new UserInputError(
      `the ${p.signer.description} holds no validator keys: create keys (create-keys) first`,
    );
  }
  p.log.info("validators made on the fly", {
    validatorType,
    keys: p.signer.size,
    maxValidatorBalanceGwei: String(maxValidatorBalanceGweiFor(settings, network)),
  });
  const nextKey = p.signer.publicKeys()[0];
  if (nextKey) await p.signer.check([nextKey]);
  const flow = createValidatorsManagerFlow({
    vault: p.vault,
    network,
    signer: p.signer,
    validatorType,
    maxValidatorBalanceGwei: maxValidatorBalanceGweiFor(settings, network),
    minDepositAmountGwei: settings.minDepositAmountGwei,
    vaultMinBalanceGwei: settings.vaultMinBalanceGwei,
    signManager: p.signManager,
    registryRoot: p.registryRoot,
    oracleTimeoutMs: p.oracleTimeoutMs,
  });
  return { flow, nextKey };
}

/**
 * 0x02 validators need a version-5 vault (v3-core v4, Pectra). Without --validator-type, an older
 * vault gets 0x01; asking for 0x02 from one is refused.
 */
export function validatorTypeFor(
  version: number,
  settings: Pick<V5Settings, "validatorType" | "validatorTypeExplicit">,
): ValidatorType {
  if (version >= FIRST_PECTRA_VAULT_VERSION || settings.validatorType === "0x01")
    return settings.validatorType;
  if (settings.validatorTypeExplicit) {
    throw new UserInputError(
      `--validator-type 0x02 needs a vault of version ${FIRST_PECTRA_VAULT_VERSION} or later and this vault is version ${version}: pass --validator-type 0x01, or upgrade the vault`,
    );
  }
  return "0x01";
}
