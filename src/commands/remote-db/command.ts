import { Command, Option } from "commander";
import { addressValue } from "../../lib/address.ts";
import { oneOf } from "../../lib/values.ts";
import { DB_URL_FORM, dbUrlValue } from "../../remote-db/db-url.ts";
import { encryptionKeyValue } from "../../remote-db/encryption-key-input.ts";
import { LAYOUT_VERSIONS } from "../../remote-db/layout.ts";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { loadHandler } from "../load-handler.ts";
import {
  addBooleanFlag,
  concurrencyOption,
  dataDirOption,
  executionJwtSecretOption,
  networkOption,
  valueOption,
  vaultOption,
} from "../options.ts";
import type { RemoteDbGroupOptions } from "./group.ts";
import type {
  CleanupOptions,
  SetupOperatorOptions,
  SetupOptions,
  SetupValidatorOptions,
  SetupWeb3signerOptions,
} from "./handlers.ts";
import { totalValidatorsValue, validatorIndexValue, web3signerUrlValue } from "./options.ts";
import type { UploadKeypairsOptions } from "./upload-keypairs.ts";

const EXAMPLE_DB_URL = "postgresql://postgres@localhost/operator";
const EXAMPLE_VAULT = "0x8189aF89A7718C1baB5628399FC0ba50C6949bCc";

/** Sub-commands report their errors through the program, like top-level commands. */
function subcommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .exitOverride()
    .configureOutput({ outputError: () => {} });
}

const outputDirOption = (description: string) =>
  new Option("--output-dir <path>", description).env("REMOTE_DB_OUTPUT_DIR");
const encryptKeyOption = () =>
  valueOption(
    "--encrypt-key <base64>",
    "The encryption key for the remote database (printed by setup). Prefer REMOTE_DB_ENCRYPT_KEY: flags are visible to other local users.",
    encryptionKeyValue,
    { secret: true },
  ).env("REMOTE_DB_ENCRYPT_KEY");

/**
 * `operator remote-db`: the vault's encrypted keys and key shares in a Postgres database, for the
 * StakeWise Helm charts (spec §1.1, §7.5): setup, cleanup, upload-keypairs, setup-web3signer,
 * setup-validator, setup-operator.
 */
