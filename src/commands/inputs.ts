import { access, constants, mkdir } from "node:fs/promises";
import { devnetNetworkFile, expandHome, type VaultConfig } from "../config/data-dir.ts";
import { NETWORK_NAMES, type NetworkConfig, resolveNetwork } from "../config/networks.ts";
import { deriveValidatorKey } from "../crypto/bls-keys.ts";
import { mnemonicToSeed, type ParsedMnemonic, parseMnemonic } from "../crypto/mnemonic.ts";
import { parseAddress } from "../lib/address.ts";
import { UserInputError } from "../lib/errors.ts";
import { toPrefixedHex } from "../lib/hex.ts";
import { resolveInput } from "../lib/terminal.ts";
import type { CommandContext } from "./context.ts";

/** Inputs shared by several commands, with the seeds' prompts and env var names. */
export function askVault(
  ctx: CommandContext,
  value: string | undefined,
  prompt = "Enter your vault address",
) {
  return resolveInput(
    ctx.prompter,
    { value, flag: "--vault", envVar: "VAULT", prompt, parse: (text) => parseAddress(text, "--vault") },
    ctx.output,
  );
}

export function askNetwork(
  ctx: CommandContext,
  value: string | undefined,
  dataDir: string,
): Promise<NetworkConfig> {
  return resolveInput(
    ctx.prompter,
    {
      value,
      flag: "--network",
      envVar: "NETWORK",
      prompt: `Enter the network name (${NETWORK_NAMES.join(", ")})`,
      default: "mainnet",
      parse: (text) => resolveNetwork(text.trim().toLowerCase(), { devnetFile: devnetNetworkFile(dataDir) }),
    },
    ctx.output,
  );
}

export function askMnemonic(
  ctx: CommandContext,
  value: string | undefined,
  prompt: string,
): Promise<ParsedMnemonic> {
  return resolveInput(
    ctx.prompter,
    {
      value,
      flag: "--mnemonic",
      envVar: "MNEMONIC",
      prompt,
      hidden: true,
      parse: (text) => parseMnemonic(text),
    },
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

/** Creates the data dir if needed and fails early, with the fix, when it is not writable. */
export async function ensureWritableDir(dir: string, flag = "--data-dir"): Promise<string> {
  const path = expandHome(dir);
  try {
    await mkdir(path, { recursive: true, mode: 0o700 });
    await access(path, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new UserInputError(
      `data dir ${path} is not writable (${code}): pass a writable directory with ${flag} or fix its permissions`,
    );
  }
  return path;
}
