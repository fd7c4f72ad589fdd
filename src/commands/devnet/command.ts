import { Command, Option } from "commander";
import type { SsvFeeEra } from "../../chain/abi/ssv-network.ts";
import { DEFAULT_DEVNET_VAULT_VERSION, type DevnetVaultVersion } from "../../devnet/vault-version.ts";
import { httpUrl, InvalidValueError, oneOf, wholeNumber } from "../../lib/values.ts";
import { etherToWei } from "../../lib/wei.ts";
import type { CommandContext } from "../context.ts";
import { loadHandler, loadServiceHandler } from "../load-handler.ts";
import { addVerboseFlag, dataDirOption, optionValueError, valueOption, vaultOption } from "../options.ts";
import type { GivenOption } from "./external-flags.ts";
import type { DevnetCommandOptions } from "./handler.ts";

/** Most oracles the devnet runs (each one is a server and a key). */
const MAX_ORACLES = 32;
const oracleCount = wholeNumber("a number of oracles", 1, MAX_ORACLES);
const vaultVersion = (text: string): DevnetVaultVersion => {
  const value = text.trim();
  if (value === "1" || value === "5") return Number(value) as DevnetVaultVersion;
  throw new InvalidValueError(
    "is not a vault version the devnet deploys: use 1 (first generation) or 5 (today's vaults)",
  );
};

const ssvFeeEra = (text: string): SsvFeeEra => {
  const value = text.trim();
  if (value === "ssv-token" || value === "eth") return value;
  throw new InvalidValueError("is not an SSV fee era: use ssv-token (SSV balances) or eth (ETH balances)");
};

