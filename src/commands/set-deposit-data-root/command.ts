import { Command, Option } from "commander";
import { NETWORK_NAMES } from "../../config/network-names.ts";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { loadHandler } from "../load-handler.ts";
import { dataDirOption, executionJwtSecretOption, networkOption, vaultOption } from "../options.ts";
import type { SetDepositDataRootOptions } from "./handler.ts";

export function setDepositDataRootCommand(context: () => CommandContext): Command {
  return new Command("set-deposit-data-root")
    .description(
      "Print the DepositDataRegistry call that sets the deposit data root of a vault (version 2+), or send it from the deposit-data manager's wallet with --send.",
    )
    .addOption(vaultOption())
    .addOption(dataDirOption())
    .addOption(
      networkOption(
        `The network of your vault (${NETWORK_NAMES.join(", ")}; default: from the vault's config.json).`,
      ),
    )
    .addOption(
      new Option("--deposit-data-file <path>", "Deposit data (default: the vault dir's).").env(
        "DEPOSIT_DATA_FILE",
      ),
    )
    .addOption(
      new Option("--send", "Send the transaction from the wallet (the vault's deposit-data manager)."),
    )
    .addOption(endpointsOption("execution", "Comma-separated execution node API endpoints (with --send)."))
    .addOption(executionJwtSecretOption())
    .addOption(
      new Option(
        "--wallet-file <path>",
        "The deposit-data manager's keyfile (default: the vault dir's wallet).",
      ).env("WALLET_FILE"),
    )
    .addOption(new Option("--wallet-password-file <path>", "Its password file.").env("WALLET_PASSWORD_FILE"))
    .addOption(new Option("--hot-wallet-file <path>", "Same as --wallet-file.").env("HOT_WALLET_FILE"))
    .addOption(
      new Option("--hot-wallet-password-file <path>", "Same as --wallet-password-file.").env(
        "HOT_WALLET_PASSWORD_FILE",
      ),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  operator set-deposit-data-root --vault 0x3320ad928c20187602a2b2c04eeaa813fa899468\n  operator set-deposit-data-root --vault 0x3320ad928c20187602a2b2c04eeaa813fa899468 --send --execution-endpoints http://localhost:8545",
    )
    .action(async (options: SetDepositDataRootOptions) => {
      const ctx = context();
      const { runSetDepositDataRoot } = await loadHandler(import("./handler.ts"), ctx);
      await runSetDepositDataRoot(options, ctx);
    });
}
