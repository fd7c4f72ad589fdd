import { devnetNetworkFile, readVaultConfig, type VaultPaths, vaultPaths } from "../../config/data-dir.ts";
import { type NetworkConfig, type NetworkName, resolveNetwork } from "../../config/networks.ts";
import { UserInputError } from "../../lib/errors.ts";
import { pathExists } from "../../lib/fs.ts";
import { resolveInput } from "../../lib/terminal.ts";
import { DB_URL_FORM, dbUrlValue } from "../../remote-db/db-url.ts";
import { encryptionKeyValue } from "../../remote-db/encryption-key-input.ts";
import { RemoteDb } from "../../remote-db/remote-db.ts";
import type { CommandContext } from "../context.ts";
import { askVault } from "../inputs.ts";

/** Options of the `remote-db` group, shared by every sub-command (spec §1.1). */
export interface RemoteDbGroupOptions {
  vault?: `0x${string}`;
  network?: NetworkName;
  dbUrl?: string;
  dataDir: string;
  keystoresDir?: string;
}

/** What the group options resolve to. */
export interface RemoteDbTarget {
  vault: `0x${string}`;
  network: NetworkConfig;
  dbUrl: string;
  dataDir: string;
  paths: VaultPaths;
}

export async function resolveGroup(
  options: RemoteDbGroupOptions,
  ctx: CommandContext,
): Promise<RemoteDbTarget> {
  const vault = await askVault(ctx, options.vault);
  const paths = vaultPaths(options.dataDir, vault);
  const devnetFile = devnetNetworkFile(options.dataDir);
  let network: NetworkConfig;
  if (options.network !== undefined) {
    network = resolveNetwork(options.network, { devnetFile });
  } else if (await pathExists(paths.configFile)) {
    network = resolveNetwork((await readVaultConfig(paths, vault)).network, { devnetFile });
  } else {
    throw new UserInputError(
      `missing --network: pass --network or set NETWORK (there is no ${paths.configFile} to read it from)`,
    );
  }
  const dbUrl = await resolveInput(
    ctx.prompter,
    {
      value: options.dbUrl,
      flag: "--db-url",
      envVar: "DB_URL",
      prompt: `Enter the Postgres DB connection URL (${DB_URL_FORM})`,
      hidden: true,
      parse: dbUrlValue,
    },
    ctx.output,
  );
  return { vault, network, dbUrl, dataDir: options.dataDir, paths };
}

export function askEncryptionKey(ctx: CommandContext, value: Uint8Array | undefined): Promise<Uint8Array> {
  return resolveInput(
    ctx.prompter,
    {
      value,
      flag: "--encrypt-key",
      envVar: "REMOTE_DB_ENCRYPT_KEY",
      prompt: "Enter the encryption key for the remote database",
      hidden: true,
      parse: encryptionKeyValue,
    },
    ctx.output,
  );
}

/** Connects to the target's database, runs `work`, and always disconnects. */
export async function withRemoteDb<T>(
  target: RemoteDbTarget,
  work: (db: RemoteDb) => Promise<T>,
): Promise<T> {
  const db = await RemoteDb.connect({ url: target.dbUrl, network: target.network.name, vault: target.vault });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/**
 * The error for a database that has tables but no rows of this vault: names the vaults it has (a
 * v4 table's rows name none: it has no rows at all).
 */
export async function noVaultRowsError(db: RemoteDb, what: string): Promise<UserInputError> {
  if (await db.sharedByVaults()) {
    return new UserInputError(
      `the remote database has no ${what} in ${db.tables.keypairs} (v4 layout: the keys of every vault): check --network, or run "operator remote-db upload-keypairs" first`,
    );
  }
  const others = await db.otherVaults();
  const held = others.length > 0 ? ` (it holds keys of ${others.join(", ")})` : "";
  return new UserInputError(
    `the remote database has no ${what} of vault ${db.vault} on ${db.tables.keypairs.replace(/_keypairs$/, "")}${held}: check --vault and --network, or run "operator remote-db upload-keypairs" for this vault first`,
  );
}
