/**
 * `operator devnet set-oracles | publish-rewards`: changes to a running devnet that only its own
 * process can make (the oracle servers live there), through its control endpoint (control.json).
 */
import { join } from "node:path";
import { type Address, formatEther } from "viem";
import { expandHome } from "../../config/data-dir.ts";
import { callDevnetControl } from "../../devnet/control/control-client.ts";
import { readDevnetFile } from "../../devnet/devnet-file.ts";
import { UserInputError } from "../../lib/errors.ts";
import { pathExists } from "../../lib/fs.ts";
import type { CommandContext } from "../context.ts";

export interface SetOraclesOptions {
  dataDir: string;
  count: number;
  seed?: string;
  threshold?: number;
}

/** `operator devnet set-oracles`: a new oracle set on the Keeper, the servers and the config. */
export async function runSetOracles(options: SetOraclesOptions, ctx: CommandContext): Promise<void> {
  if (options.threshold !== undefined && options.threshold > options.count) {
    throw new UserInputError(
      `--threshold ${options.threshold} is more than --count ${options.count}: use a whole number from 1 to ${options.count}`,
    );
  }
  const answer = await callDevnetControl<{
    oracles: Array<{ address: Address; endpoint: string }>;
    threshold: number;
    configIpfsHash: string;
  }>(devnetDir(options.dataDir), "/oracles", {
    count: options.count,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
  });
  ctx.output.line(
    `The Keeper now names ${answer.oracles.length} oracles with threshold ${answer.threshold}; config ${answer.configIpfsHash} published.`,
  );
  answer.oracles.forEach((o, i) => {
    ctx.output.line(`  Oracle ${i + 1}: ${o.endpoint}  ${o.address}`);
  });
}

export interface PublishRewardsOptions {
  dataDir: string;
  vault?: Address;
  /** In wei; the consensus reward may be negative (penalties). */
  consensusRewardEth: bigint;
  unlockedMevEth: bigint;
  lockedMevEth: bigint;
}

/** `operator devnet publish-rewards`: an oracle-signed rewards update for one vault. */
export async function runPublishRewards(options: PublishRewardsOptions, ctx: CommandContext): Promise<void> {
  const dir = devnetDir(options.dataDir);
  const vault = options.vault ?? (await devnetVault(dir));
  const answer = await callDevnetControl<{ rewardsRoot: string; ipfsHash: string; nonce: string }>(
    dir,
    "/rewards",
    {
      vaults: [vault],
      consensusRewardWei: options.consensusRewardEth.toString(),
      unlockedMevRewardWei: options.unlockedMevEth.toString(),
      lockedMevRewardWei: options.lockedMevEth.toString(),
    },
  );
  ctx.output.line(
    `Rewards published for vault ${vault} (consensus ${formatEther(options.consensusRewardEth)} ETH, unlocked MEV ${formatEther(options.unlockedMevEth)} ETH, locked MEV ${formatEther(options.lockedMevEth)} ETH): root ${answer.rewardsRoot}, file ${answer.ipfsHash}, nonce ${answer.nonce}.`,
  );
}

const devnetDir = (dataDir: string) => join(expandHome(dataDir), "devnet");

/** The vault the local devnet created; with --rpc-url there is none, so --vault is needed. */
async function devnetVault(dir: string): Promise<Address> {
  const file = join(dir, "devnet.json");
  if (!(await pathExists(file))) {
    throw new UserInputError("no vault to default to (the devnet runs with --rpc-url): pass --vault");
  }
  return (await readDevnetFile(file)).vault.address;
}
