import { Command, Option } from "commander";
import { oneOf, wholeBigInt } from "../../lib/values.ts";
import { LOG_LEVELS } from "../../operator/log-options.ts";
import { V5_LIMITS } from "../../operator/v5-settings.ts";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { loadHandler } from "../load-handler.ts";
import {
  addBooleanFlag,
  dataDirOption,
  executionJwtSecretOption,
  managerRelayerOption,
  valueOption,
  vaultFirstBlockOption,
  vaultNetworkOption,
  vaultOption,
  walletFileOptions,
} from "../options.ts";
import type { ConsolidateOptions } from "./handler.ts";
import { publicKeysValue, publicKeyValue } from "./public-keys.ts";

/** The Python operator v4's default cap on the EIP-7251 fee per request. */
const DEFAULT_MAX_CONSOLIDATION_REQUEST_FEE_GWEI = 1000n;

/** `operator consolidate`: the Python operator v4's command, flags and env vars (spec §1.2, §7.6). */
export function consolidateCommand(context: () => CommandContext): Command {
  const command = new Command("consolidate");
  // Flag only, as in the Python operator: no env var.
  command.addOption(
    new Option("--no-switch-consolidation", "Refuse a switch from 0x01 to 0x02 (source equal to target)."),
  );
  addBooleanFlag(
    command,
    "--no-confirm",
    "Consolidate without asking for confirmation (for scripts).",
    "NO_CONFIRM",
  );
  const { minMaxValidatorBalanceGwei, maxMaxValidatorBalanceGwei } = V5_LIMITS;
  for (const option of walletFileOptions("The validators manager's wallet")) command.addOption(option);
  return command
    .description(
      "Consolidates vault validators into a 0x02 validator (EIP-7251), or switches a 0x01 validator to 0x02 when the source and target keys are the same. Without keys it chooses: the longest-active 0x01 validators into the 0x02 validator with the least balance, or, with none, a switch of the longest-active 0x01 validator. Sent from the wallet, which must be the vault's validators manager, unless --relayer-endpoint names the DVT relayer that is.",
    )
    .addOption(vaultNetworkOption())
    .addOption(vaultOption())
    .addOption(dataDirOption())
    .addOption(endpointsOption("execution"))
    .addOption(executionJwtSecretOption())
    .addOption(endpointsOption("consensus"))
    .addOption(
      valueOption(
        "--source-public-keys <keys>",
        "Comma separated public keys of the validators to consolidate from.",
        publicKeysValue,
      ),
    )
    .addOption(
      new Option(
        "--source-public-keys-file <path>",
        "File with the public keys to consolidate from, one a line.",
      ),
    )
    .addOption(
      valueOption(
        "--target-public-key <key>",
        "Public key of the 0x02 validator to consolidate into (a source's own key to switch it to 0x02).",
        publicKeyValue,
      ),
    )
    .addOption(
      new Option(
        "--exclude-public-keys-file <path>",
        "Without keys: a file of public keys (one a line) never chosen as source or target.",
      ),
    )
    .addOption(
      valueOption(
        "--max-validator-balance-gwei <gwei>",
        "Largest balance the target may reach. Default: 1945 ETH on Ethereum.",
        wholeBigInt(
          "a max validator balance",
          `a whole number of gwei from ${minMaxValidatorBalanceGwei} to ${maxMaxValidatorBalanceGwei}`,
          minMaxValidatorBalanceGwei,
          maxMaxValidatorBalanceGwei,
        ),
      ).env("MAX_VALIDATOR_BALANCE_GWEI"),
    )
    .addOption(
      valueOption(
        "--max-consolidation-request-fee-gwei <gwei>",
        "Highest EIP-7251 fee paid per consolidation request; above it the command refuses.",
        wholeBigInt("a max consolidation request fee", "a whole number of gwei of at least 1, e.g. 1000", 1n),
      )
        .env("MAX_CONSOLIDATION_REQUEST_FEE_GWEI")
        .default(
          DEFAULT_MAX_CONSOLIDATION_REQUEST_FEE_GWEI,
          String(DEFAULT_MAX_CONSOLIDATION_REQUEST_FEE_GWEI),
        ),
    )
    .addOption(managerRelayerOption("POST /consolidate"))
    .addOption(
      valueOption("--log-level <level>", `${LOG_LEVELS.join(", ")}.`, (text) =>
        oneOf("a log level", LOG_LEVELS)(text.toLowerCase()),
      )
        .env("LOG_LEVEL")
        .default("info"),
    )
    .addOption(
      vaultFirstBlockOption(
        "Without keys: the vault's creation block, where the scan of its registered validators starts (default: the Keeper's genesis block).",
      ),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  operator consolidate --vault 0x3320…   (the next consolidation, chosen among the vault's validators)\n  operator consolidate --vault 0x3320… --source-public-keys 0xa1…,0xb2… --target-public-key 0xc3…\n  operator consolidate --vault 0x3320… --source-public-keys 0xa1… --target-public-key 0xa1…   (switch 0xa1… to 0x02)\n  operator consolidate --vault 0x3320… --source-public-keys 0xa1… --target-public-key 0xc3… --relayer-endpoint http://relayer:8000",
    )
    .action(async (options: ConsolidateOptions) => {
      const ctx = context();
      const { runConsolidate } = await loadHandler(import("./handler.ts"), ctx);
      await runConsolidate(options, ctx);
    });
}
