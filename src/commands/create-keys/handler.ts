import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { devnetNetworkFile, readVaultConfig, vaultPaths } from "../../config/data-dir.ts";
import { resolveNetwork } from "../../config/networks.ts";
import { DEPOSIT_CLI_SCRYPT, type KdfParams, keystoreFileName } from "../../crypto/keystore.ts";
import type { ParsedMnemonic } from "../../crypto/mnemonic.ts";
import { generatePassword } from "../../crypto/password.ts";
import { serializeDepositData } from "../../keys/deposit-data-file.ts";
import type { DepositDatumJson } from "../../keys/deposit-datum.ts";
import {
  acquireBatchLock,
  commitBatch,
  createStagingDir,
  recoverInterruptedBatches,
  sealStagingDir,
  writeStagedSecret,
} from "../../keys/key-batch.ts";
import { generateKeys } from "../../keys/keygen/pool.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { UserInputError } from "../../lib/errors.ts";
import { parseHex } from "../../lib/hex.ts";
import { createProgressBars } from "../../lib/progress.ts";
import { resolveInput } from "../../lib/terminal.ts";
import type { CommandContext } from "../context.ts";
import { askMnemonic, askVault, seedForVault } from "../inputs.ts";
import { keyCountValue } from "./options.ts";

export interface CreateKeysOptions {
  mnemonic?: ParsedMnemonic;
  count?: number;
  vault?: `0x${string}`;
  perKeystorePassword: boolean;
  dataDir: string;
  concurrency?: number;
  /** Keystore KDF; only tests and benchmarks change it. */
  kdf?: KdfParams;
}

const STAGES = ["Creating validator keys:", "Generating deposit data JSON", "Exporting validator keystores"];

/** `operator create-keys`: the next `count` keys, their keystores and deposit data. */
export async function runCreateKeys(options: CreateKeysOptions, ctx: CommandContext): Promise<void> {
  const { output, prompter } = ctx;
  const vault = await askVault(ctx, options.vault, "Enter the vault address");
  const { concurrency } = options;
  const paths = vaultPaths(options.dataDir, vault);
  const initialConfig = await readVaultConfig(paths, vault);
  const network = resolveNetwork(initialConfig.network, { devnetFile: devnetNetworkFile(options.dataDir) });
  const count = await resolveInput(
    prompter,
    {
      value: options.count,
      flag: "--count",
      envVar: "COUNT",
      prompt: "Enter the number of the validator keys to generate",
      parse: keyCountValue,
    },
    output,
  );
  const mnemonic = await askMnemonic(
    ctx,
    options.mnemonic,
    "Enter the mnemonic for generating the validator keys",
  );
  const seed = seedForVault(mnemonic, initialConfig, paths.configFile);

  const release = await acquireBatchLock(paths);
  let stagingDir: string | undefined;
  let sealed = false;
  try {
    await recoverInterruptedBatches(paths, vault);
    const config = await readVaultConfig(paths, vault);
    const fromIndex = config.mnemonic_next_index;
    const staging = await createStagingDir(paths);
    stagingDir = staging.dir;

    const sharedPassword = options.perKeystorePassword
      ? undefined
      : await existingOrNewPassword(paths.keystoresPasswordFile);
    if (sharedPassword?.isNew) await writeStagedSecret(staging.passwordFile, sharedPassword.value);

    const timestamp = Math.floor(Date.now() / 1000);
    const depositData: DepositDatumJson[] = new Array(count);
    const passwords = new Map<number, string>();
    const bars = createProgressBars(output, STAGES, count);
    try {
      await generateKeys({
        seed,
        withdrawalCredentials: vaultWithdrawalCredentials(vault),
        amountGwei: network.validatorDepositGwei,
        genesisForkVersion: parseHex(network.genesisForkVersion, 4) as Uint8Array,
        networkName: network.name,
        kdf: options.kdf ?? DEPOSIT_CLI_SCRYPT,
        fromIndex,
        count,
        ...(concurrency !== undefined ? { concurrency } : {}),
        signal: ctx.signal,
        passwordFor: (index) => {
          if (sharedPassword) return sharedPassword.value;
          const password = generatePassword();
          passwords.set(index, password);
          return password;
        },
        onProgress: (stage) => bars.increment(stage === "derived" ? 0 : stage === "deposit" ? 1 : 2),
        onKey: async (key) => {
          const fileName = keystoreFileName(key.path, timestamp);
          await writeStagedSecret(join(staging.keystoresDir, fileName), key.keystoreText);
          const password = passwords.get(key.index);
          if (password !== undefined) {
            await writeStagedSecret(
              join(staging.keystoresDir, fileName.replace(/\.json$/, ".txt")),
              password,
            );
            passwords.delete(key.index);
          }
          depositData[key.index - fromIndex] = key.depositDatum;
        },
      });
    } finally {
      bars.stop();
      seed.fill(0);
    }

    await writeFile(staging.depositDataFile, serializeDepositData(depositData), { mode: 0o644, flag: "wx" });
    await sealStagingDir(staging, {
      fromIndex,
      count,
      nextIndex: fromIndex + count,
      depositDataBackupName: `deposit_data-${timestamp}-${fromIndex}.backup.json`,
    });
    sealed = true;
    const committed = await commitBatch(paths, staging.dir, vault);

    output.line();
    output.line(`Done. Generated ${count} keys for ${vault} vault.`);
    output.line(`Keystores saved to ${paths.keystoresDir} file`);
    output.line(`Deposit data saved to ${paths.depositDataFile} file`);
    if (committed.depositDataBackup) {
      output.line(
        `The deposit data now holds keys ${fromIndex}..${fromIndex + count - 1}; the previous file is kept as ${committed.depositDataBackup}.`,
      );
    }
    output.line(
      'Next: upload the deposit data to your vault (or run "operator get-validators-root" and call setValidatorsRoot).',
    );
  } finally {
    if (stagingDir && !sealed) await rm(stagingDir, { recursive: true, force: true });
    await release();
  }
}

async function existingOrNewPassword(file: string): Promise<{ value: string; isNew: boolean }> {
  try {
    const existing = (await readFile(file, "utf8")).split(/\r?\n/)[0]?.trim();
    if (existing) return { value: existing, isNew: false };
    throw new UserInputError(
      `the keystores password file ${file} is empty: restore it from a backup (it decrypts the existing keystores), or use --per-keystore-password`,
    );
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new UserInputError(`cannot read the keystores password file ${file}: check its permissions`);
    }
  }
  return { value: generatePassword(), isNew: true };
}
