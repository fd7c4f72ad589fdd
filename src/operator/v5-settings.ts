/**
 * The settings of what vault versions 2–5 add to `start` (issue 12): the type of new validators,
 * the amounts that top up 0x02 validators, and EIP-7002 withdrawals. Flags and env vars carry the
 * names of the Python operator v4 (spec §1.2–1.3), with its defaults; amounts are whole gwei as
 * bigints. On Gnosis the gwei amounts count mGNO (32 mGNO = 1 GNO), as the deposit contract does.
 */
import type { NetworkConfig } from "../config/networks.ts";
import type { ValidatorType } from "../keys/validator-entries.ts";
import { UserInputError } from "../lib/errors.ts";
import { parseEnvValue, wholeNumber } from "../lib/values.ts";

const GWEI_PER_ETH = 1_000_000_000n;

/** Limits the Python operator enforces on the amount flags (its settings.py constants). */
export const V5_LIMITS = Object.freeze({
  /** --min-deposit-amount-gwei: at least 1 ETH. */
  minDepositAmountGwei: 1n * GWEI_PER_ETH,
  /** --max-validator-balance-gwei: from 32 ETH (an activation) … */
  minMaxValidatorBalanceGwei: 32n * GWEI_PER_ETH,
  /** … to 2048 ETH, the largest effective balance of a 0x02 validator (EIP-7251). */
  maxMaxValidatorBalanceGwei: 2048n * GWEI_PER_ETH,
});

/** Defaults of the Python operator v4 (spec §1.2–1.3). */
export const V5_DEFAULTS = Object.freeze({
  validatorType: "0x02" as ValidatorType,
  minDepositAmountGwei: 10n * GWEI_PER_ETH,
  vaultMinBalanceGwei: 0n,
  minDepositDelaySeconds: 3600,
  maxWithdrawalRequestFeeGwei: 1000n,
  withdrawalsIntervalSeconds: 43_200,
  /** Per network: leaves headroom below 2048 for rewards to accrue without being skimmed. */
  maxValidatorBalanceGwei: 1945n * GWEI_PER_ETH,
});

/** The v5 part of StartSettings; every field has its default filled in but the per-network one. */
export interface V5Settings {
  /**
   * --validator-type / VALIDATOR_TYPE: the withdrawal credentials of new validators. 0x02
   * (compounding, any size up to the max balance) unless given; a version-1 vault can only take
   * 0x01, so the service falls back to 0x01 there, and refuses only when 0x02 was asked for.
   */
  validatorType: ValidatorType;
  /** True when --validator-type or VALIDATOR_TYPE was given, false when 0x02 is the default. */
  validatorTypeExplicit: boolean;
  /**
   * --max-validator-balance-gwei: a 0x02 validator is registered or topped up to at most this.
   * Undefined means the network's default: see {@link maxValidatorBalanceGweiFor}.
   */
  maxValidatorBalanceGwei: bigint | undefined;
  /** --min-deposit-amount-gwei: no registration or top-up moves less than this (default 10 ETH). */
  minDepositAmountGwei: bigint;
  /** --vault-min-balance-gwei: kept in the vault, never staked (default 0). */
  vaultMinBalanceGwei: bigint;
  /**
   * --min-deposit-delay (seconds, default 3600): a validator funded less than this long ago is not
   * topped up again, so anyone depositing dust into the vault cannot make us pay gas every slot.
   */
  minDepositDelaySeconds: number;
  /** --max-withdrawal-request-fee-gwei: above this EIP-7002 fee per request, withdrawals wait (default 1000). */
  maxWithdrawalRequestFeeGwei: bigint;
  /** --disable-validators-funding: never top up existing 0x02 validators. */
  disableValidatorsFunding: boolean;
  /** --disable-validators-registration: never register new validators (top-ups and withdrawals go on). */
  disableValidatorsRegistration: boolean;
  /** --disable-withdrawals: never submit withdrawals for the vault's exit queue. */
  disableWithdrawals: boolean;
  /**
   * WITHDRAWALS_INTERVAL (env only, seconds, default 43200 = 12 h): how often the exit queue is
   * compared with pending withdrawals. It must stay below the protocol config's
   * force_withdrawals_period, which only the service can read: it checks that at startup.
   */
  withdrawalsIntervalSeconds: number;
}

/** The v5 option values as commander parsed them (commands/start/v5-options.ts). */
export interface V5OptionValues {
  validatorType?: ValidatorType;
  maxValidatorBalanceGwei?: bigint;
  minDepositAmountGwei?: bigint;
  vaultMinBalanceGwei?: bigint;
  minDepositDelay?: number;
  maxWithdrawalRequestFeeGwei?: bigint;
  disableValidatorsFunding?: boolean;
  disableValidatorsRegistration?: boolean;
  disableWithdrawals?: boolean;
}

/** The v5 settings from parsed flags and the env (for WITHDRAWALS_INTERVAL); frozen. */
export function parseV5Settings(options: V5OptionValues, env: NodeJS.ProcessEnv = process.env): V5Settings {
  const minDepositAmountGwei = options.minDepositAmountGwei ?? V5_DEFAULTS.minDepositAmountGwei;
  const max = options.maxValidatorBalanceGwei;
  if (max !== undefined && minDepositAmountGwei > max) {
    throw new UserInputError(
      `--min-deposit-amount-gwei ${minDepositAmountGwei} is above --max-validator-balance-gwei ${max}: no deposit could ever be made; lower the first or raise the second`,
    );
  }
  return Object.freeze({
    validatorType: options.validatorType ?? V5_DEFAULTS.validatorType,
    validatorTypeExplicit: options.validatorType !== undefined,
    maxValidatorBalanceGwei: max,
    minDepositAmountGwei,
    vaultMinBalanceGwei: options.vaultMinBalanceGwei ?? V5_DEFAULTS.vaultMinBalanceGwei,
    minDepositDelaySeconds: options.minDepositDelay ?? V5_DEFAULTS.minDepositDelaySeconds,
    maxWithdrawalRequestFeeGwei:
      options.maxWithdrawalRequestFeeGwei ?? V5_DEFAULTS.maxWithdrawalRequestFeeGwei,
    disableValidatorsFunding: options.disableValidatorsFunding === true,
    disableValidatorsRegistration: options.disableValidatorsRegistration === true,
    disableWithdrawals: options.disableWithdrawals === true,
    withdrawalsIntervalSeconds: parseEnvValue(
      env,
      "WITHDRAWALS_INTERVAL",
      wholeNumber("a number of seconds", 1),
      V5_DEFAULTS.withdrawalsIntervalSeconds,
    ),
  });
}

/**
 * The largest balance a 0x02 validator is given: --max-validator-balance-gwei, else the
 * network's (1945 ETH on Ethereum, 1800 on Gnosis), else 1945 ETH.
 */
export function maxValidatorBalanceGweiFor(
  settings: Pick<V5Settings, "maxValidatorBalanceGwei">,
  network: Pick<NetworkConfig, "maxValidatorBalanceGwei">,
): bigint {
  return (
    settings.maxValidatorBalanceGwei ?? network.maxValidatorBalanceGwei ?? V5_DEFAULTS.maxValidatorBalanceGwei
  );
}
