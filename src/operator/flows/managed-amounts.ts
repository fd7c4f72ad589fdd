import type { VaultState } from "../../chain/vault-state-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import {
  isAmbiguousDepositBatchLength,
  V1_ENTRY_LENGTH,
  V2_ENTRY_LENGTH,
  type ValidatorType,
} from "../../keys/validator-entries.ts";
import { assetsToDepositGwei } from "../planning/deposit-units.ts";
import { registrationAmounts, stakeableGwei } from "../planning/registration-amounts.ts";
import type { SlotSnapshot } from "../snapshot.ts";

export interface ManagedAmountsParameters {
  network: NetworkConfig;
  validatorType: ValidatorType;
  maxValidatorBalanceGwei: bigint;
  minDepositAmountGwei: bigint;
  vaultMinBalanceGwei: bigint;
}

/**
 * The deposits (gwei, deposit units) of this slot's new validators for a vault whose validators
 * manager signs: the stakeable assets split by the validator type, at most the oracles' batch
 * limit (less one while the batch's byte length is ambiguous). Empty when nothing can be staked.
 */
export function managedAmounts(
  p: ManagedAmountsParameters,
  snapshot: SlotSnapshot<VaultState>,
): { assetsGwei: bigint; amounts: bigint[] } {
  const assetsGwei = stakeableGwei({
    withdrawableGwei: assetsToDepositGwei(p.network, snapshot.stakeable),
    vaultMinBalanceGwei: p.vaultMinBalanceGwei,
  });
  const entryLength = p.validatorType === "0x01" ? V1_ENTRY_LENGTH : V2_ENTRY_LENGTH;
  let batchLimit = snapshot.oracles.batchLimit;
  // 23 × 176 = 22 × 184 bytes: the vault cannot tell such a batch's type and refuses it.
  while (batchLimit > 1 && isAmbiguousDepositBatchLength(batchLimit * entryLength)) batchLimit--;
  const amounts =
    assetsGwei >= p.minDepositAmountGwei
      ? registrationAmounts({
          assetsGwei,
          validatorType: p.validatorType,
          maxValidatorBalanceGwei: p.maxValidatorBalanceGwei,
          batchLimit,
        })
      : [];
  return { assetsGwei, amounts };
}
