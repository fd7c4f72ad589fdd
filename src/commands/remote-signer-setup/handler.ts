import { createExecutionClient } from "../../chain/execution-client.ts";
import { devnetNetworkFile, readVaultConfig, vaultPaths } from "../../config/data-dir.ts";
import { type NetworkName, resolveNetwork } from "../../config/networks.ts";
import { remoteSignerConfigFile } from "../../keys/remote-signer/config-file.ts";
import { assertKeymanagerReachable, runRemoteSignerSetup } from "../../keys/remote-signer/setup.ts";
import { createShareKeystoreEncryptor } from "../../keys/remote-signer/share-keystores.ts";
import { SignerApi } from "../../keys/remote-signer/signer-api.ts";
import { LocalKeystores } from "../../keys/sources/local-keystores.ts";
import { localKeystoresSettings } from "../../operator/settings.ts";
import type { CommandContext } from "../context.ts";
import { askEndpoints } from "../endpoints-input.ts";
import { askRemoteSignerUrl, askVault } from "../inputs.ts";
import { readOracleSet } from "../oracle-set.ts";

export interface RemoteSignerSetupOptions {
  vault?: `0x${string}`;
  remoteSignerUrl?: string;
  removeExistingKeys: boolean;
  dataDir: string;
  keystoresDir?: string;
  keystoresPasswordFile?: string;
  executionEndpoints?: string[];
  /** --execution-jwt-secret. */
  executionJwtSecret?: Uint8Array;
  network?: NetworkName;
  verbose?: boolean;
}

/** `operator remote-signer-setup`: key shares for the oracles into Web3Signer (spec §4.2, §7.3). */
export async function runRemoteSignerSetupCommand(
  options: RemoteSignerSetupOptions,
  ctx: CommandContext,
): Promise<void> {
  const { output, signal } = ctx;
  const vault = await askVault(ctx, options.vault);
  const url = await askRemoteSignerUrl(
    ctx,
    options.remoteSignerUrl,
    "Enter the base URL of the remote signer (e.g. http://signer:9000)",
  );
  const paths = vaultPaths(options.dataDir, vault);
  const vaultConfig = await readVaultConfig(paths, vault);
  const network = resolveNetwork(options.network ?? vaultConfig.network, {
    devnetFile: devnetNetworkFile(options.dataDir),
  });
  const executionEndpoints = await askEndpoints(
    ctx,
    options.executionEndpoints,
    "execution",
    "Enter comma separated list of API endpoints for execution nodes",
  );
  const { keystoresDir, keystoresPasswordFile, keystoresPasswordDir } = localKeystoresSettings(
    options,
    paths.keystoresDir,
  );
  const debug = options.verbose ? (line: string) => output.line(`[debug] ${line}`) : undefined;

  const keystores = await LocalKeystores.load({
    keystoresDir,
    passwordFile: keystoresPasswordFile,
    ...(keystoresPasswordDir ? { passwordDir: keystoresPasswordDir } : {}),
  });
  const encryptor = createShareKeystoreEncryptor();
  try {
    const api = new SignerApi({ url });
    await assertKeymanagerReachable(api, signal);
    const oracles = await readOracleSet(
      createExecutionClient({
        endpoints: executionEndpoints,
        network,
        jwtSecret: options.executionJwtSecret,
      }),
      network,
      signal,
    );
    debug?.(`oracle set: ${oracles.count} oracles, exit signature recover threshold ${oracles.threshold}`);
    await runRemoteSignerSetup({
      api,
      keystores,
      encryptor,
      oracles,
      configFile: remoteSignerConfigFile(paths.vaultDir),
      sharedPasswordFile: keystoresPasswordFile,
      removeExistingKeys: options.removeExistingKeys,
      report: (line) => output.line(line),
      ...(debug ? { debug } : {}),
      signal,
    });
  } finally {
    await encryptor.close();
    await keystores.close();
  }
}
