import { type Address, createWalletClient, encodeFunctionData, type Hex, isAddressEqual } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { depositDataRegistryAbi } from "../../chain/abi/deposit-data-registry.ts";
import {
  chainOf,
  checkExecutionEndpoints,
  createExecutionClient,
  createExecutionTransport,
} from "../../chain/execution-client.ts";
import { devnetNetworkFile, expandHome, readVaultConfig, vaultPaths } from "../../config/data-dir.ts";
import { type NetworkConfig, resolveNetwork } from "../../config/networks.ts";
import { loadHotWallet } from "../../keys/hot-wallet-file.ts";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { pathExists } from "../../lib/fs.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { eitherName } from "../../operator/settings.ts";
import type { CommandContext } from "../context.ts";
import { validatorsRootOfFile } from "../get-validators-root/handler.ts";
import { askVault } from "../inputs.ts";

export interface SetDepositDataRootOptions {
  vault?: Address;
  dataDir: string;
  network?: string;
  depositDataFile?: string;
  send?: boolean;
  executionEndpoints?: string[];
  /** --execution-jwt-secret. */
  executionJwtSecret?: Uint8Array;
  walletFile?: string;
  walletPasswordFile?: string;
  hotWalletFile?: string;
  hotWalletPasswordFile?: string;
}

/**
 * `operator set-deposit-data-root`: the deposit data file's Merkle root, and the
 * `DepositDataRegistry.setDepositDataRoot(vault, root)` call that publishes it for a vault of
 * version 2+ (spec §3.1). Printed for the deposit-data manager to send (a multisig, a Safe); with
 * --send, sent from the wallet when it is that manager, and checked by its receipt.
 */
export async function runSetDepositDataRoot(
  options: SetDepositDataRootOptions,
  ctx: CommandContext,
): Promise<void> {
  const vault = await askVault(ctx, options.vault, "Enter the vault address");
  const paths = vaultPaths(options.dataDir, vault);
  const network = await networkOf(options, paths, vault);
  const registry = network.depositDataRegistry;
  if (!registry) {
    throw new UserInputError(
      `${network.name} has no DepositDataRegistry: its vaults hold their own root (set it with the vault's setValidatorsRoot, root from get-validators-root)`,
    );
  }
  const file = options.depositDataFile ? expandHome(options.depositDataFile) : paths.depositDataFile;
  const root = toPrefixedHex(await validatorsRootOfFile(file, vault, network));
  const data = encodeFunctionData({
    abi: depositDataRegistryAbi,
    functionName: "setDepositDataRoot",
    args: [vault, root],
  });
  ctx.output.line(`The validator deposit data Merkle tree root: ${root}`);
  ctx.output.line(`DepositDataRegistry: ${registry}`);
  ctx.output.line(`Call data of setDepositDataRoot(${vault}, ${root}): ${data}`);
  if (!options.send) return;
  await sendSetRoot({ options, paths, network, registry, vault, root, data }, ctx);
}

async function networkOf(
  options: Pick<SetDepositDataRootOptions, "network" | "dataDir">,
  paths: ReturnType<typeof vaultPaths>,
  vault: Address,
): Promise<NetworkConfig> {
  const devnetFile = devnetNetworkFile(options.dataDir);
  if (options.network) return resolveNetwork(options.network, { devnetFile });
  if (!(await pathExists(paths.configFile))) {
    throw new UserInputError(
      `${paths.configFile} does not exist: pass --network, or --data-dir with the vault's config`,
    );
  }
  const config = await readVaultConfig(paths, vault);
  return resolveNetwork(config.network, { devnetFile });
}

async function sendSetRoot(
  p: {
    options: SetDepositDataRootOptions;
    paths: ReturnType<typeof vaultPaths>;
    network: NetworkConfig;
    registry: Address;
    vault: Address;
    root: Hex;
    data: Hex;
  },
  ctx: CommandContext,
): Promise<void> {
  const { options, network, registry, vault, root } = p;
  const endpoints = options.executionEndpoints;
  if (!endpoints || endpoints.length === 0) {
    throw new UserInputError(
      "--send needs --execution-endpoints (or EXECUTION_ENDPOINTS) to send the transaction",
    );
  }
  const walletFile =
    eitherName(
      { value: options.walletFile, flag: "--wallet-file", envVar: "WALLET_FILE" },
      { value: options.hotWalletFile, flag: "--hot-wallet-file", envVar: "HOT_WALLET_FILE" },
    ) ?? p.paths.walletFile;
  const passwordFile =
    eitherName(
      { value: options.walletPasswordFile, flag: "--wallet-password-file", envVar: "WALLET_PASSWORD_FILE" },
      {
        value: options.hotWalletPasswordFile,
        flag: "--hot-wallet-password-file",
        envVar: "HOT_WALLET_PASSWORD_FILE",
      },
    ) ?? p.paths.walletPasswordFile;
  const wallet = await loadHotWallet({ walletFile, passwordFile });
  const account = privateKeyToAccount(toPrefixedHex(wallet.privateKey));
  wallet.privateKey.fill(0);

  const jwtSecret = options.executionJwtSecret;
  await checkExecutionEndpoints(endpoints, network, { jwtSecret });
  const client = createExecutionClient({ endpoints, network, jwtSecret });
  const read = (functionName: "getDepositDataManager" | "depositDataRoots") =>
    client.readContract({ address: registry, abi: depositDataRegistryAbi, functionName, args: [vault] });
  const [manager, current] = await Promise.all([read("getDepositDataManager"), read("depositDataRoots")]);
  if (!isAddressEqual(manager as Address, account.address)) {
    throw new UserInputError(
      `the wallet ${account.address} is not the deposit-data manager of ${vault} (${manager}): send the printed call from ${manager}, or have the vault admin make this wallet the manager (DepositDataRegistry.setDepositDataManager)`,
    );
  }
  if ((current as Hex).toLowerCase() === root.toLowerCase()) {
    ctx.output.line(`The DepositDataRegistry already holds this root for ${vault}: nothing to send.`);
    return;
  }
  const sender = createWalletClient({
    account,
    chain: chainOf(network),
    transport: createExecutionTransport({ endpoints, jwtSecret }),
  });
  const hash = await sender.sendTransaction({ to: registry, data: p.data });
  ctx.output.line(`Sent: ${hash}`);
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    throw new OperatorError(
      `setDepositDataRoot transaction ${hash} reverted in block ${receipt.blockNumber}`,
    );
  }
  ctx.output.line(
    `The DepositDataRegistry holds root ${root} for ${vault} from block ${receipt.blockNumber}.`,
  );
}
