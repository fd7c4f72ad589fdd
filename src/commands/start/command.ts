import { Command, Option } from "commander";
import { oneOf } from "../../lib/values.ts";
import type { KeySourceKind } from "../../operator/key-source.ts";
import type { RelayerProtocol } from "../../operator/settings.ts";
import { DB_URL_FORM, dbUrlValue } from "../../remote-db/db-url.ts";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { addHashiVaultOptions } from "../hashi-vault-options.ts";
import { loadServiceHandler } from "../load-handler.ts";
import {
  addBooleanFlag,
  dataDirOption,
  depositDataFileOption,
  executionJwtSecretOption,
  keystoresOptions,
  maxFeePerGasOption,
  networkOption,
  remoteSignerUrlOption,
  valueOption,
  vaultOption,
} from "../options.ts";
import { addEnableMetricsFlag, metricsPrefixOption, serviceOutputOptions } from "../service-options.ts";
import { addV5Options } from "./v5-options.ts";

/** `start` and the Python operator v4's names for it, each with its key source preselected. */
export const START_COMMANDS = [
  "start",
  "start-local",
  "start-remote-signer",
  "start-hashi-vault",
  "start-relayer",
] as const;
export type StartCommandName = (typeof START_COMMANDS)[number];

interface StartVariant {
  description: string;
  /** Absent for `start`, which picks the key source from the flags given. */
  keySource?: KeySourceKind;
  /** start-relayer: the validators come from a DVT relayer; no key source flags. */
  relayer?: true;
  example: string;
}

const EXAMPLE_ENDPOINTS =
  "--execution-endpoints http://localhost:8545 --consensus-endpoints http://localhost:5052";

const VARIANTS: Record<StartCommandName, StartVariant> = {
  start: {
    description:
      "Run the registration service: registers the vault's validators as its assets allow. Keys come from --remote-signer-url, else --hashi-vault-url (unless local keystores exist), else local keystores.",
    example: `operator start --vault 0x3320… ${EXAMPLE_ENDPOINTS}\n  operator start --vault 0x3320… --relayer-endpoint http://relayer:8000 --relayer-protocol legacy --deposit-data-file cluster/deposit_data.json ${EXAMPLE_ENDPOINTS}`,
  },
  "start-local": {
    description: "start, with the validator keys from local keystores only (the Python operator v4's name).",
    keySource: "local-keystores",
    example: `operator start-local --vault 0x3320… ${EXAMPLE_ENDPOINTS}`,
  },
  "start-remote-signer": {
    description:
      "start, with the validator keys in a remote signer (Web3Signer) only; needs --remote-signer-url (the Python operator v4's name).",
    keySource: "remote-signer",
    example: `operator start-remote-signer --vault 0x3320… --remote-signer-url http://signer:9000 ${EXAMPLE_ENDPOINTS}`,
  },
  "start-hashi-vault": {
    description:
      "start, with the validator keys in HashiCorp Vault only, even when local keystores exist; needs --hashi-vault-url, --hashi-vault-token and a key path or prefix (the Python operator v4's name).",
    keySource: "hashi-vault",
    example: `operator start-hashi-vault --vault 0x3320… --hashi-vault-url https://vault:8200 --hashi-vault-key-path validators ${EXAMPLE_ENDPOINTS}`,
  },
  "start-relayer": {
    description:
      "start, with the validators from a DVT relayer (--relayer-endpoint): it holds the keys and signs as the vault's validators manager; no local keys are opened (the Python operator v4's name).",
    relayer: true,
    example: `operator start-relayer --vault 0x3320… --relayer-endpoint http://relayer:8000 ${EXAMPLE_ENDPOINTS}`,
  },
};

function relayerEndpointOption(required: boolean): Option {
  const option = new Option(
    "--relayer-endpoint <url>",
    required
      ? "DVT relayer that makes the validators and signs as the vault's validators manager, e.g. http://relayer:8000; no local keys are opened."
      : "DVT relayer, e.g. http://relayer:8000; no local keys are opened. With --relayer-protocol v4 it makes the validators and signs as the vault's validators manager; with legacy it gives the exit signatures of the deposit data's keys.",
  ).env("RELAYER_ENDPOINT");
  return required ? option.makeOptionMandatory() : option;
}

const RELAYER_PROTOCOLS: readonly RelayerProtocol[] = ["v4", "legacy"];

/** start only (start-relayer is v4): which relayer generation --relayer-endpoint speaks. */
function relayerProtocolOption(): Option {
  return valueOption(
    "--relayer-protocol <generation>",
    "The relayer's generation: v4 (POST /register: the relayer makes the validators; vault version ≥ 2) or legacy (POST /validators: the operator registers its --deposit-data-file and the relayer gives the exit signatures; vault version 1 or the DepositDataRegistry).",
    oneOf("a relayer protocol", RELAYER_PROTOCOLS),
  )
    .env("RELAYER_PROTOCOL")
    .default("v4");
}

