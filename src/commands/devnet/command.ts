import { Command, Option } from "commander";
import { httpUrl, wholeNumber } from "../../lib/values.ts";
import type { CommandContext } from "../context.ts";
import { dataDirOption, optionValueError, valueOption } from "../options.ts";
import { type DevnetCommandOptions, runDevnet } from "./handler.ts";

/** Most oracles the devnet runs (each one is a server and a key). */
const MAX_ORACLES = 32;
const oracleCount = wholeNumber("a number of oracles", 1, MAX_ORACLES);

export function devnetCommand(context: () => CommandContext): Command {
  return new Command("devnet")
    .description(
      "Run a local rehearsal chain on loopback: anvil with the protocol contracts, oracles, IPFS and a beacon-chain simulator.",
    )
    .addOption(
      valueOption("--oracles <n>", "Number of oracles.", oracleCount).default(3).env("DEVNET_ORACLES"),
    )
    .addOption(
      valueOption(
        "--threshold <n>",
        "Oracle signatures the Keeper requires (default: a majority).",
        oracleCount,
      ).env("DEVNET_THRESHOLD"),
    )
    .addOption(
      valueOption(
        "--recover-threshold <n>",
        "Oracles needed to reassemble an exit signature (default: the threshold).",
        oracleCount,
      ).env("DEVNET_RECOVER_THRESHOLD"),
    )
    .addOption(
      valueOption(
        "--block-time <seconds>",
        "Seconds per block and per beacon slot.",
        wholeNumber("a block time", 1, 60),
      )
        .default(1)
        .env("DEVNET_BLOCK_TIME"),
    )
    .addOption(
      valueOption("--slots-per-epoch <n>", "Beacon slots per epoch.", wholeNumber("a number of slots", 1, 64))
        .default(8)
        .env("DEVNET_SLOTS_PER_EPOCH"),
    )
    .addOption(
      valueOption(
        "--vault-deposit-eth <eth>",
        "ETH deposited into the vault at start.",
        wholeNumber("an amount of ETH", 0, 1_000_000),
      )
        .default(0)
        .env("DEVNET_VAULT_DEPOSIT_ETH"),
    )
    .addOption(dataDirOption("Where the devnet writes devnet/network.json and devnet/devnet.json."))
    .addOption(
      valueOption(
        "--rpc-url <url>",
        "Skip anvil and our deployment: run the services against this execution node.",
        httpUrl("http://127.0.0.1:8545"),
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
    .hook("preAction", (command) => {
      // The thresholds are counts of the oracles: at most --oracles, and recovery at most --threshold.
      const { oracles, threshold } = command.opts<DevnetCommandOptions>();
      const checks = [
        { key: "threshold", max: oracles, of: `--oracles ${oracles}` },
        { key: "recoverThreshold", max: threshold ?? oracles, of: `the threshold ${threshold ?? oracles}` },
      ];
      for (const { key, max, of } of checks) {
        const value = command.getOptionValue(key) as number | undefined;
        if (value !== undefined && value > max) {
          throw optionValueError(command, key, `is more than ${of}: use a whole number from 1 to ${max}`);
        }
      }
    })
    .action((options: DevnetCommandOptions) => runDevnet(options, context()));
}
