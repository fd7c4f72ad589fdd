import type { Command } from "commander";
import { VALIDATOR_TYPES } from "../../keys/validator-types.ts";
import { oneOf, wholeBigInt, wholeNumber } from "../../lib/values.ts";
import { V5_DEFAULTS, V5_LIMITS } from "../../operator/v5-settings.ts";
import { addBooleanFlag, valueOption } from "../options.ts";

const eth = (gwei: bigint) => `${gwei / 1_000_000_000n} ETH`;

/**
 * The flags of vault versions 2–5 (issue 12), with the Python operator v4's names and env vars
 * (spec §1.2). No commander defaults: an absent value stays undefined so that parseV5Settings
 * can tell "given" from "default" (the validator type falls back to 0x01 on a version-1 vault
 * only when it was not given).
 */
export function addV5Options(command: Command): Command {
  const { minDepositAmountGwei, minMaxValidatorBalanceGwei, maxMaxValidatorBalanceGwei } = V5_LIMITS;
  command
    .addOption(
      valueOption(
        "--validator-type <type>",
        `Withdrawal credentials of new validators: 0x02 (compounding, up to the max balance) or 0x01 (32 ETH each). Default 0x02; a version-1 vault takes 0x01 only.`,
        oneOf("a validator type", VALIDATOR_TYPES),
      ).env("VALIDATOR_TYPE"),
    )
    .addOption(
      valueOption(
        "--max-validator-balance-gwei <gwei>",
        "Largest balance a 0x02 validator is given. Default: 1945 ETH on Ethereum, 1800 GNO-units (mGNO) on Gnosis.",
        wholeBigInt(
          "a max validator balance",
          `a whole number of gwei from ${minMaxValidatorBalanceGwei} (${eth(minMaxValidatorBalanceGwei)}) to ${maxMaxValidatorBalanceGwei} (${eth(maxMaxValidatorBalanceGwei)})`,
          minMaxValidatorBalanceGwei,
          maxMaxValidatorBalanceGwei,
        ),
      ).env("MAX_VALIDATOR_BALANCE_GWEI"),
    )
    .addOption(
      valueOption(
        "--min-deposit-amount-gwei <gwei>",
        `Smallest registration or top-up. Default ${V5_DEFAULTS.minDepositAmountGwei} (${eth(V5_DEFAULTS.minDepositAmountGwei)}).`,
        wholeBigInt(
          "a min deposit amount",
          `a whole number of gwei of at least ${minDepositAmountGwei} (${eth(minDepositAmountGwei)})`,
          minDepositAmountGwei,
        ),
      ).env("MIN_DEPOSIT_AMOUNT_GWEI"),
    )
    .addOption(
      valueOption(
        "--vault-min-balance-gwei <gwei>",
        "Assets kept in the vault and never staked. Default 0.",
        wholeBigInt("a vault balance", "a whole number of gwei, e.g. 1000000000 for 1 ETH", 0n),
      ).env("VAULT_MIN_BALANCE_GWEI"),
    )
    .addOption(
      valueOption(
        "--min-deposit-delay <seconds>",
        `A validator funded less than this long ago is not topped up again. Default ${V5_DEFAULTS.minDepositDelaySeconds}.`,
        wholeNumber("a delay", 0),
      ).env("MIN_DEPOSIT_DELAY"),
    )
    .addOption(
      valueOption(
        "--max-withdrawal-request-fee-gwei <gwei>",
        `Highest EIP-7002 fee paid per withdrawal request; above it withdrawals wait. Default ${V5_DEFAULTS.maxWithdrawalRequestFeeGwei}.`,
        wholeBigInt("a max withdrawal request fee", "a whole number of gwei of at least 1, e.g. 1000", 1n),
      ).env("MAX_WITHDRAWAL_REQUEST_FEE_GWEI"),
    );
  addBooleanFlag(
    command,
    "--disable-validators-funding",
    "Never top up existing 0x02 validators.",
    "DISABLE_VALIDATORS_FUNDING",
  );
  addBooleanFlag(
    command,
    "--disable-validators-registration",
    "Never register new validators (top-ups and withdrawals go on).",
    "DISABLE_VALIDATORS_REGISTRATION",
  );
  addBooleanFlag(
    command,
    "--disable-withdrawals",
    "Never submit withdrawals for the vault's exit queue.",
    "DISABLE_WITHDRAWALS",
  );
  return command;
}
