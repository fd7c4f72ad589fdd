import { REGISTRATION_MAX_GWEI, type ValidatorType } from "../../keys/validator-entries.ts";
import { MIN_ACTIVATION_BALANCE_GWEI } from "./beacon-rules.ts";

export interface RegistrationAmountsOptions {
  /** What the vault can stake now, in gwei, with the vault's own minimum balance already kept back. */
  assetsGwei: bigint;
  validatorType: ValidatorType;
  /** --max-validator-balance-gwei: the most a 0x02 validator is registered with. */
  maxValidatorBalanceGwei: bigint;
  /** validators_approval_batch_limit of the protocol config: the oracles approve no more at once. */
  batchLimit: number;
}

/**
 * The deposit of each validator to register now, largest first (spec §6.4 step 3). A 0x01
 * validator never holds more than 32 ETH, so the assets are cut into 32 ETH pieces. A 0x02
 * validator takes up to the maximum balance, so the assets fill as many full ones as they can and
 * the rest makes one more when it is enough to activate (≥ 32 ETH); a smaller rest waits, to be
 * a later top-up. Only one approval batch is planned per slot.
 */
export function registrationAmounts(options: RegistrationAmountsOptions): bigint[] {
  const { assetsGwei, batchLimit } = options;
  if (batchLimit < 1 || assetsGwei < MIN_ACTIVATION_BALANCE_GWEI) return [];
  const piece =
    options.validatorType === "0x01" ? MIN_ACTIVATION_BALANCE_GWEI : options.maxValidatorBalanceGwei;
  if (piece < MIN_ACTIVATION_BALANCE_GWEI || piece > REGISTRATION_MAX_GWEI) {
    throw new RangeError(`a validator is registered with 32 to 2048 ETH (got ${piece} gwei)`);
  }
  const whole = assetsGwei / piece;
  const amounts: bigint[] = [];
  for (let k = 0n; k < whole && amounts.length < batchLimit; k++) amounts.push(piece);
  const rest = assetsGwei % piece;
  if (
    options.validatorType === "0x02" &&
    rest >= MIN_ACTIVATION_BALANCE_GWEI &&
    amounts.length < batchLimit
  ) {
    amounts.push(rest);
  }
  return amounts;
}

export interface StakeableOptions {
  /** The vault's withdrawable assets in gwei, after the harvest when one is due. */
  withdrawableGwei: bigint;
  /** --vault-min-balance-gwei: what the operator keeps in the vault unstaked. */
  vaultMinBalanceGwei: bigint;
}

/** What top-ups and registrations may spend: withdrawable assets above the vault's kept balance. */
export function stakeableGwei(options: StakeableOptions): bigint {
  const rest = options.withdrawableGwei - options.vaultMinBalanceGwei;
  return rest > 0n ? rest : 0n;
}
