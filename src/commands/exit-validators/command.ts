import { Command, Option } from "commander";
import { NETWORK_NAMES } from "../../config/network-names.ts";
import { oneOf, wholeBigInt, wholeNumber } from "../../lib/values.ts";
import { LOG_LEVELS } from "../../operator/log-options.ts";
import { V5_DEFAULTS } from "../../operator/v5-settings.ts";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { loadHandler } from "../load-handler.ts";
import {
  dataDirOption,
  executionJwtSecretOption,
  managerRelayerOption,
  networkOption,
  valueOption,
  vaultFirstBlockOption,
  vaultOption,
} from "../options.ts";
import type { ExitValidatorsOptions } from "./handler.ts";
import { indexesValue } from "./options.ts";

/**
 * `exit-validators` (the Python operator v4's command, spec §7.1): full exits of the vault's
 * validators requested by the vault itself through EIP-7002, sent by the validators manager's
 * wallet. No validator key is needed, unlike `validators-exit`.
 */
export function exitValidatorsCommand(context: () => CommandContext): Command {
  return new Command("exit-validators")
    .description(
      "Exits vault validators through the vault (EIP-7002 withdrawal requests, vault version 5+); the hot wallet must be the vault's validators manager, unless --relayer-endpoint names the DVT relayer that is. No validator key is needed.",
    )
    .addOption(vaultOption())
    .addOption(
      networkOption(
        `The network of your vault (${NETWORK_NAMES.join(", ")}; default: from the vault's config.json).`,
      ),
    )
    .addOption(dataDirOption())
    .addOption(endpointsOption("execution"))
    .addOption(executionJwtSecretOption())
    .addOption(endpointsOption("consensus"))
    .addOption(
      valueOption(
        "--indexes <list>",
        "Comma-separated beacon indexes of the validators to exit.",
        indexesValue,
      ).env("INDEXES"),
    )
    .addOption(
      valueOption(
        "--count <n>",
        "The number of validators to exit, longest active first. By default, every validator that can exit.",
        wholeNumber("a number of validators", 1),
      ).env("COUNT"),
    )
    .addOption(
      valueOption(
        "--max-withdrawal-request-fee-gwei <gwei>",
        `Highest EIP-7002 fee paid per request; above it nothing is sent. Default ${V5_DEFAULTS.maxWithdrawalRequestFeeGwei}.`,
        wholeBigInt("a max withdrawal request fee", "a whole number of gwei of at least 1, e.g. 1000", 1n),
      ).env("MAX_WITHDRAWAL_REQUEST_FEE_GWEI"),
    )
    .addOption(
      new Option("--wallet-file <path>", "Hot wallet keyfile (default: the vault dir's wallet).").env(
        "WALLET_FILE",
      ),
    )
    .addOption(
      new Option("--wallet-password-file <path>", "Hot wallet password file.").env("WALLET_PASSWORD_FILE"),
    )
    .addOption(vaultFirstBlockOption())
    .addOption(managerRelayerOption("POST /withdraw"))
    .addOption(new Option("--no-confirm", "Exit without asking for confirmation (exits cannot be undone)."))
    .addOption(
      valueOption("--log-level <level>", `${LOG_LEVELS.join(", ")}.`, oneOf("a log level", LOG_LEVELS))
        .env("LOG_LEVEL")
        .default("info"),
    )
    .addHelpText(
      "after",
      "\nExample:\n  operator exit-validators --vault 0x3320… --execution-endpoints http://localhost:8545 --consensus-endpoints http://localhost:5052 --count 1",
    )
    .action(async (options: ExitValidatorsOptions) => {
      const ctx = context();
      const { runExitValidators } = await loadHandler(import("./handler.ts"), ctx);
      await runExitValidators(options, ctx);
    });
}
