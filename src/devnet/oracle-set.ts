import type { Address } from "viem";
import { keeperAbi } from "../chain/abi/keeper.ts";
import type { SignerClient } from "../chain/signer-client.ts";
import type { OracleKey } from "./accounts.ts";
import { DeployError } from "./deploy.ts";
import type { OracleCommittee } from "./oracles/committee.ts";

export interface ReplaceOracleSetParameters {
  /** The Keeper's owner (its key, or impersonated on anvil). */
  owner: SignerClient;
  keeper: Address;
  committee: OracleCommittee;
  keys: readonly OracleKey[];
  threshold: number;
  /** Publishes the new set's config and points the Keeper at it. */
  publishConfig(): Promise<string>;
}

/**
 * Makes `keys` the Keeper's oracles with `threshold` for validators and rewards, then the oracle
 * servers and the published config follow. New oracles are added before the threshold moves and
 * old ones removed after, so the Keeper never holds fewer oracles than its threshold.
 */
export async function replaceOracleSet(p: ReplaceOracleSetParameters): Promise<string> {
  const write = async (
    functionName: "addOracle" | "removeOracle" | "setValidatorsMinOracles" | "setRewardsMinOracles",
    arg: Address | bigint,
  ) => {
    const hash = await p.owner.writeContract({
      address: p.keeper,
      abi: keeperAbi,
      functionName,
      args: [arg as never],
    });
    const receipt = await p.owner.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new DeployError(`Keeper ${functionName} reverted`);
  };
  const current = p.committee.oracles.map((o) => o.key.address);
  for (const key of p.keys) if (!current.includes(key.address)) await write("addOracle", key.address);
  await write("setValidatorsMinOracles", BigInt(p.threshold));
  await write("setRewardsMinOracles", BigInt(p.threshold));
  for (const address of current) {
    if (!p.keys.some((k) => k.address === address)) await write("removeOracle", address);
  }
  await p.committee.replaceOracles(p.keys);
  return p.publishConfig();
}
