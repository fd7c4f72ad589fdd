/**
 * `operator devnet set-root | set-manager | fund | deposit`: what a rehearsal needs done on the devnet with its
 * test accounts, without foundry's `cast`. Each reads the running devnet's devnet.json.
 */
import { join } from "node:path";
import { type Address, formatEther } from "viem";
import { expandHome, readVaultConfig, vaultPaths } from "../../config/data-dir.ts";
import { resolveNetwork } from "../../config/networks.ts";
import {
  adminOf,
  connectDevnet,
  type DevnetConnection,
  depositToVault,
  fundAddress,
  keysManagerOf,
  setValidatorsManager,
  setValidatorsRoot,
} from "../../devnet/actions.ts";
import { readDevnetFile } from "../../devnet/devnet-file.ts";
import { readHotWalletAddress } from "../../keys/hot-wallet-file.ts";
import { parseAddress } from "../../lib/address.ts";
import { UserInputError } from "../../lib/errors.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { CommandContext } from "../context.ts";
import { validatorsRootOfFile } from "../get-validators-root/handler.ts";

export interface DevnetHelperOptions {
  dataDir: string;
  /** Default: the vault the devnet created. */
  vault?: Address;
}

/** The running devnet of `<data dir>/devnet/devnet.json` and the vault to act on. */
async function openDevnet(
  options: DevnetHelperOptions,
): Promise<{ devnet: DevnetConnection; vault: Address }> {
  const file = join(expandHome(options.dataDir), "devnet", "devnet.json");
  const devnet = await connectDevnet(await readDevnetFile(file), file);
  const vault = options.vault ?? devnet.description.vault.address;
  return { devnet, vault };
}

export interface SetRootOptions extends DevnetHelperOptions {
  depositDataFile?: string;
}

/** `operator devnet set-root`: the vault's validators root := its deposit data's, as its keys manager. */
export async function runSetRoot(options: SetRootOptions, ctx: CommandContext): Promise<void> {
  const { devnet, vault } = await openDevnet(options);
  const described = devnet.description.vault;
  if (described.address.toLowerCase() === vault.toLowerCase() && (described.version ?? 1) >= 2) {
    throw new UserInputError(
      `vault ${vault} is version ${described.version}: it has no validators root of its own; make the hot wallet its validators manager with "operator devnet set-manager" (start then makes deposit data from the keystores), or start the devnet with --vault-version 1`,
    );
  }
  const paths = vaultPaths(options.dataDir, vault);
  const config = await readVaultConfig(paths, vault);
  const network = resolveNetwork(config.network, {
    devnetFile: join(expandHome(options.dataDir), "devnet", "network.json"),
  });
  const file = options.depositDataFile ? expandHome(options.depositDataFile) : paths.depositDataFile;
  const root = toPrefixedHex(await validatorsRootOfFile(file, vault, network));
  const manager = await keysManagerOf(devnet, vault);
  const tx = await setValidatorsRoot(devnet.client(manager), vault, root);
  ctx.output.line(
    `The validators root of vault ${vault} is now ${root} (the root of ${file}), set by its keys manager in block ${tx.blockNumber}, tx ${tx.hash}.`,
  );
}

/**
 * `operator devnet set-manager [address]`: the validators manager of a version-2+ vault := ADDRESS
 * (default: the vault's hot wallet), sent by the vault's admin (a test account).
 */
export async function runSetManager(
  address: string | undefined,
  options: DevnetHelperOptions,
  ctx: CommandContext,
): Promise<void> {
  const { devnet, vault } = await openDevnet(options);
  let manager: Address;
  let whose = "";
  if (address !== undefined) manager = parseAddress(address, "the validators manager");
  else {
    manager = await readHotWalletAddress(vaultPaths(options.dataDir, vault).walletFile);
    whose = " (its hot wallet)";
  }
  const tx = await setValidatorsManager(devnet.client(adminOf(devnet, vault)), vault, manager);
  ctx.output.line(
    `The validators manager of vault ${vault} is now ${manager}${whose}, set by its admin in block ${tx.blockNumber}, tx ${tx.hash}.`,
  );
}

export interface FundOptions extends DevnetHelperOptions {
  /** --eth, in wei. */
  eth: bigint;
}

/** `operator devnet fund [address]`: ETH from a test account, by default to the vault's hot wallet. */
export async function runFund(
  address: string | undefined,
  options: FundOptions,
  ctx: CommandContext,
): Promise<void> {
  const wei = options.eth;
  const { devnet, vault } = await openDevnet(options);
  let to: Address;
  let whose = "";
  if (address !== undefined) to = parseAddress(address, "the address to fund");
  else {
    to = await readHotWalletAddress(vaultPaths(options.dataDir, vault).walletFile);
    whose = ` (the hot wallet of vault ${vault})`;
  }
  const client = devnet.client("deployer");
  const tx = await fundAddress(client, to, wei);
  const balance = await client.getBalance({ address: to });
  ctx.output.line(
    `Sent ${formatEther(wei)} ETH to ${to}${whose} in block ${tx.blockNumber}, tx ${tx.hash}; it holds ${formatEther(balance)} ETH.`,
  );
}

/** `operator devnet deposit`: ETH into the vault from the depositor test account. */
export async function runDeposit(options: FundOptions, ctx: CommandContext): Promise<void> {
  const wei = options.eth;
  const { devnet, vault } = await openDevnet(options);
  const tx = await depositToVault(devnet.client("depositor"), vault, wei);
  ctx.output.line(
    `Deposited ${formatEther(wei)} ETH into vault ${vault} in block ${tx.blockNumber}, tx ${tx.hash}.`,
  );
}
