import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { keeperAbi } from "../chain/abi/keeper.ts";
import { combineOracleSignatures, keeperDomain, keeperRewardsTypedData } from "../chain/keeper-eip712.ts";
import type { SignerClient } from "../chain/signer-client.ts";
import type { OracleKey } from "./accounts.ts";
import type { IpfsStore } from "./ipfs/store.ts";

/** One vault's line in a rewards update, in wei (spec §6.6 rewards file). */
export interface VaultRewards {
  vault: Address;
  consensusReward: bigint;
  unlockedMevReward: bigint;
  lockedMevReward: bigint;
  /** True when the vault uses the shared MEV escrow (its harvest then includes MEV). */
  sharedMevEscrow: boolean;
}

export interface PublishRewardsParameters {
  client: SignerClient;
  keeper: Address;
  chainId: number;
  ipfs: IpfsStore;
  oracles: readonly OracleKey[];
  threshold: number;
  rewards: readonly VaultRewards[];
}

export interface PublishedRewards {
  rewardsRoot: Hex;
  ipfsHash: string;
  nonce: bigint;
}

/**
 * What the oracles do each rewards period: a StandardMerkleTree over (vault, reward, unlockedMev),
 * the rewards file on IPFS with each vault's proof, and an oracle-signed Keeper.updateRewards.
 */
export async function publishRewards(params: PublishRewardsParameters): Promise<PublishedRewards> {
  const leaves = params.rewards.map((r) => {
    const reward = r.sharedMevEscrow
      ? r.consensusReward + r.unlockedMevReward + r.lockedMevReward
      : r.consensusReward;
    const unlocked = r.sharedMevEscrow ? r.unlockedMevReward : 0n;
    return [r.vault, reward.toString(), unlocked.toString()];
  });
  const tree = StandardMerkleTree.of(leaves, ["address", "int160", "uint160"]);
  const file = {
    vaults: params.rewards.map((r, i) => ({
      vault: r.vault,
      consensus_reward: r.consensusReward.toString(),
      unlocked_mev_reward: r.unlockedMevReward.toString(),
      locked_mev_reward: r.lockedMevReward.toString(),
      proof: tree.getProof(i),
    })),
  };
  const ipfsHash = await params.ipfs.put(new TextEncoder().encode(JSON.stringify(file)));
  const read = <F extends "rewardsNonce">(functionName: F) =>
    params.client.readContract({ address: params.keeper, abi: keeperAbi, functionName });
  const nonce = await read("rewardsNonce");
  const block = await params.client.getBlock();
  const message = {
    rewardsRoot: tree.root as Hex,
    rewardsIpfsHash: ipfsHash,
    avgRewardPerSecond: 1_000_000_000n,
    updateTimestamp: block.timestamp,
    nonce,
  };
  const typedData = keeperRewardsTypedData(keeperDomain(params.chainId, params.keeper), message);
  const signatures = await Promise.all(
    params.oracles.map(async (o) => ({
      oracle: o.address,
      signature: await privateKeyToAccount(o.privateKey).signTypedData(typedData),
    })),
  );
  const hash = await params.client.writeContract({
    address: params.keeper,
    abi: keeperAbi,
    functionName: "updateRewards",
    args: [
      {
        rewardsRoot: message.rewardsRoot,
        avgRewardPerSecond: message.avgRewardPerSecond,
        updateTimestamp: message.updateTimestamp,
        rewardsIpfsHash: ipfsHash,
        signatures: combineOracleSignatures(signatures, params.threshold),
      },
    ],
  });
  await params.client.waitForTransactionReceipt({ hash });
  return { rewardsRoot: message.rewardsRoot, ipfsHash, nonce };
}
