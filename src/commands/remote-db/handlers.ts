import { basename, join, resolve } from "node:path";
import { removeKeyShareConfig } from "../../keys/remote-signer/config-file.ts";
import { addressValue } from "../../lib/address.ts";
import { writeFilesAtomic } from "../../lib/atomic-file.ts";
import { UserInputError } from "../../lib/errors.ts";
import { fsErrorReason } from "../../lib/fs.ts";
import { resolveInput } from "../../lib/terminal.ts";
import { createKeyCodec, generateEncryptionKey } from "../../remote-db/encryption-key.ts";
import { LAYOUT_NAMES, type LayoutVersion, layoutLine, NEW_DATABASE_LAYOUT } from "../../remote-db/layout.ts";
import { depositDataFile, remoteSignerConfigFile } from "../../remote-db/operator-configs.ts";
import { verifyEncryptionKey } from "../../remote-db/stored-keys.ts";
import { DEPOSIT_DATA_NAME, REMOTE_SIGNER_CONFIG_NAME } from "../../remote-db/tables.ts";
import {
  lighthouseValidatorDefinitions,
  PROPOSER_CONFIG_FILE,
  proposerConfig,
  SIGNER_KEYS_FILE,
  tekuSignerKeys,
  VALIDATOR_DEFINITIONS_FILE,
  validatorKeyRange,
} from "../../remote-db/validator-configs.ts";
import { decryptVaultKeys, writeWeb3signerKeys } from "../../remote-db/web3signer-keys.ts";
import type { CommandContext } from "../context.ts";
import { checkWritableDir } from "../inputs.ts";
import {
  askEncryptionKey,
  noVaultRowsError,
  type RemoteDbGroupOptions,
  resolveGroup,
  withRemoteDb,
} from "./group.ts";
import { totalValidatorsValue, validatorIndexValue, web3signerUrlValue } from "./options.ts";

export interface SetupOptions extends RemoteDbGroupOptions {
  /** The layout of new tables (default {@link NEW_DATABASE_LAYOUT}); existing tables keep theirs. */
  layout?: LayoutVersion;
}

/**
 * `remote-db setup`: creates the tables and prints a new encryption key (never stored). New
 * tables get `--layout`, by default the Python operator's current one (layout.ts); tables that
 * exist keep theirs, and a `--layout` that differs from it is refused.
 */
export async function runSetup(options: SetupOptions, ctx: CommandContext): Promise<void> {
  const target = await resolveGroup(options, ctx);
  const note = await withRemoteDb(target, async (db) => {
    // Before anything is created: a table of another layout than --layout, or of none we use.
    const shape = await db.keypairsShape();
    const found: LayoutVersion | undefined =
      shape && (shape.parentColumn ? "v1.0" : shape.vaultColumn ? "v1.1" : "v4");
    if (found !== undefined && options.layout !== undefined && options.layout !== found) {
      throw new UserInputError(
        `--layout ${options.layout}: the table ${db.tables.keypairs} exists in the ${LAYOUT_NAMES[found]} layout; drop --layout to use it as it is, or set up another database`,
      );
    }
    const existed = await db.tablesExist();
    if (existed) {
      const counts = await db.vaultRowCounts();
      if (found === "v4" && counts.keypairs > 0) {
        throw new UserInputError(
          `the remote database already holds ${counts.keypairs} keys in ${db.tables.keypairs} (v4 layout: the keys of every vault): keep using their encryption key, or remove them with "operator remote-db cleanup" first`,
        );
      }
      if (counts.keypairs + counts.configs > 0) {
        throw new UserInputError(
          `the remote database already holds ${counts.keypairs} keys and ${counts.configs} configs of vault ${target.vault}: keep using their encryption key, or remove them with "operator remote-db cleanup" first`,
        );
      }
    }
    // Tables that exist keep their layout: a v4 table gets no configs table beside it.
    await db.createTables(found ?? options.layout ?? NEW_DATABASE_LAYOUT);
    return layoutLine(await db.layout(), db.tables.keypairs, shape === undefined);
  });
  ctx.output.line("Successfully configured remote database.");
  ctx.output.line(`Encryption key: ${generateEncryptionKey()}`);
  ctx.output.line("NB! You must store your encryption in a secure cold storage!");
  ctx.output.note?.(note);
}

export interface CleanupOptions extends RemoteDbGroupOptions {
  yes: boolean;
}

/**
 * `remote-db cleanup`: removes the vault's keys and configs, after a confirmation. In the v4
 * layout the rows name no vault: it removes every key of the table, and says so before it asks.
 */
