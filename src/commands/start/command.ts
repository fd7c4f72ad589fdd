import { Command, Option } from "commander";
import { oneOf, positiveNumber, wholeNumber } from "../../lib/values.ts";
import { LOG_FORMATS, LOG_LEVELS } from "../../operator/settings.ts";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { addHashiVaultOptions } from "../hashi-vault-options.ts";
import {
  addBooleanFlag,
  dataDirOption,
  networkOption,
  remoteSignerUrlOption,
  valueOption,
  vaultOption,
} from "../options.ts";
import { runStart } from "./handler.ts";

export function startCommand(context: () => CommandContext): Command {
  const command = new Command("start");
  addBooleanFlag(
    command,
    "--harvest-vault",
    "Harvest the vault's rewards when they are due.",
    "HARVEST_VAULT",
  );
  addBooleanFlag(command, "--enable-metrics", "Serve Prometheus metrics and /health.", "ENABLE_METRICS");
  command.addOption(
    remoteSignerUrlOption(
      "Web3Signer holding the validator key shares (see remote-signer-setup), e.g. http://signer:9000.",
    ),
  );
  addHashiVaultOptions(command);
  return command
    .description("Run the registration service: registers the vault's validators as its assets allow.")
    .addOption(vaultOption())
    .addOption(networkOption("The network (default: from the vault's config.json)."))
    .addOption(dataDirOption())
    .addOption(endpointsOption("execution", "Comma-separated execution node API endpoints."))
    .addOption(endpointsOption("consensus", "Comma-separated beacon node API endpoints."))
    .addOption(
      valueOption(
        "--max-fee-per-gas-gwei <gwei>",
        "Do not send transactions above this max fee per gas.",
        positiveNumber("a max fee per gas", "a positive number of gwei, e.g. 30"),
      ).env("MAX_FEE_PER_GAS_GWEI"),
    )
    .addOption(
      new Option("--deposit-data-file <path>", "Deposit data (default: the vault dir's).").env(
        "DEPOSIT_DATA_FILE",
      ),
    )
    .addOption(
      new Option("--keystores-dir <path>", "Validator keystores (default: the vault dir's).").env(
        "KEYSTORES_DIR",
      ),
    )
    .addOption(
      new Option("--keystores-password-file <path>", "Shared keystore password file.").env(
        "KEYSTORES_PASSWORD_FILE",
      ),
    )
    .addOption(new Option("--hot-wallet-file <path>", "Hot wallet keyfile.").env("HOT_WALLET_FILE"))
    .addOption(
      new Option("--hot-wallet-password-file <path>", "Hot wallet password file.").env(
        "HOT_WALLET_PASSWORD_FILE",
      ),
    )
    .addOption(
      new Option("--database-dir <path>", "Where operator.db lives (default: the vault dir).").env(
        "DATABASE_DIR",
      ),
    )
    .addOption(new Option("--metrics-host <host>", "Metrics host.").env("METRICS_HOST").default("127.0.0.1"))
    .addOption(
      valueOption("--metrics-port <port>", "Metrics port.", wholeNumber("a port", 1, 65535))
        .env("METRICS_PORT")
        .default(9100),
    )
    .addOption(
      valueOption("--log-level <level>", `${LOG_LEVELS.join(", ")}.`, oneOf("a log level", LOG_LEVELS))
        .env("LOG_LEVEL")
        .default("info"),
    )
    .addOption(
      valueOption(
        "--log-format <format>",
        "text or json (plain: the same as text).",
        oneOf("a log format", LOG_FORMATS),
      )
        .env("LOG_FORMAT")
        .default("text"),
    )
    .addHelpText(
      "after",
      "\nExample:\n  operator start --vault 0x3320… --execution-endpoints http://localhost:8545 --consensus-endpoints http://localhost:5052",
    )
    .action((options) => runStart(options, context()));
}
