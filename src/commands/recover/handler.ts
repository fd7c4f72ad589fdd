import { join } from "node:path";
import { checkConsensusEndpoints, createConsensusClient } from "../../chain/consensus-client.ts";
import { checkExecutionEndpoints, createExecutionClient } from "../../chain/execution-client.ts";
import { vaultPaths, writeVaultConfig } from "../../config/data-dir.ts";
import type { NetworkConfig, NetworkName } from "../../config/networks.ts";
import { deriveValidatorKey } from "../../crypto/bls-keys.ts";
import { DEPOSIT_CLI_SCRYPT, type KdfParams, keystoreFileName } from "../../crypto/keystore.ts";
import { mnemonicToSeed, type ParsedMnemonic } from "../../crypto/mnemonic.ts";
import { generatePassword } from "../../crypto/password.ts";
import { writeStagedSecret } from "../../keys/key-batch.ts";
import { generateKeys } from "../../keys/keygen/pool.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { UserInputError } from "../../lib/errors.ts";
import { pathExists } from "../../lib/fs.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import { createProgressBars } from "../../lib/progress.ts";
import {
  consecutiveRuns,
  type FoundKey,
  findVaultKeys,
  isExitedStatus,
} from "../../operator/recover/find-keys.ts";
import {
  commitRecovery,
  createRecoveryStaging,
  discardRecoveryStaging,
  type RecoveryStaging,
} from "../../operator/recover/recovered-dir.ts";
import { scanVaultKeys } from "../../operator/recover/registered-keys.ts";
import type { CommandContext } from "../context.ts";
import { askEndpoints } from "../endpoints-input.ts";
import { askMnemonic, askNetwork, askVault, checkWritableDir } from "../inputs.ts";
import { recoverySummary } from "./summary.ts";

export interface RecoverOptions {
  dataDir: string;
  perKeystorePassword: boolean;
  /** False with --no-confirm. */
  confirm: boolean;
  force: boolean;
  mnemonic?: ParsedMnemonic;
  vault?: `0x${string}`;
  executionEndpoints?: string[];
  consensusEndpoints?: string[];
  network?: NetworkName;
  /** --execution-jwt-secret. */
  executionJwtSecret?: Uint8Array;
  /** Where the scan of the vault's events starts (default: the Keeper's genesis block). */
  vaultFirstBlock?: number;
  /** Keystore KDF; only tests and benchmarks change it. */
  kdf?: KdfParams;
}

/**
 * `operator recover` (spec §7.2): the vault's registered validators from its events, their
 * statuses from the beacon node, the mnemonic's keys among them, and a new vault dir with their
 * keystores and config.json, written aside and moved into place at the end.
 */
export async function runRecover(options: RecoverOptions, ctx: CommandContext): Promise<void> {
  const { output } = ctx;
  // Nothing is created before every input is checked (a wrong mnemonic leaves no directory).
  await checkWritableDir(options.dataDir);
  const mnemonic = await askMnemonic(
    ctx,
    options.mnemonic,
    "Enter the mnemonic for generating the validator keys",
  );
  const vault = await askVault(ctx, options.vault);
  const executionEndpoints = await askEndpoints(
    ctx,
    options.executionEndpoints,
    "execution",
    "Enter comma separated list of API endpoints for execution nodes",
  );
  const consensusEndpoints = await askEndpoints(
    ctx,
    options.consensusEndpoints,
    "consensus",
    "Enter comma separated list of API endpoints for consensus nodes",
  );
  const network = await askNetwork(ctx, options.network, options.dataDir);
  const paths = vaultPaths(options.dataDir, vault);
  await assertReplaceable(paths.vaultDir, options, ctx);

  const jwtSecret = options.executionJwtSecret;
  await checkExecutionEndpoints(executionEndpoints, network, { jwtSecret });
  await checkConsensusEndpoints(consensusEndpoints, network);
  const execution = createExecutionClient({ endpoints: executionEndpoints, network, jwtSecret });
  const consensus = createConsensusClient({ endpoints: consensusEndpoints });

  const registered = await scanVaultKeys({
    client: execution,
    network,
    vault,
    ...(options.vaultFirstBlock !== undefined ? { fromBlock: BigInt(options.vaultFirstBlock) } : {}),
    toBlock: await execution.getBlockNumber(),
    initialChunk: blocksPer12Hours(network),
    signal: ctx.signal,
  });
  if (registered.length === 0) {
    throw new UserInputError(
      `vault ${vault} has no registered validators on ${network.name}: there is nothing to recover (check --vault and --network)`,
    );
  }
  const statuses = new Map(
    (await consensus.getValidators(registered, { signal: ctx.signal })).map((v) => [v.pubkey, v.status]),
  );
  output.line(`Found ${registered.length} registered validators, recovering...`);

  const seed = mnemonicToSeed(mnemonic);
  try {
    const found = await findVaultKeys({
      seed,
      registered: new Set(registered),
      isExited: (publicKey) => isExitedStatus(statuses.get(publicKey)),
      signal: ctx.signal,
    });
    if (found.keys.length === 0) {
      throw new UserInputError(
        `none of the ${registered.length} validators of vault ${vault} derive from this mnemonic (indexes 0 to ${found.checked - 1} checked): check --mnemonic and --vault`,
      );
    }
    const staging = await createRecoveryStaging(options.dataDir, vault);
    // From the commit on, commitRecovery owns the staging dir: it keeps it when a failed commit
    // could not put the vault dir back as it was.
    let staged = true;
    try {
      await writeKeystores(staging, found.keys, { seed, vault, network, options, ctx });
      await writeVaultConfig(staging.paths, {
        network: network.name,
        mnemonic_next_index: found.nextIndex,
        first_public_key: toPrefixedHex(deriveValidatorKey(seed, 0).publicKey),
      });
      staged = false;
      const { backupDir } = await commitRecovery(staging, paths);
      if (backupDir) output.line(`The previous keystores and config.json were moved to ${backupDir}`);
    } finally {
      if (staged) await discardRecoveryStaging(staging);
    }
    const summary = recoverySummary({
      vault,
      registered: registered.length,
      keys: found.keys,
      nextIndex: found.nextIndex,
      keystoresDir: paths.keystoresDir,
      configFile: paths.configFile,
    });
    for (const line of summary) output.line(line);
  } finally {
    seed.fill(0);
  }
}

