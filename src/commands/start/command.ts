import { Command, Option } from "commander";
import type { CommandContext } from "../context.ts";
import { addHashiVaultOptions } from "../hashi-vault-options.ts";
import { addBooleanFlag, dataDirOption, vaultOption } from "../options.ts";
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
  addBooleanFlag(command, "-v, --verbose", "Debug logging.", "VERBOSE");
  command.addOption(
    new Option(
      "--remote-signer-url <url>",
      "Web3Signer holding the validator key shares (see remote-signer-setup), e.g. http://signer:9000.",
    ).env("REMOTE_SIGNER_URL"),
  );
  addHashiVaultOptions(command);
  return command
    .description("Run the registration service: registers the vault's validators as its assets allow.")
    .addOption(vaultOption())
    .addOption(
      new Option("--network <name>", "The network (default: from the vault's config.json).").env("NETWORK"),
    )
    .addOption(dataDirOption())
    .addOption(
      new Option("--execution-endpoints <urls>", "Comma-separated execution node API endpoints.").env(
        "EXECUTION_ENDPOINTS",
      ),
    )
    .addOption(
      new Option("--consensus-endpoints <urls>", "Comma-separated beacon node API endpoints.").env(
        "CONSENSUS_ENDPOINTS",
      ),
    )
    .addOption(
      new Option("--max-fee-per-gas-gwei <gwei>", "Do not send transactions above this max fee per gas.").env(
        "MAX_FEE_PER_GAS_GWEI",
      ),
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
    .addOption(new Option("--metrics-port <port>", "Metrics port.").env("METRICS_PORT").default("9100"))
    .addOption(
      new Option("--log-level <level>", "debug, info, warn or error.").env("LOG_LEVEL").default("info"),
    )
    .addOption(new Option("--log-format <format>", "text or json.").env("LOG_FORMAT").default("text"))
    .addHelpText(
      "after",
      "\nExample:\n  operator start --vault 0x3320… --execution-endpoints http://localhost:8545 --consensus-endpoints http://localhost:5052",
    )
    .action((options) => runStart(options, context()));
}
