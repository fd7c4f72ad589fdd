import { readVaultConfig, vaultPaths } from "../../config/data-dir.ts";
import type { ParsedMnemonic } from "../../crypto/mnemonic.ts";
import { generatePassword } from "../../crypto/password.ts";
import { deriveHotWallet, encryptHotWallet } from "../../keys/hot-wallet.ts";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { UserInputError } from "../../lib/errors.ts";
import { makeDirs, pathExists } from "../../lib/fs.ts";
import type { CommandContext } from "../context.ts";
import { askMnemonic, askVault, seedForVault } from "../inputs.ts";

export interface CreateWalletOptions {
  vault?: `0x${string}`;
  mnemonic?: ParsedMnemonic;
  dataDir: string;
  /** The keyfile's scrypt parameters; only tests change them. */
  scrypt?: Parameters<typeof encryptHotWallet>[2];
}

/** `operator create-wallet`: account m/44'/60'/0'/0/0 of the vault's mnemonic as a v3 keyfile. */
export async function runCreateWallet(options: CreateWalletOptions, ctx: CommandContext): Promise<void> {
  const vault = await askVault(ctx, options.vault, "Enter the vault address");
  const paths = vaultPaths(options.dataDir, vault);
  const config = await readVaultConfig(paths, vault);
  const mnemonic = await askMnemonic(ctx, options.mnemonic, "Enter the mnemonic for generating the wallet");
  const seed = seedForVault(mnemonic, config, paths.configFile);
  const wallet = deriveHotWallet(seed);
  seed.fill(0);

  if (await pathExists(paths.walletFile)) {
    wallet.privateKey.fill(0);
    throw new UserInputError(
      `a hot wallet already exists at ${paths.walletFile}: keep it, or move it away first to create it again`,
    );
  }
  const password = generatePassword();
  const keyfile = await encryptHotWallet(wallet.privateKey, password, options.scrypt);
  wallet.privateKey.fill(0);
  await makeDirs(paths.walletDir, { mode: 0o700 });
  // Password first: a wallet file without its password would be unusable.
  await writeFileAtomic(paths.walletPasswordFile, password, { mode: 0o600 });
  await writeFileAtomic(paths.walletFile, keyfile, { mode: 0o600 });
  ctx.output.line(
    `Done. The wallet and password saved to ${paths.walletDir} directory. The wallet address is: ${wallet.address}`,
  );
}
