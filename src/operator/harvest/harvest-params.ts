import type { Address, Hex, PublicClient } from "viem";
import { z } from "zod";
import { fetchIpfsJson } from "../../chain/ipfs-client.ts";
import type { HarvestParams } from "../../chain/vault-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { OperatorError } from "../../lib/errors.ts";

const RewardsFileSchema = z.object({
  vaults: z.array(
    z.object({
      vault: z.string(),
      consensus_reward: z.union([z.string(), z.number()]),
      unlocked_mev_reward: z.union([z.string(), z.number()]),
      locked_mev_reward: z.union([z.string(), z.number()]),
      proof: z.array(z.string()),
    }),
  ),
});

export interface HarvestParamsSourceParameters {
  client: PublicClient;
  network: NetworkConfig;
  vault: Address;
  /** The vault's MEV escrow: a shared-escrow vault's reward includes its MEV (spec §6.6). */
  mevEscrow: Address;
  ipfsGateways: readonly string[];
  /** The Keeper's last RewardsUpdated event (a cached, checkpointed scan). */
  lastRewardsUpdate: (signal?: AbortSignal) => Promise<RewardsUpdate | undefined>;
}

export interface RewardsUpdate {
  rewardsRoot: Hex;
  rewardsIpfsHash: string;
}

/**
 * The vault's harvest parameters from the Keeper's last RewardsUpdated event and its rewards file
 * on IPFS (spec §6.6): shared MEV escrow → reward = consensus + unlocked + locked MEV and
 * unlockedMevReward = unlocked MEV; own escrow → reward = consensus, unlockedMevReward = 0.
 */
export async function harvestParams(
  params: HarvestParamsSourceParameters,
  signal?: AbortSignal,
): Promise<HarvestParams | undefined> {
  const last = await params.lastRewardsUpdate(signal);
  if (!last) return undefined;
  const json = await fetchIpfsJson(last.rewardsIpfsHash, {
    gateways: params.ipfsGateways,
    ...(signal ? { signal } : {}),
  });
  const parsed = RewardsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new OperatorError(`rewards file ipfs://${last.rewardsIpfsHash} is malformed`, {
      retryable: true,
    });
  }
  const entry = parsed.data.vaults.find((v) => v.vault.toLowerCase() === params.vault.toLowerCase());
  if (!entry) return undefined;
  const shared =
    params.network.sharedMevEscrow !== undefined &&
    params.mevEscrow.toLowerCase() === params.network.sharedMevEscrow.toLowerCase();
  return {
    rewardsRoot: last.rewardsRoot,
    ...harvestRewards({
      consensus: BigInt(entry.consensus_reward),
      unlockedMev: BigInt(entry.unlocked_mev_reward),
      lockedMev: BigInt(entry.locked_mev_reward),
      sharedMevEscrow: shared,
      gnosis: GNOSIS_NETWORKS.has(params.network.name),
    }),
    proof: entry.proof as Hex[],
  };
}

/** On Gnosis the vault's asset is GNO while MEV is paid in xDAI: MEV is never part of its reward. */
const GNOSIS_NETWORKS = new Set(["gnosis", "chiado"]);

/**
 * `reward` and `unlockedMevReward` of harvestParams (spec §6.6): a vault on the shared MEV escrow
 * is rewarded consensus + unlocked + locked MEV (on Gnosis consensus only) and is paid its unlocked
 * MEV from the escrow; a vault with its own escrow already holds its MEV: consensus only, 0.
 */
export function harvestRewards(r: {
  consensus: bigint;
  unlockedMev: bigint;
  lockedMev: bigint;
  sharedMevEscrow: boolean;
  gnosis: boolean;
}): { reward: bigint; unlockedMevReward: bigint } {
  if (!r.sharedMevEscrow) return { reward: r.consensus, unlockedMevReward: 0n };
  return {
    reward: r.gnosis ? r.consensus : r.consensus + r.unlockedMev + r.lockedMev,
    unlockedMevReward: r.unlockedMev,
  };
}