export async function runCleanup(options: CleanupOptions, ctx: CommandContext): Promise<void> {
  const target = await resolveGroup(options, ctx);
  const note = await withRemoteDb(target, async (db) => {
    await db.requireTables();
    const layout = await db.layout();
    const note = layoutLine(layout, db.tables.keypairs);
    const counts = await db.vaultRowCounts();
    const what =
      layout.version === "v4"
        ? `all ${counts.keypairs} keys in ${db.tables.keypairs}, the keys of every vault (v4 layout: the rows name no vault),`
        : `the ${counts.keypairs} keys and ${counts.configs} configs of vault ${target.vault}`;
    if (!options.yes && counts.keypairs + counts.configs > 0) {
      if (!ctx.prompter.interactive) {
        throw new UserInputError(
          `cleanup deletes ${what} from the database: pass --yes (or set REMOTE_DB_YES=true) to confirm`,
        );
      }
      const answer = await ctx.prompter.ask(`Remove ${what} from the database? [y/N]`);
      if (!/^y(es)?$/i.test(answer.trim())) {
        ctx.output.line("Nothing was removed.");
        return note;
      }
    }
    await db.deleteVaultRows();
    ctx.output.line(
      layout.version === "v4"
        ? "Successfully removed all the entries from the database."
        : `Successfully removed all the entries for the ${target.vault} vault.`,
    );
    return note;
  });
  ctx.output.note?.(note);
}

export interface SetupWeb3signerOptions extends RemoteDbGroupOptions {
  encryptKey?: Uint8Array;
  outputDir?: string;
}

/** `remote-db setup-web3signer`: decrypts every key and share into web3signer key files. */
export async function runSetupWeb3signer(
  options: SetupWeb3signerOptions,
  ctx: CommandContext,
): Promise<void> {
  const target = await resolveGroup(options, ctx);
  const codec = createKeyCodec(await askEncryptionKey(ctx, options.encryptKey));
  const outputDir = await askOutputDir(
    ctx,
    options.outputDir,
    "Enter the folder where web3signer keystores will be saved",
  );
  const note = await withRemoteDb(target, async (db) => {
    await db.requireTables();
    const note = layoutLine(await db.layout(), db.tables.keypairs);
    await verifyEncryptionKey(db, codec);
    ctx.output.line("Fetching keypairs from the remote db...");
    const count = await db.countKeypairs();
    if (count === 0) throw await noVaultRowsError(db, "keys");
    ctx.output.line(`Decrypting ${count} keystores...`);
    const keys = await decryptVaultKeys(db, codec, { expected: count });
    try {
      ctx.output.line(`Saving ${keys.count} private keys to ${shownPath(outputDir)}...`);
      await writeWeb3signerKeys(outputDir, keys);
    } finally {
      keys.wipe();
    }
    return note;
  });
  ctx.output.line("Successfully retrieved web3signer private keys from the database.");
  ctx.output.note?.(note);
}

export interface SetupValidatorOptions extends RemoteDbGroupOptions {
  validatorIndex?: number;
  totalValidators?: number;
  web3signerEndpoint?: string;
  feeRecipient?: `0x${string}`;
  disableProposalBuilder: boolean;
  outputDir?: string;
}

/** `remote-db setup-validator`: the validator client files for one client's share of the keys. */
export async function runSetupValidator(options: SetupValidatorOptions, ctx: CommandContext): Promise<void> {
  const target = await resolveGroup(options, ctx);
  const ask = <T>(
    value: T | undefined,
    flag: string,
    envVar: string,
    prompt: string,
    parse: (t: string) => T,
  ) => resolveInput(ctx.prompter, { value, flag, envVar, prompt, parse }, ctx.output);
  const validatorIndex = await ask(
    options.validatorIndex,
    "--validator-index",
    "VALIDATOR_INDEX",
    "Enter the validator index to generate the configuration files",
    validatorIndexValue,
  );
  const totalValidators = await ask(
    options.totalValidators,
    "--total-validators",
    "TOTAL_VALIDATORS",
    "Enter the total number of validators connected to the web3signer",
    totalValidatorsValue,
  );
  if (validatorIndex >= totalValidators) validatorKeyRange(0, totalValidators, validatorIndex);
  const web3signerUrl = await ask(
    options.web3signerEndpoint,
    "--web3signer-endpoint",
    "WEB3SIGNER_ENDPOINT",
    "Enter the endpoint of the web3signer service",
    web3signerUrlValue,
  );
  const feeRecipient = await ask(
    options.feeRecipient,
    "--fee-recipient",
    "FEE_RECIPIENT",
    "Enter the recipient address for MEV & priority fees",
    addressValue,
  );
  const outputDir = await askOutputDir(
    ctx,
    options.outputDir,
    "Enter the folder where configuration files will be saved",
  );
  const { publicKeys, note } = await withRemoteDb(target, async (db) => {
    await db.requireTables();
    const note = layoutLine(await db.layout(), db.tables.keypairs);
    const keys = await db.validatorPublicKeys();
    if (keys.length === 0) throw await noVaultRowsError(db, "validator keys");
    return { publicKeys: keys.sort(), note };
  });
  const range = validatorKeyRange(publicKeys.length, totalValidators, validatorIndex);
  const mine = publicKeys.slice(range.start, range.end);
  const files = {
    definitions: join(outputDir, VALIDATOR_DEFINITIONS_FILE),
    signerKeys: join(outputDir, SIGNER_KEYS_FILE),
    proposer: join(outputDir, PROPOSER_CONFIG_FILE),
  };
  // As a set: the clients never see definitions and signer keys from different runs.
  await writeOutputFiles(outputDir, [
    {
      path: files.definitions,
      data: lighthouseValidatorDefinitions({ publicKeys: mine, web3signerUrl, feeRecipient }),
    },
    { path: files.signerKeys, data: tekuSignerKeys(mine) },
    { path: files.proposer, data: proposerConfig(feeRecipient, !options.disableProposalBuilder) },
  ]);
  const { output } = ctx;
  output.line(`Generated configs with ${mine.length} keys for validator with index ${validatorIndex}.`);
  output.line(`Validator definitions for Lighthouse saved to ${files.definitions} file.`);
  output.line(`Signer keys for Teku\\Prysm saved to ${files.signerKeys} file.`);
  output.line(`Proposer config for Teku\\Prysm saved to ${files.proposer} file.`);
  output.line();
  output.line("Successfully created validator configuration files.");
  output.note?.(note);
}