/** An existing vault dir is replaced only with --force (and, on a terminal, a confirmation). */
async function assertReplaceable(vaultDir: string, options: RecoverOptions, ctx: CommandContext) {
  if (!(await pathExists(vaultDir))) return;
  if (!options.force) {
    throw new UserInputError(
      `the vault dir ${vaultDir} already exists: pass --force to replace its keystores and config.json (the old ones are kept in a backup dir), or pass another --data-dir`,
    );
  }
  if (options.confirm && ctx.prompter.interactive) {
    const answer = await ctx.prompter.ask(
      `Replace the keystores and config.json in ${vaultDir} (the old ones are kept in a backup dir)? [y/N]`,
    );
    if (!/^y(es)?$/i.test(answer.trim())) {
      throw new UserInputError(`recover cancelled: ${vaultDir} was left as it was`);
    }
  }
}

/** About 12 hours of blocks: the first window of the event scan (spec §7.2). */
function blocksPer12Hours(network: NetworkConfig): bigint {
  return BigInt(Math.max(1, Math.round((12 * 3600) / network.secondsPerSlot)));
}

interface WriteKeystoresContext {
  seed: Uint8Array;
  vault: `0x${string}`;
  network: NetworkConfig;
  options: RecoverOptions;
  ctx: CommandContext;
}

/** The keystores of the keys not exited, with create-keys' worker pool and file layout. */
async function writeKeystores(staging: RecoveryStaging, keys: readonly FoundKey[], c: WriteKeystoresContext) {
  const indexes = keys.filter((k) => !k.exited).map((k) => k.index);
  if (indexes.length === 0) return;
  const sharedPassword = c.options.perKeystorePassword ? undefined : generatePassword();
  if (sharedPassword !== undefined)
    await writeStagedSecret(staging.paths.keystoresPasswordFile, sharedPassword);
  const passwords = new Map<number, string>();
  const timestamp = Math.floor(Date.now() / 1000);
  const bars = createProgressBars(c.ctx.output, ["Generating keystores"], indexes.length);
  try {
    for (const run of consecutiveRuns(indexes)) {
      await generateKeys({
        seed: c.seed,
        withdrawalCredentials: vaultWithdrawalCredentials(c.vault),
        amountGwei: c.network.validatorDepositGwei,
        genesisForkVersion: parseHex(c.network.genesisForkVersion, 4) as Uint8Array,
        networkName: c.network.name,
        kdf: c.options.kdf ?? DEPOSIT_CLI_SCRYPT,
        fromIndex: run.from,
        count: run.count,
        signal: c.ctx.signal,
        passwordFor: (index) => {
          if (sharedPassword !== undefined) return sharedPassword;
          const password = generatePassword();
          passwords.set(index, password);
          return password;
        },
        onProgress: (stage) => {
          if (stage === "done") bars.increment(0);
        },
        onKey: async (key) => {
          const fileName = keystoreFileName(key.path, timestamp);
          await writeStagedSecret(join(staging.paths.keystoresDir, fileName), key.keystoreText);
          const password = passwords.get(key.index);
          if (password !== undefined) {
            await writeStagedSecret(
              join(staging.paths.keystoresDir, fileName.replace(/\.json$/, ".txt")),
              password,
            );
            passwords.delete(key.index);
          }
        },
      });
    }
  } finally {
    bars.stop();
  }
}
