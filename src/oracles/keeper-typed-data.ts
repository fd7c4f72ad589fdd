/**
 * What the oracles sign for the Keeper (spec §5.2): EIP-712 domain "KeeperOracles" v1 and the
 * message types. Used by the devnet's oracles to sign and by the operator to check approvals.
 */
export function keeperDomain(chainId: number, keeper: `0x${string}`) {
  return { name: "KeeperOracles", version: "1", chainId, verifyingContract: keeper } as const;
}

/** Registration approval. `validators` is the concatenation of 176-byte tx-validators. */
export const keeperValidatorsApprovalTypes = {
  KeeperValidators: [
    { name: "validatorsRegistryRoot", type: "bytes32" },
    { name: "vault", type: "address" },
    { name: "validators", type: "bytes" },
    { name: "exitSignaturesIpfsHash", type: "string" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** Exit-signature update (rotation); `nonce` is Keeper.exitSignaturesNonces(vault). */
export const keeperExitSignaturesTypes = {
  KeeperValidators: [
    { name: "vault", type: "address" },
    { name: "exitSignaturesIpfsHash", type: "string" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** Rewards root update, signed by rewardsMinOracles oracles. */
export const keeperRewardsTypes = {
  KeeperRewards: [
    { name: "rewardsRoot", type: "bytes32" },
    { name: "rewardsIpfsHash", type: "string" },
    { name: "avgRewardPerSecond", type: "uint256" },
    { name: "updateTimestamp", type: "uint64" },
    { name: "nonce", type: "uint64" },
  ],
} as const;

/** Orders oracle signatures as the Keeper requires: by signer address, ascending as integers. */
export function sortBySigner<T extends { signer: `0x${string}` }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    const x = BigInt(a.signer);
    const y = BigInt(b.signer);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
