import { devnetNetworkFile, readVaultConfig, vaultPaths } from "../../config/data-dir.ts";
import { type NetworkConfig, resolveNetwork, VALIDATOR_DEPOSIT_GWEI } from "../../config/networks.ts";
import { readDepositDataFile } from "../../keys/deposit-data-file.ts";
import { txValidator, ValidatorsTree } from "../../keys/validators-tree.ts";
import { pathExists } from "../../lib/fs.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { CommandContext } from "../context.ts";
import { askVault } from "../inputs.ts";

export interface GetValidatorsRootOptions {
  vault?: `0x${string}`;
  dataDir: string;
  depositDataFile?: string;
}

/** `operator get-validators-root`: the Merkle root to pass to the vault's setValidatorsRoot. */
export async function runGetValidatorsRoot(
  options: GetValidatorsRootOptions,
  ctx: CommandContext,
): Promise<void> {
  const vault = await askVault(ctx, options.vault, "Enter the vault address");
  const paths = vaultPaths(options.dataDir, vault);
  const file = options.depositDataFile ?? paths.depositDataFile;
  let network: NetworkConfig | undefined;
  if (await pathExists(paths.configFile)) {
    const config = await readVaultConfig(paths, vault);
    network = resolveNetwork(config.network, { devnetFile: devnetNetworkFile(options.dataDir) });
  }
  const root = await validatorsRootOfFile(file, vault, network);
  ctx.output.line(`The validator deposit data Merkle tree root: ${toPrefixedHex(root)}`);
}

/** Validates a deposit data file against the vault and returns its validators Merkle root. */
export async function validatorsRootOfFile(
  file: string,
  vault: string,
  network: NetworkConfig | undefined,
): Promise<Uint8Array> {
  const entries = await readDepositDataFile(
    file,
    network ? { vault, network } : { vault, amountGwei: VALIDATOR_DEPOSIT_GWEI },
  );
  const tree = await ValidatorsTree.build(
    entries.map((e) => txValidator(e.publicKey, e.signature, e.depositDataRoot)),
  );
  return tree.root;
}
