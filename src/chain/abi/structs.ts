/**
 * The two protocol structs that several contracts take as arguments: the Keeper's approval of a
 * registration and a vault's harvest parameters. Shared so that every ABI spells them the same way.
 */

/** IKeeperValidators.ApprovalParams, in declaration order (the order is the encoding). */
export const approvalParamsComponents = [
  { name: "validatorsRegistryRoot", type: "bytes32" },
  { name: "deadline", type: "uint256" },
  { name: "validators", type: "bytes" },
  { name: "signatures", type: "bytes" },
  { name: "exitSignaturesIpfsHash", type: "string" },
] as const;

/** IKeeperRewards.HarvestParams, in declaration order. */
export const harvestParamsComponents = [
  { name: "rewardsRoot", type: "bytes32" },
  { name: "reward", type: "int160" },
  { name: "unlockedMevReward", type: "uint160" },
  { name: "proof", type: "bytes32[]" },
] as const;