/**
 * `start` (or one of its v4 names): the same service and flags, but each variant shows only the
 * flags of its key source and opens only that source.
 */
export function startCommand(context: () => CommandContext, name: StartCommandName = "start"): Command {
  const variant = VARIANTS[name];
  const command = new Command(name);
  command.addOption(
    new Option(
      "--dry-run",
      "Run one round against the endpoints, print what it would send (validators, amounts, calls, fees) and exit: nothing is signed, sent or written.",
    ),
  );
  return addStartOptions(command, name)
    .description(variant.description)
    .addHelpText("after", `\nExample:\n  ${variant.example}\n  ${variant.example.split("\n")[0]} --dry-run`)
    .action(async (options) => {
      const ctx = context();
      const handler = await loadServiceHandler(import("./handler.ts"), ctx);
      await handler?.runStart(
        variant.keySource ? { ...options, keySourceKind: variant.keySource } : options,
        ctx,
      );
    });
}

/**
 * The flags of `start` (or of one of its v4 names) on `command`: `status` takes them too, so that it
 * opens the vault's flow, keys and state exactly as that `start` would.
 */
export function addStartOptions(command: Command, name: StartCommandName = "start"): Command {
  const variant = VARIANTS[name];
  const keySource = variant.keySource;
  // start-relayer shows no key source flags; start shows them all.
  const keyFlags = (kind: KeySourceKind) =>
    !variant.relayer && (keySource === undefined || keySource === kind);
  addBooleanFlag(
    command,
    "--harvest-vault",
    "Harvest the vault's rewards when they are due.",
    "HARVEST_VAULT",
  );
  addEnableMetricsFlag(command);
  if (keyFlags("remote-signer")) {
    command.addOption(
      remoteSignerUrlOption(
        "Web3Signer holding the validator key shares (see remote-signer-setup), e.g. http://signer:9000.",
      ),
    );
  }
  if (keyFlags("hashi-vault")) addHashiVaultOptions(command);
  // start and start-relayer (which needs it); the variants of a key source have no relayer.
  if (keySource === undefined) command.addOption(relayerEndpointOption(variant.relayer === true));
  if (name === "start") command.addOption(relayerProtocolOption());
  if (keyFlags("local-keystores")) {
    for (const option of keystoresOptions()) command.addOption(option);
  }
  command
    .addOption(vaultOption())
    .addOption(networkOption("The network (default: from the vault's config.json)."))
    .addOption(dataDirOption())
    .addOption(endpointsOption("execution", "Comma-separated execution node API endpoints."))
    .addOption(executionJwtSecretOption())
    .addOption(endpointsOption("consensus", "Comma-separated beacon node API endpoints."))
    .addOption(maxFeePerGasOption())
    .addOption(depositDataFileOption())
    .addOption(
      new Option("--hot-wallet-file <path>", "Hot wallet keyfile (default: the vault dir's wallet).").env(
        "HOT_WALLET_FILE",
      ),
    )
    .addOption(
      new Option("--hot-wallet-password-file <path>", "Hot wallet password file.").env(
        "HOT_WALLET_PASSWORD_FILE",
      ),
    )
    .addOption(
      new Option("--wallet-file <path>", "Same as --hot-wallet-file (the Python operator v4's name).").env(
        "WALLET_FILE",
      ),
    )
    .addOption(
      new Option(
        "--wallet-password-file <path>",
        "Same as --hot-wallet-password-file (the Python operator v4's name).",
      ).env("WALLET_PASSWORD_FILE"),
    )
    .addOption(
      new Option("--database-dir <path>", "Where operator.db lives (default: the vault dir).").env(
        "DATABASE_DIR",
      ),
    )
    .addOption(
      valueOption(
        "--db-url <url>",
        `Keep the service state in PostgreSQL instead of operator.db: ${DB_URL_FORM}. Replicas given the same URL elect one leader that sends; the others stand by. Prefer DB_URL when it holds a password.`,
        dbUrlValue,
        { secret: true },
      ).env("DB_URL"),
    )
    .addOption(
      new Option(
        "--db-url-file <path>",
        "A file holding the --db-url (e.g. a mounted secret): the password stays out of env vars and argv.",
      ).env("DB_URL_FILE"),
    );
  for (const option of serviceOutputOptions()) command.addOption(option);
  command.addOption(metricsPrefixOption());
  // The flags of vault versions 2–5 come after the ones every version uses.
  return addV5Options(command);
}
