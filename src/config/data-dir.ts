import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../lib/atomic-file.ts";
import { UserInputError } from "../lib/errors.ts";
import { toPythonJson } from "../lib/python-json.ts";
import { NETWORK_NAMES } from "./network-names.ts";
import type { NetworkName } from "./networks.ts";

/** Expands a leading "~" the way a shell would (flags from .env files arrive unexpanded). */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

/**
 * The files of one vault inside the data dir (spec §1.4), identical to the Python operator's,
 * so a data dir made by either tool works with the other.
 */
export interface VaultPaths {
  vaultDir: string;
  configFile: string;
  depositDataFile: string;
  keystoresDir: string;
  keystoresPasswordFile: string;
  walletDir: string;
  walletFile: string;
  walletPasswordFile: string;
  databaseFile: string;
  tmpDir: string;
}

export function vaultPaths(dataDir: string, vault: string): VaultPaths {
  const vaultDir = join(expandHome(dataDir), vault.toLowerCase());
  const keystoresDir = join(vaultDir, "keystores");
  const walletDir = join(vaultDir, "wallet");
  return {
    vaultDir,
    configFile: join(vaultDir, "config.json"),
    depositDataFile: join(vaultDir, "deposit_data.json"),
    keystoresDir,
    keystoresPasswordFile: join(keystoresDir, "password.txt"),
    walletDir,
    walletFile: join(walletDir, "wallet.json"),
    walletPasswordFile: join(walletDir, "password.txt"),
    databaseFile: join(vaultDir, "operator.db"),
    tmpDir: join(vaultDir, ".tmp"),
  };
}

/** config.json of a vault dir. Field names are the Python operator's. */
export interface VaultConfig {
  network: NetworkName;
  mnemonic_next_index: number;
  first_public_key: `0x${string}`;
}

const VaultConfigSchema = z.object({
  network: z.enum(NETWORK_NAMES),
  mnemonic_next_index: z.number().int().nonnegative(),
  first_public_key: z.string().regex(/^0x[0-9a-fA-F]{96}$/, "must be 0x followed by 96 hex characters"),
});

export async function readVaultConfig(paths: VaultPaths, vault: string): Promise<VaultConfig> {
  let text: string;
  try {
    text = await readFile(paths.configFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new UserInputError(
        `vault ${vault} has no config at ${paths.configFile}: run "operator init --vault ${vault}" first, or pass the --data-dir it was created in`,
      );
    }
    throw new UserInputError(`cannot read ${paths.configFile}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserInputError(
      `${paths.configFile} is not valid JSON: restore it from a backup or run "operator recover"`,
    );
  }
  const parsed = VaultConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserInputError(
      `${paths.configFile}: field "${issue?.path.join(".") || "(root)"}" ${issue?.message ?? "is invalid"}; restore the file or run "operator recover"`,
    );
  }
  return parsed.data as VaultConfig;
}

export async function writeVaultConfig(paths: VaultPaths, config: VaultConfig): Promise<void> {
  const ordered = {
    network: config.network,
    mnemonic_next_index: config.mnemonic_next_index,
    first_public_key: config.first_public_key,
  };
  await writeFileAtomic(paths.configFile, toPythonJson(ordered), { mode: 0o644 });
}

/** Where `operator devnet` writes the devnet's network file (DEVNET_CONFIG_FILE overrides it). */
export function devnetNetworkFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.DEVNET_CONFIG_FILE ?? join(expandHome(dataDir), "devnet", "network.json");
}