export function devnetCommand(context: () => CommandContext): Command {
  const command = new Command("devnet")
    // The helper sub-commands take their own --data-dir: options after a sub-command's name are its own.
    .enablePositionalOptions()
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
    .addOption(
      valueOption(
        "--vault-version <version>",
        "The vault's version: 1 (first generation, validators root in the vault) or 5 (validators manager, 0x02 validators, EIP-7002/7251).",
        vaultVersion,
      )
        .default(DEFAULT_DEVNET_VAULT_VERSION)
        .env("DEVNET_VAULT_VERSION"),
    )
    .addOption(
      valueOption(
        "--ssv-operators <n>",
        "SSV operators to register on the devnet's SSV contracts, served by its SSV API double (0: no SSV; each RSA key costs ~0.3 s).",
        wholeNumber("a number of SSV operators", 0, 64),
      )
        .default(0)
        .env("DEVNET_SSV_OPERATORS"),
    )
    .addOption(
      valueOption(
        "--ssv-fee-era <era>",
        "The SSV contracts' fee era: ssv-token (SSV balances, approve + amount) or eth (payable, ETH balances).",
        ssvFeeEra,
      )
        .default("ssv-token")
        .env("DEVNET_SSV_FEE_ERA"),
    )
    .addOption(
      valueOption(
        "--dvt <cluster>",
        "Simulate a distributed-validator cluster (obol or ssv): split fresh validator keys into its shares, write charon's files or register the SSV shares, and run the DVT relayer and one sidecar per node.",
        oneOf("a DVT cluster type", ["obol", "ssv"] as const),
      ).env("DEVNET_DVT"),
    )
    .addOption(
      valueOption(
        "--dvt-validators <n>",
        "With --dvt: distributed validators to make (default 3).",
        wholeNumber("a number of validators", 1, 100),
      ).env("DEVNET_DVT_VALIDATORS"),
    )
    .addOption(
      valueOption(
        "--cluster-size <n>",
        "With --dvt: nodes (Obol) or operators (SSV: 4, 7, 10 or 13) in the cluster (default 4).",
        wholeNumber("a cluster size", 1, 13),
      ).env("DEVNET_CLUSTER_SIZE"),
    )
    .addOption(
      valueOption(
        "--dvt-threshold <t>",
        "With --dvt: key shares that make a signature (default 3 of 4; two thirds rounded up).",
        wholeNumber("a threshold", 1, 13),
      ).env("DEVNET_DVT_THRESHOLD"),
    )
    .addOption(
      valueOption(
        "--dvt-protocol <generation>",
        "With --dvt: the relayer's protocol, v4 (it signs as the vault's validators manager; version-5 vault) or legacy (exits only; the operator registers with devnet/dvt/deposit_data.json).",
        oneOf("a protocol", ["v4", "legacy"] as const),
      ).env("DEVNET_DVT_PROTOCOL"),
    )
    .addOption(
      new Option(
        "--demo",
        "Walk a vault through its life on the new devnet with the real commands (init … start … exit); with no --data-dir, in a new temp dir.",
      ),
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
    .addOption(
      new Option(
        "--no-publish-config",
        "With --rpc-url: never write the Keeper's oracle config (by default it is written when the Keeper's last config is not already this devnet's).",
      ),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  operator devnet --demo\n  operator devnet --oracles 11 --threshold 6 --recover-threshold 5 --data-dir /tmp/rehearsal\n  operator devnet --dvt obol --data-dir /tmp/rehearsal\n  operator devnet --dvt ssv --ssv-operators 4 --data-dir /tmp/rehearsal\n  operator devnet --rpc-url http://127.0.0.1:8545 --contracts deployment.json --data-dir /tmp/rehearsal",
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
    .action(async (options: DevnetCommandOptions, self: Command) => {
      const ctx = context();
      const handler = await loadServiceHandler(import("./handler.ts"), ctx);
      await handler?.runDevnet(
        {
          ...options,
          dataDirGiven: self.getOptionValueSource("dataDir") !== "default",
          given: givenOptions(self),
        },
        ctx,
      );
    });
  for (const helper of devnetHelpers(context)) command.addCommand(addVerboseFlag(helper));
  return command;
}

/** The options the user set (flag or env var), by attribute name, with their flag and source. */
function givenOptions(command: Command): GivenOption[] {
  return command.options.flatMap((option) => {
    const key = option.attributeName();
    const source = command.getOptionValueSource(key);
    if (source !== "cli" && source !== "env") return [];
    return [
      { key, flag: option.long ?? key, ...(source === "env" && option.envVar ? { env: option.envVar } : {}) },
    ];
  });
}

const vaultOfDevnet = () => vaultOption("The vault (default: the vault the devnet created).");
const ethAmount = (what: string) => valueOption("--eth <amount>", what, ethValue).makeOptionMandatory();

/** A positive amount of ETH with at most 18 decimals ("32", "0.5"), in wei. */
function ethValue(text: string): bigint {
  const value = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(value) || etherToWei(value) === 0n) {
    throw new InvalidValueError("is not an amount of ETH: use a positive number such as 32 or 0.5");
  }
  return etherToWei(value);
}

/** An amount of ETH that may be zero or negative (a consensus penalty), in wei. */
function signedEthValue(text: string): bigint {
  const value = text.trim();
  if (!/^-?\d+(\.\d{1,18})?$/.test(value)) {
    throw new InvalidValueError("is not an amount of ETH: use a number such as 0.5, 0 or -0.1");
  }
  return etherToWei(value);
}

/** A reward of zero or more ETH, in wei. */
function rewardEthValue(text: string): bigint {
  const value = signedEthValue(text);
  if (value < 0n) throw new InvalidValueError("is negative: MEV rewards are 0 or more ETH");
  return value;
}

const devnetDataDir = () => dataDirOption("The --data-dir the devnet was started with.");

/** set-root, fund, deposit…: the devnet's test accounts and control endpoint, for a running devnet. */
function devnetHelpers(context: () => CommandContext): Command[] {
  return [
    new Command("set-oracles")
      .description(
        "Replace the running devnet's oracle set (keys derived from --seed), with the Keeper's threshold and the published config, through the Keeper owner.",
      )
      .addOption(valueOption("--count <n>", "Oracles in the new set.", oracleCount).makeOptionMandatory())
      .addOption(
        new Option(
          "--seed <text>",
          "Seed of the new keys (default: the devnet's own, so a larger --count keeps the oracles it has).",
        ),
      )
      .addOption(
        valueOption(
          "--threshold <n>",
          "Oracle signatures the Keeper requires (default: a majority).",
          oracleCount,
        ),
      )
      .addOption(devnetDataDir())
      .addHelpText(
        "after",
        "\nExamples:\n  operator devnet set-oracles --count 5 --threshold 3 --data-dir /tmp/rehearsal\n  operator devnet set-oracles --count 3 --seed rotation-1 --data-dir /tmp/rehearsal",
      )
      .action(async (options) => {
        const ctx = context();
        const { runSetOracles } = await loadHandler(import("./control-helpers.ts"), ctx);
        await runSetOracles(options, ctx);
      }),
    new Command("publish-rewards")
      .description(
        "Publish an oracle-signed rewards update for a vault (rewards file on IPFS, Keeper.updateRewards).",
      )
      .addOption(
        valueOption(
          "--consensus-reward-eth <eth>",
          "The vault's total consensus reward so far, in ETH (negative for a penalty).",
          signedEthValue,
        ).makeOptionMandatory(),
      )
      .addOption(
        valueOption(
          "--unlocked-mev-eth <eth>",
          "Unlocked MEV reward so far, in ETH.",
          rewardEthValue,
        ).default(0n, "0"),
      )
      .addOption(
        valueOption("--locked-mev-eth <eth>", "Locked MEV reward so far, in ETH.", rewardEthValue).default(
          0n,
          "0",
        ),
      )
      .addOption(vaultOption("The vault (default: the vault the devnet created; with --rpc-url, required)."))
      .addOption(devnetDataDir())
      .addHelpText(
        "after",
        "\nExample:\n  operator devnet publish-rewards --consensus-reward-eth 0.5 --unlocked-mev-eth 0.1 --data-dir /tmp/rehearsal",
      )
      .action(async (options) => {
        const ctx = context();
        const { runPublishRewards } = await loadHandler(import("./control-helpers.ts"), ctx);
        await runPublishRewards(options, ctx);
      }),
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
      .action(async (options) => {
        const ctx = context();
        const { runSetRoot } = await loadHandler(import("./helpers.ts"), ctx);
        await runSetRoot(options, ctx);
      }),
    new Command("set-manager")
      .description(
        "Make ADDRESS (default: the vault's hot wallet) the validators manager of a version-5 vault, sent by the vault's admin (a test account).",
      )
      .argument(
        "[address]",
        "The new validators manager (default: the address in the vault's wallet/wallet.json).",
      )
      .addOption(vaultOfDevnet())
      .addOption(devnetDataDir())
      .addHelpText("after", "\nExample:\n  operator devnet set-manager --data-dir /tmp/rehearsal")
      .action(async (address: string | undefined, options) => {
        const ctx = context();
        const { runSetManager } = await loadHandler(import("./helpers.ts"), ctx);
        await runSetManager(address, options, ctx);
      }),
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
      .action(async (address: string | undefined, options) => {
        const ctx = context();
        const { runFund } = await loadHandler(import("./helpers.ts"), ctx);
        await runFund(address, options, ctx);
      }),
    new Command("deposit")
      .description(
        "Deposit ETH into the vault from the depositor test account (it stakes what the vault holds).",
      )
      .addOption(ethAmount("ETH to deposit, e.g. 64 for two validators."))
      .addOption(vaultOfDevnet())
      .addOption(devnetDataDir())
      .addHelpText("after", "\nExample:\n  operator devnet deposit --eth 64 --data-dir /tmp/rehearsal")
      .action(async (options) => {
        const ctx = context();
        const { runDeposit } = await loadHandler(import("./helpers.ts"), ctx);
        await runDeposit(options, ctx);
      }),
  ];
}
