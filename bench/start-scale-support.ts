import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type VaultPaths, writeVaultConfig } from "../src/config/data-dir.ts";
import type { NetworkConfig } from "../src/config/networks.ts";
import { deriveValidatorKey } from "../src/crypto/bls-keys.ts";
import { createKeystore, keystoreFileName, serializeKeystore } from "../src/crypto/keystore.ts";
import { mnemonicToSeed } from "../src/crypto/mnemonic.ts";
import { generatePassword } from "../src/crypto/password.ts";
import { serializeDepositData } from "../src/keys/deposit-data-file.ts";
import {
  buildDepositDatum,
  DEPOSIT_CLI_VERSION,
  type DepositDatumJson,
  depositDataRoot,
} from "../src/keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../src/keys/withdrawal-credentials.ts";
import { parseHex, toHex, toPrefixedHex } from "../src/lib/hex.ts";
import { operatorChildEnv } from "../test/support/operator-env.ts";

/** The operator CLI, run as a child process the way a user runs it. */
export const OPERATOR_ENTRY = fileURLToPath(new URL("../src/bin/operator.ts", import.meta.url));

export function startOperator(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): ChildProcess {
  // cwd: a scratch dir, so that no developer's .env is loaded.
  return spawn(process.execPath, [OPERATOR_ENTRY, ...args], {
    cwd,
    env: operatorChildEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export interface OperatorResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs one CLI command to completion; throws unless it exits 0. */
export async function runOperator(args: readonly string[], cwd: string): Promise<OperatorResult> {
  const child = startOperator(args, cwd);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const result = await new Promise<OperatorResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  if (result.code !== 0) {
    throw new Error(`operator ${args[0]} exited ${result.code ?? result.signal}\n${stdout}\n${stderr}`);
  }
  return result;
}

/** VmRSS and VmHWM (peak RSS) of a live process, in bytes; undefined once it is gone or off Linux. */
export function procMemory(pid: number): { rss: number; hwm: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const rss = kib("VmRSS");
  const hwm = kib("VmHWM");
  return rss === undefined || hwm === undefined ? undefined : { rss, hwm };
}

export interface ScaleDataParams {
  paths: VaultPaths;
  vault: `0x${string}`;
  network: NetworkConfig;
  mnemonic: string;
  /** Deposit data entries and keystores (key 0 real, the rest synthetic). */
  count: number;
}

/**
 * A vault dir as `init` + `create-keys` would leave it for `count` keys, without `count` real
 * keys: config.json, deposit_data.json whose entry 0 is the real deposit datum of mnemonic key 0
 * and whose other entries are random keys and signatures with consistent deposit data roots, and
 * `count` keystores: key 0's real one (cheap scrypt, n = 1024) and clones of its JSON carrying the
 * synthetic public keys. A clone cannot be decrypted (its secret is key 0's, which fails the
 * public-key check), so a start that decrypted more than key 0 would fail.
 */
export async function writeScaleVaultDir(params: ScaleDataParams): Promise<void> {
  const { paths, vault, network, count } = params;
  const key = deriveValidatorKey(mnemonicToSeed(params.mnemonic), 0);
  await writeVaultConfig(paths, {
    network: network.name,
    mnemonic_next_index: 1,
    first_public_key: toPrefixedHex(key.publicKey),
  });

  const credentials = vaultWithdrawalCredentials(vault);
  const genesisForkVersion = parseHex(network.genesisForkVersion, 4) as Uint8Array;
  const real = buildDepositDatum({
    secretKey: key.secretKey,
    publicKey: key.publicKey,
    withdrawalCredentials: credentials,
    amountGwei: network.validatorDepositGwei,
    genesisForkVersion,
    networkName: network.name,
  });
  const entries: DepositDatumJson[] = [real];
  for (let i = 1; i < count; i++) {
    const pubkey = randomBytes(48);
    const signature = randomBytes(96);
    entries.push({
      pubkey: toHex(pubkey),
      withdrawal_credentials: toHex(credentials),
      amount: network.validatorDepositGwei,
      signature: toHex(signature),
      deposit_message_root: toHex(randomBytes(32)),
      deposit_data_root: toHex(depositDataRoot(pubkey, credentials, network.validatorDepositGwei, signature)),
      fork_version: toHex(genesisForkVersion),
      network_name: network.name,
      deposit_cli_version: DEPOSIT_CLI_VERSION,
    });
  }
  await writeFile(paths.depositDataFile, serializeDepositData(entries));

  const password = generatePassword();
  const secret = key.secretKey.toBytes();
  const template = await createKeystore({
    secretKey: secret,
    publicKey: key.publicKey,
    path: key.path,
    password,
    kdf: { function: "scrypt", n: 1024, r: 8, p: 1 },
  });
  secret.fill(0);
  await mkdir(paths.keystoresDir, { recursive: true, mode: 0o700 });
  await writeFile(paths.keystoresPasswordFile, password, { mode: 0o600 });
  const timestamp = Math.floor(Date.now() / 1000);
  const BATCH = 500;
  for (let start = 0; start < count; start += BATCH) {
    await Promise.all(
      entries.slice(start, start + BATCH).map((entry, j) => {
        const i = start + j;
        const path = `m/12381/3600/${i}/0/0`;
        const keystore = i === 0 ? template : { ...template, pubkey: entry.pubkey, path, uuid: randomUUID() };
        return writeFile(
          join(paths.keystoresDir, keystoreFileName(path, timestamp)),
          serializeKeystore(keystore),
          {
            mode: 0o600,
          },
        );
      }),
    );
  }
}
