import { expandHome, vaultPaths } from "../../config/data-dir.ts";
import { localKeystoresSettings } from "../../operator/settings.ts";
import type { ForeignKeySource, SsvEnvironmentSettings } from "../../ssv/environment.ts";
import type { CommandContext } from "../context.ts";
import { askEndpoints } from "../endpoints-input.ts";
import { askVault, vaultNetwork } from "../inputs.ts";
import type { SsvEnvironmentOptionValues } from "./environment-options.ts";

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
    ...(options.executionJwtSecret ? { executionJwtSecret: options.executionJwtSecret } : {}),
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
