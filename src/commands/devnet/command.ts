import { Command, Option } from "commander";
import type { CommandContext } from "../context.ts";
import { dataDirOption } from "../options.ts";
import { type DevnetCommandOptions, runDevnet } from "./handler.ts";

export function devnetCommand(context: () => CommandContext): Command {
  return new Command("devnet")
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
      "\nExample:\n  operator devnet --oracles 11 --threshold 6 --recover-threshold 5 --data-dir /tmp/rehearsal",
    )
    .action((options: DevnetCommandOptions) => runDevnet(options, context()));
}
