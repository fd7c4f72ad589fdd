import type { Command } from "commander";
import type { Address } from "viem";
import { expandHome, vaultPaths } from "../../config/data-dir.ts";
import type { NetworkName } from "../../config/networks.ts";
import { addressValue } from "../../lib/address.ts";
import { httpUrl } from "../../lib/values.ts";
import { localKeystoresSettings } from "../../operator/settings.ts";
import type { ForeignKeySource, SsvEnvironmentSettings } from "../../ssv/environment.ts";
import type { CommandContext } from "../context.ts";
import { askEndpoints, endpointsOption } from "../endpoints-input.ts";
import { askVault, vaultNetwork } from "../inputs.ts";
import {
  dataDirOption,
  depositDataFileOption,
  keystoresOptions,
  maxFeePerGasOption,
  valueOption,
  vaultNetworkOption,
  vaultOption,
  walletFileOptions,
} from "../options.ts";

/** The options every `operator ssv …` command and `operator ssv-manager` share, as commander parses them. */
export interface SsvEnvironmentOptionValues {
  network?: NetworkName;
  vault?: Address;
  dataDir: string;
  executionEndpoints?: string[];
  consensusEndpoints?: string[];
  walletFile?: string;
  walletPasswordFile?: string;
  keystoresDir?: string;
  keystoresPasswordFile?: string;
  depositDataFile?: string;
  maxFeePerGasGwei?: number;
  ssvNetworkAddress?: Address;
  ssvViewsAddress?: Address;
  ssvApiUrl?: string;
}

/** Adds the shared options (with start's env vars) to an SSV command. */
export function addSsvEnvironmentOptions(command: Command): Command {
  const options = [
    ...walletFileOptions("The cluster owner's wallet; WALLET_PRIVATE_KEY replaces it"),
    ...keystoresOptions(),
  ];
  for (const option of options) command.addOption(option);
  return command
    .addOption(vaultNetworkOption())
    .addOption(vaultOption())
    .addOption(dataDirOption())
    .addOption(endpointsOption("execution"))
    .addOption(endpointsOption("consensus"))
    .addOption(depositDataFileOption())
    .addOption(maxFeePerGasOption())
    .addOption(
      valueOption(
        "--ssv-network-address <address>",
        "The SSVNetwork contract (default: the network's).",
        addressValue,
      ).env("SSV_NETWORK_ADDRESS"),
    )
    .addOption(
      valueOption(
        "--ssv-views-address <address>",
        "The SSVNetworkViews contract (default: the network's).",
        addressValue,
      ).env("SSV_VIEWS_ADDRESS"),
    )
    .addOption(
      valueOption(
        "--ssv-api-url <url>",
        "The SSV API (default: the network's, e.g. https://api.ssv.network); optional: chain data is enough.",
        httpUrl("https://api.ssv.network"),
      ).env("SSV_API_URL"),
    );
}

/** The shared options resolved (vault and endpoints prompted for on a terminal) into environment settings. */
export async function ssvEnvironmentSettings(
  ctx: CommandContext,
  options: SsvEnvironmentOptionValues,
  mode: SsvEnvironmentSettings["mode"],
  env: NodeJS.ProcessEnv = process.env,
): Promise<SsvEnvironmentSettings & { depositDataFile: string }> {
  const vault = await askVault(ctx, options.vault);
  const network = await vaultNetwork(ctx, options, vault);
  const executionEndpoints = await askEndpoints(ctx, options.executionEndpoints, "execution");
  const consensusEndpoints = await askEndpoints(ctx, options.consensusEndpoints, "consensus");
  const paths = vaultPaths(options.dataDir, vault);
  const keystores = localKeystoresSettings(options, paths.keystoresDir, env);
  const foreign: ForeignKeySource | undefined = env.REMOTE_SIGNER_URL
    ? "remote-signer"
    : env.HASHI_VAULT_URL
      ? "hashi-vault"
      : undefined;
  const overrides = {
    ...(options.ssvNetworkAddress ? { network: options.ssvNetworkAddress } : {}),
    ...(options.ssvViewsAddress ? { views: options.ssvViewsAddress } : {}),
    ...(options.ssvApiUrl ? { apiUrl: options.ssvApiUrl } : {}),
  };
  return {
    vault,
    network,
    dataDir: expandHome(options.dataDir),
    executionEndpoints,
    consensusEndpoints,
    ...(options.walletFile ? { walletFile: expandHome(options.walletFile) } : {}),
    ...(options.walletPasswordFile ? { walletPasswordFile: expandHome(options.walletPasswordFile) } : {}),
    ...keystores,
    ...(foreign ? { foreignKeySource: foreign } : {}),
    ssvOverrides: overrides,
    ...(options.maxFeePerGasGwei !== undefined ? { maxFeePerGasGwei: options.maxFeePerGasGwei } : {}),
    depositDataFile: options.depositDataFile ? expandHome(options.depositDataFile) : paths.depositDataFile,
    mode,
  };
}
