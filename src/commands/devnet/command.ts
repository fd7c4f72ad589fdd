import { Command, Option } from "commander";
import type { CommandContext } from "../context.ts";
import { dataDirOption } from "../options.ts";
import { type DevnetCommandOptions, runDevnet } from "./handler.ts";
import { runDeposit, runFund, runSetRoot } from "./helpers.ts";

export function devnetCommand(context: () => CommandContext): Command {
  const command = new Command("devnet")
    // The helper sub-commands take their own --data-dir: options after a sub-command's name are its own.
    .enablePositionalOptions()
    .description(
      "Run a local rehearsal chain on loopback: anvil with the protocol contracts, oracles, IPFS and a beacon-chain simulator.",
    )
    .addOption(new Option("--oracles <n>", "Number of oracles.").default("3").env("DEVNET_ORACLES"))
    .addOption(
      new Option("--threshold <n>", "Oracle signatures the Keeper requires (default: a majority).").env(
        "DEVNET_THRESHOLD",
      ),
    )
    .addOption(
      new Option(
        "--recover-threshold <n>",
        "Oracles needed to reassemble an exit signature (default: the threshold).",
      ).env("DEVNET_RECOVER_THRESHOLD"),
    )
    .addOption(
      new Option("--block-time <seconds>", "Seconds per block and per beacon slot.")
        .default("1")
        .env("DEVNET_BLOCK_TIME"),
    )
    .addOption(
      new Option("--slots-per-epoch <n>", "Beacon slots per epoch.")
        .default("8")
        .env("DEVNET_SLOTS_PER_EPOCH"),
    )
    .addOption(
      new Option("--vault-deposit-eth <eth>", "ETH deposited into the vault at start.")
        .default("0")
        .env("DEVNET_VAULT_DEPOSIT_ETH"),
    )
    .addOption(
      new Option(
        "--demo",
        "Walk a vault through its life on the new devnet with the real commands (init … start … exit); with no --data-dir, in a new temp dir.",
      ),
    )
    .addOption(dataDirOption("Where the devnet writes devnet/network.json and devnet/devnet.json."))
    .addOption(
      new Option(
        "--rpc-url <url>",
        "Skip anvil and our deployment: run the services against this execution node.",
      ).env("DEVNET_RPC_URL"),
    )
    .addOption(
      new Option(
        "--contracts <file>",
        "With --rpc-url: JSON with the deployment's addresses, Keeper owner and oracle keys.",
      ).env("DEVNET_CONTRACTS"),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  operator devnet --demo\n  operator devnet --oracles 11 --threshold 6 --recover-threshold 5 --data-dir /tmp/rehearsal",
    )
    .action((options: DevnetCommandOptions, self: Command) =>
      runDevnet({ ...options, dataDirGiven: self.getOptionValueSource("dataDir") !== "default" }, context()),
    );
  for (const helper of devnetHelpers(context)) command.addCommand(helper);
  return command;
}

const vaultOfDevnet = () =>
  new Option("--vault <address>", "The vault (default: the vault the devnet created).").env("VAULT");
const ethAmount = (what: string) => new Option("--eth <amount>", what).makeOptionMandatory();
const devnetDataDir = () => dataDirOption("The --data-dir the devnet was started with.");

/** set-root, fund, deposit: the devnet's test accounts at work, for a running devnet. */
function devnetHelpers(context: () => CommandContext): Command[] {
  return [
    new Command("set-root")
      .description(
        "Set the vault's validators root to the root of its deposit data, sent by the vault's keys manager (a test account).",
      )
      .addOption(vaultOfDevnet())
      .addOption(
        new Option("--deposit-data-file <path>", "Deposit data (default: the vault dir's).").env(
          "DEPOSIT_DATA_FILE",
        ),
      )
      .addOption(devnetDataDir())
      .addHelpText("after", "\nExample:\n  operator devnet set-root --data-dir /tmp/rehearsal")
      .action((options) => runSetRoot(options, context())),
    new Command("fund")
      .description("Send ETH from a test account to ADDRESS (default: the vault's hot wallet).")
      .argument(
        "[address]",
        "Where to send the ETH (default: the address in the vault's wallet/wallet.json).",
      )
      .addOption(ethAmount("ETH to send, e.g. 1 or 0.5."))
      .addOption(vaultOfDevnet())
      .addOption(devnetDataDir())
      .addHelpText("after", "\nExample:\n  operator devnet fund --eth 1 --data-dir /tmp/rehearsal")
      .action((address: string | undefined, options) => runFund(address, options, context())),
    new Command("deposit")
      .description(
        "Deposit ETH into the vault from the depositor test account (it stakes what the vault holds).",
      )
      .addOption(ethAmount("ETH to deposit, e.g. 64 for two validators."))
      .addOption(vaultOfDevnet())
      .addOption(devnetDataDir())
      .addHelpText("after", "\nExample:\n  operator devnet deposit --eth 64 --data-dir /tmp/rehearsal")
      .action((options) => runDeposit(options, context())),
  ];
}
