import { Command, Option } from "commander";
import { addressValue } from "../../lib/address.ts";
import { oneOf, wholeNumber } from "../../lib/values.ts";
import { dbUrlValue } from "../../remote-db/db-url.ts";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { loadServiceHandler } from "../load-handler.ts";
import {
  dataDirOption,
  executionJwtSecretOption,
  networkOption,
  valueOption,
  walletFileOptions,
} from "../options.ts";
import { addEnableMetricsFlag, serviceOutputOptions } from "../service-options.ts";

/** `operator relayer`: the DVT relayer (spec A.1 today's generation, A.2 with --protocol legacy). */
export function relayerCommand(context: () => CommandContext): Command {
  const command = new Command("relayer").description(
    "Run the DVT relayer: collect signature shares from the sidecars, check each against its public key share, recover and verify exit and deposit signatures, re-share exits for the oracles and sign as validators manager. Runs until SIGINT/SIGTERM.",
  );
  addEnableMetricsFlag(command);
  for (const option of walletFileOptions("The validators-manager wallet; WALLET_PRIVATE_KEY replaces it"))
    command.addOption(option);
  command
    .addOption(networkOption("The network (mainnet, hoodi, gnosis, devnet, …).").makeOptionMandatory())
    .addOption(dataDirOption("Where the relayer's SQLite state is kept (relayer/<network>.db)."))
    .addOption(endpointsOption("execution"))
    .addOption(executionJwtSecretOption())
    .addOption(endpointsOption("consensus"))
    .addOption(
      valueOption(
        "--signature-threshold <t>",
        "Signature shares that make a signature.",
        wholeNumber("a threshold", 1, 255),
      )
        .env("SIGNATURE_THRESHOLD")
        .makeOptionMandatory(),
    )
    .addOption(
      valueOption(
        "--protocol <generation>",
        "v4 (today's sidecars and operator) or legacy.",
        oneOf("a protocol", ["v4", "legacy"] as const),
      )
        .env("RELAYER_PROTOCOL")
        .default("v4"),
    )
    .addOption(
      new Option("--public-keys-file <path>", "CSV of the DV public keys (v4).").env("PUBLIC_KEYS_FILE"),
    )
    .addOption(
      new Option("--obol-cluster-lock <path>", "Obol cluster-lock.json: the public key shares.").env(
        "OBOL_CLUSTER_LOCK_FILE",
      ),
    )
    .addOption(
      valueOption(
        "--ssv-cluster-owner <address>",
        "SSV cluster owner: public key shares from its ValidatorAdded events.",
        addressValue,
      ).env("SSV_CLUSTER_OWNER"),
    )
    .addOption(new Option("--host <host>", "Bind host.").env("RELAYER_HOST").default("127.0.0.1"))
    .addOption(
      valueOption("--port <port>", "Bind port.", wholeNumber("a port", 0, 65535))
        .env("RELAYER_PORT")
        .default(8000),
    )
    .addOption(
      valueOption(
        "--db-url <url>",
        "PostgreSQL instead of SQLite (postgresql://user@host/db).",
        dbUrlValue,
      ).env("DB_URL"),
    )
    .addOption(
      valueOption(
        "--validator-lifetime <seconds>",
        "Records older than this are dropped.",
        wholeNumber("seconds", 60),
      )
        .env("VALIDATOR_LIFETIME")
        .default(3600),
    );
  for (const option of serviceOutputOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      "\nExample:\n  operator relayer --network hoodi --execution-endpoints http://localhost:8545 --consensus-endpoints http://localhost:5052 --signature-threshold 3 --public-keys-file keys.csv --obol-cluster-lock cluster-lock.json",
    )
    .action(async (options) => {
      const ctx = context();
      const handler = await loadServiceHandler(import("./handler.ts"), ctx);
      await handler?.runRelayerCommand(options, ctx);
    });
}