export function remoteDbCommand(context: () => CommandContext): Command {
  const group = new Command("remote-db")
    .description("Manages Postgres database encrypted keystores.")
    .addOption(vaultOption())
    .addOption(networkOption('The network of the vault. Default is the network specified at "init" command.'))
    .addOption(
      valueOption(
        "--db-url <url>",
        `The Postgres DB connection URL: ${DB_URL_FORM} (the password is optional). Prefer DB_URL when it holds a password: flags are visible to other local users.`,
        dbUrlValue,
        { secret: true },
      ).env("DB_URL"),
    )
    .addOption(dataDirOption("Path where the vault data is placed."))
    .addOption(
      new Option(
        "--keystores-dir <path>",
        'Directory with the encrypted keystores. Default is the directory made by "create-keys".',
      ).env("KEYSTORES_DIR"),
    )
    .addHelpText(
      "after",
      `\nExample:\n  operator remote-db --db-url ${EXAMPLE_DB_URL} --vault ${EXAMPLE_VAULT} setup`,
    );
  const globals = <T>(command: Command) => command.optsWithGlobals<T & RemoteDbGroupOptions>();

  group.addCommand(
    subcommand("setup", "Creates database tables and generates new encryption key.")
      .addOption(
        valueOption(
          "--layout <version>",
          "The layout of new tables: v1.1 (default; the Python operator's v1.1.0 – v3.x: whole validator keys of one vault, the remote signer signs whole exits), v4 (the Python operator v4's: the network's whole keys, no vault column, no deposit data) or v1.0 (v1.0.x: keys and one key share per oracle, with remote_signer_config.json). Existing tables keep theirs.",
          oneOf("a remote database layout", LAYOUT_VERSIONS),
        ).env("REMOTE_DB_LAYOUT"),
      )
      .action(async (_, command: Command) => {
        const ctx = context();
        const { runSetup } = await loadHandler(import("./handlers.ts"), ctx);
        await runSetup(globals<SetupOptions>(command), ctx);
      }),
  );

  const cleanup = subcommand("cleanup", "Removes all the entries for the vault from the database.");
  addBooleanFlag(cleanup, "--yes", "Do not ask for confirmation.", "REMOTE_DB_YES");
  group.addCommand(
    cleanup.action(async (_, command: Command) => {
      const ctx = context();
      const { runCleanup } = await loadHandler(import("./handlers.ts"), ctx);
      await runCleanup(globals<CleanupOptions>(command), ctx);
    }),
  );

  group.addCommand(
    subcommand(
      "upload-keypairs",
      "Uploads the local keypairs (with one share per oracle in the v1.0.x layout) to the remote DB, updates configs (none in the v4 layout).",
    )
      .addOption(encryptKeyOption())
      .addOption(endpointsOption("execution"))
      .addOption(executionJwtSecretOption())
      .addOption(
        new Option(
          "--deposit-data-file <path>",
          "The deposit_data.json file (default: the vault dir's).",
        ).env("DEPOSIT_DATA_FILE"),
      )
      .addOption(
        new Option(
          "--keystores-password-file <path>",
          "Shared keystore password file (default: keystores/password.txt).",
        ).env("KEYSTORES_PASSWORD_FILE"),
      )
      .addOption(
        concurrencyOption("Keystores decrypted at once on worker threads (default: cores, at most 4)."),
      )
      .addHelpText(
        "after",
        `\nExample:\n  operator remote-db --db-url ${EXAMPLE_DB_URL} --vault ${EXAMPLE_VAULT} upload-keypairs --execution-endpoints http://localhost:8545`,
      )
      .action(async (_, command: Command) => {
        const ctx = context();
        const { runUploadKeypairs } = await loadHandler(import("./upload-keypairs.ts"), ctx);
        await runUploadKeypairs(globals<UploadKeypairsOptions>(command), ctx);
      }),
  );

  group.addCommand(
    subcommand("setup-web3signer", "Retrieves web3signer private keys from the database.")
      .addOption(encryptKeyOption())
      .addOption(
        outputDirOption("The folder where web3signer keystores will be saved (default: current dir)."),
      )
      .action(async (_, command: Command) => {
        const ctx = context();
        const { runSetupWeb3signer } = await loadHandler(import("./handlers.ts"), ctx);
        await runSetupWeb3signer(globals<SetupWeb3signerOptions>(command), ctx);
      }),
  );

  const validator = subcommand(
    "setup-validator",
    "Creates validator configuration files for Lighthouse, Prysm, and Teku clients to sign data using keys from database.",
  )
    .addOption(
      valueOption(
        "--validator-index <n>",
        "The validator index to generate the configuration files.",
        validatorIndexValue,
      ).env("VALIDATOR_INDEX"),
    )
    .addOption(
      valueOption(
        "--total-validators <n>",
        "The total number of validators connected to the web3signer.",
        totalValidatorsValue,
      ).env("TOTAL_VALIDATORS"),
    )
    .addOption(
      valueOption(
        "--web3signer-endpoint <url>",
        "The endpoint of the web3signer service.",
        web3signerUrlValue,
      ).env("WEB3SIGNER_ENDPOINT"),
    )
    .addOption(
      valueOption(
        "--fee-recipient <address>",
        "The recipient address for MEV & priority fees.",
        addressValue,
      ).env("FEE_RECIPIENT"),
    )
    .addOption(outputDirOption("The folder where configuration files will be saved (default: current dir)."));
  addBooleanFlag(
    validator,
    "--disable-proposal-builder",
    "Disable proposal builder for Teku and Prysm clients.",
    "DISABLE_PROPOSAL_BUILDER",
  );
  group.addCommand(
    validator.action(async (_, command: Command) => {
      const ctx = context();
      const { runSetupValidator } = await loadHandler(import("./handlers.ts"), ctx);
      await runSetupValidator(globals<SetupValidatorOptions>(command), ctx);
    }),
  );

  group.addCommand(
    subcommand(
      "setup-operator",
      "Create operator remote signer configuration (v1.0.x layout) and deposit data from the database (v1.x layouts; v4 keeps neither).",
    )
      .addOption(
        outputDirOption("The folder where configuration file will be saved (default: the vault dir)."),
      )
      .action(async (_, command: Command) => {
        const ctx = context();
        const { runSetupOperator } = await loadHandler(import("./handlers.ts"), ctx);
        await runSetupOperator(globals<SetupOperatorOptions>(command), ctx);
      }),
  );
  return group;
}