export interface SetupOperatorOptions extends RemoteDbGroupOptions {
  outputDir?: string;
}

/**
 * `remote-db setup-operator`: the operator's deposit data from the database and, in the v1.0.x
 * layout, its remote signer config. In the v1.1+ layout the remote signer holds whole keys and
 * `start` needs no config: one left in the output dir from a v1.0.x set-up is removed, or `start`
 * would ask the signer for key shares. The v4 layout holds neither: the command says so.
 */
export async function runSetupOperator(options: SetupOperatorOptions, ctx: CommandContext): Promise<void> {
  const target = await resolveGroup(options, ctx);
  const outputDir = options.outputDir ?? target.paths.vaultDir;
  await checkWritableDir(outputDir, OUTPUT_DIR);
  const { remoteSignerConfig, depositData, table, note } = await withRemoteDb(target, async (db) => {
    await db.requireTables();
    const layout = await db.layout();
    if (layout.version === "v4") {
      throw new UserInputError(
        `the remote database's ${db.tables.keypairs} is in the v4 layout: it holds keys only, no deposit data or remote signer config to set up the operator from. start --remote-signer-url signs with the whole keys in Web3Signer and needs neither`,
      );
    }
    let config: string | undefined;
    if (layout.version === "v1.0") {
      config = await db.readConfig(REMOTE_SIGNER_CONFIG_NAME);
      if (config === undefined) throw await noVaultRowsError(db, `${REMOTE_SIGNER_CONFIG_NAME} config`);
    }
    const deposit = await db.readConfig(DEPOSIT_DATA_NAME);
    if (deposit === undefined) throw await noVaultRowsError(db, `${DEPOSIT_DATA_NAME} config`);
    const note = layoutLine(layout, db.tables.keypairs);
    return { remoteSignerConfig: config, depositData: deposit, table: db.tables.configs, note };
  });
  const signerFile = join(outputDir, REMOTE_SIGNER_CONFIG_NAME);
  const depositFile = join(outputDir, DEPOSIT_DATA_NAME);
  const depositText = depositDataFile(depositData, table);
  if (remoteSignerConfig === undefined) {
    await writeOutputFiles(outputDir, [{ path: depositFile, data: depositText }]);
    await removeKeyShareConfig(signerFile, (line) => ctx.output.line(line));
  } else {
    const signerText = remoteSignerConfigFile(remoteSignerConfig, table);
    await writeOutputFiles(outputDir, [
      { path: signerFile, data: signerText },
      { path: depositFile, data: depositText },
    ]);
    ctx.output.line(`Operator remote signer configuration saved to ${signerFile} file.`);
  }
  ctx.output.line(`Operator deposit data saved to ${depositFile} file.`);
  ctx.output.line("Successfully created operator configuration file.");
  ctx.output.note?.(note);
}

/** Writes the files as a set; a filesystem failure is one line naming --output-dir. */
async function writeOutputFiles(
  outputDir: string,
  files: readonly { path: string; data: string }[],
): Promise<void> {
  try {
    await writeFilesAtomic(files);
  } catch (error) {
    const reason = fsErrorReason(error);
    if (reason === undefined) throw error;
    throw new UserInputError(
      `cannot write ${files.map((f) => basename(f.path)).join(", ")} to ${shownPath(outputDir)} (${reason}): fix --output-dir or its permissions and run the command again`,
    );
  }
}

/** --output-dir (or the prompt), checked writable before any database work; nothing is created yet. */
async function askOutputDir(ctx: CommandContext, value: string | undefined, prompt: string): Promise<string> {
  const dir = await resolveInput(
    ctx.prompter,
    {
      value,
      flag: "--output-dir",
      envVar: "REMOTE_DB_OUTPUT_DIR",
      prompt,
      default: process.cwd(),
      parse: (t) => t.trim(),
    },
    ctx.output,
  );
  await checkWritableDir(dir, OUTPUT_DIR);
  return dir;
}

const OUTPUT_DIR = { what: "output dir", flag: "--output-dir", envVar: "REMOTE_DB_OUTPUT_DIR" };

/** A directory the way Python's Path prints it ("./web3signer" → "web3signer"). */
function shownPath(dir: string): string {
  const joined = join(dir);
  return joined === "." ? resolve(dir) : joined.replace(/\/$/, "");
}
