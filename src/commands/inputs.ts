import {
  devnetNetworkFile,
  expandHome,
  readVaultConfig,
  type VaultConfig,
  vaultPaths,
} from "../config/data-dir.ts";
import { NETWORK_NAMES, networkNameValue } from "../config/network-names.ts";
import { type NetworkConfig, type NetworkName, resolveNetwork } from "../config/networks.ts";
import { deriveValidatorKey } from "../crypto/bls-keys.ts";
import { mnemonicToSeed, mnemonicValue, type ParsedMnemonic } from "../crypto/mnemonic.ts";
import { indexKeystores, type KeystoreIndex } from "../keys/sources/keystore-index.ts";
import { addressValue } from "../lib/address.ts";
import { UserInputError } from "../lib/errors.ts";
import { assertCanMakeDirs, MakeDirError, pathExists } from "../lib/fs.ts";
import { toPrefixedHex } from "../lib/hex.ts";
import { resolveInput } from "../lib/terminal.ts";
import { localKeystoresSettings } from "../operator/settings.ts";
import type { CommandContext } from "./context.ts";
import { remoteSignerUrlValue } from "./options.ts";

/** Inputs shared by several commands, with the seeds' prompts and env var names. */
export function askVault(
  ctx: CommandContext,
  value: `0x${string}` | undefined,
  prompt = "Enter your vault address",
): Promise<`0x${string}`> {
  return resolveInput(
    ctx.prompter,
    { value, flag: "--vault", envVar: "VAULT", prompt, parse: addressValue },
    ctx.output,
  );
}

/** --network (a name, parsed by commander) or the prompt, then the network (a devnet's is read from its file). */
export async function askNetwork(
  ctx: CommandContext,
  value: NetworkName | undefined,
  dataDir: string,
): Promise<NetworkConfig> {
  const name = await resolveInput(
    ctx.prompter,
    {
      value,
      flag: "--network",
      envVar: "NETWORK",
      prompt: `Enter the network name (${NETWORK_NAMES.join(", ")})`,
      default: "mainnet",
      parse: networkNameValue,
    },
    ctx.output,
  );
  return resolveNetwork(name, { devnetFile: devnetNetworkFile(dataDir) });
}

/** --network, else the vault's config.json in the data dir, else asked (default mainnet). */
export async function vaultNetwork(
  ctx: CommandContext,
  options: { network?: NetworkName | undefined; dataDir: string },
  vault: `0x${string}`,
): Promise<NetworkConfig> {
  if (options.network === undefined) {
    const paths = vaultPaths(options.dataDir, vault);
    if (await pathExists(paths.configFile)) {
      const config = await readVaultConfig(paths, vault);
      return resolveNetwork(config.network, { devnetFile: devnetNetworkFile(options.dataDir) });
    }
  }
  return askNetwork(ctx, options.network, options.dataDir);
}

export function askMnemonic(
  ctx: CommandContext,
  value: ParsedMnemonic | undefined,
  prompt: string,
): Promise<ParsedMnemonic> {
  return resolveInput(
    ctx.prompter,
    { value, flag: "--mnemonic", envVar: "MNEMONIC", prompt, hidden: true, parse: mnemonicValue },
    ctx.output,
  );
}

/**
 * The mnemonic must be the vault's: its key 0 must equal config.json's first_public_key.
 * Returns the BIP-39 seed.
 */
export function seedForVault(mnemonic: ParsedMnemonic, config: VaultConfig, configFile: string): Uint8Array {
  const seed = mnemonicToSeed(mnemonic);
  const firstKey = toPrefixedHex(deriveValidatorKey(seed, 0).publicKey);
  if (firstKey.toLowerCase() !== config.first_public_key.toLowerCase()) {
    seed.fill(0);
    throw new UserInputError(
      `Invalid mnemonic. Please use mnemonic generated with "init" command (its first key does not match first_public_key in ${configFile})`,
    );
  }
  return seed;
}

const DATA_DIR = { what: "data dir", flag: "--data-dir", envVar: "DATA_DIR" };

/**
 * Fails early, with the fix, when the data dir could not be created or written in, and creates
 * nothing: the command creates the directories when it writes its files, so a failure or Ctrl-C
 * before that leaves no empty directory behind. Returns the path with `~` expanded.
 */
export async function checkWritableDir(
  dir: string,
  input: { what: string; flag: string; envVar: string } = DATA_DIR,
): Promise<string> {
  const path = expandHome(dir);
  try {
    await assertCanMakeDirs(path);
  } catch (error) {
    if (!(error instanceof MakeDirError)) throw error;
    throw new UserInputError(
      `${input.what} ${path} is not writable: ${error.shortMessage}: pass a writable directory with ${input.flag} (${input.envVar}) or fix its permissions`,
      { cause: error },
    );
  }
  return path;
}

/** --remote-signer-url (REMOTE_SIGNER_URL) or its prompt. */
export function askRemoteSignerUrl(
  ctx: CommandContext,
  value: string | undefined,
  prompt: string,
): Promise<string> {
  return resolveInput(
    ctx.prompter,
    { value, flag: "--remote-signer-url", envVar: "REMOTE_SIGNER_URL", prompt, parse: remoteSignerUrlValue },
    ctx.output,
  );
}

/**
 * The keystores of --keystores-dir (default `defaultDir`, the vault dir's), found and parsed but
 * not decrypted, with their password files; a directory without any is one line.
 */
export async function findKeystores(
  options: { keystoresDir?: string | undefined; keystoresPasswordFile?: string | undefined },
  defaultDir: string,
): Promise<{ index: KeystoreIndex; keystoresDir: string; keystoresPasswordFile: string }> {
  const { keystoresDir, keystoresPasswordFile, keystoresPasswordDir } = localKeystoresSettings(
    options,
    defaultDir,
  );
  const index = await indexKeystores({
    keystoresDir,
    passwordFile: keystoresPasswordFile,
    ...(keystoresPasswordDir ? { passwordDir: keystoresPasswordDir } : {}),
  });
  if (index.size === 0) {
    throw new UserInputError(
      `Keystores not found in ${keystoresDir}: pass --keystores-dir with the vault's keystores`,
    );
  }
  return { index, keystoresDir, keystoresPasswordFile };
}
