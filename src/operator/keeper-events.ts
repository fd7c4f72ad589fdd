import type { Address, PublicClient } from "viem";
import { keeperAbi } from "../chain/abi/keeper.ts";
import type { ChainLogger } from "../chain/endpoints.ts";
import { createLatestEventSource } from "../chain/latest-event.ts";
import type { NetworkConfig } from "../config/networks.ts";
import type { RewardsUpdate } from "./harvest/harvest-params.ts";

export interface KeeperEventsParameters {
  client: PublicClient;
  network: NetworkConfig;
  vault: Address;
  logger?: ChainLogger;
}

/**
 * The Keeper events the slot tasks read every slot, each from a checkpointed scan (the chain from
 * the Keeper's genesis is read once per process, then only new blocks): the last rewards update
 * (harvest) and the vault's last exit-signature update (rotation).
 */
export function createKeeperEvents(params: KeeperEventsParameters) {
  const { client, network } = params;
  const keeper = network.keeper.address;
  const fromBlock = BigInt(network.keeper.genesisBlock);
  const common = { fromBlock, ...(params.logger ? { logger: params.logger } : {}) };
  const rewards = createLatestEventSource({
    ...common,
    what: "RewardsUpdated events",
    fetchLogs: (from, to) =>
      client.getContractEvents({
        address: keeper,
        abi: keeperAbi,
        eventName: "RewardsUpdated",
        fromBlock: from,
        toBlock: to,
      }),
  });
  const exitSignatures = createLatestEventSource({
    ...common,
    what: "ExitSignaturesUpdated events",
    fetchLogs: (from, to) =>
      client.getContractEvents({
        address: keeper,
        abi: keeperAbi,
        eventName: "ExitSignaturesUpdated",
        args: { vault: params.vault },
        fromBlock: from,
        toBlock: to,
      }),
  });
  return {
    async lastRewardsUpdate(signal?: AbortSignal): Promise<RewardsUpdate | undefined> {
      const log = await rewards.latest(await client.getBlockNumber(), signal);
      if (!log?.args.rewardsRoot || !log.args.rewardsIpfsHash) return undefined;
      return { rewardsRoot: log.args.rewardsRoot, rewardsIpfsHash: log.args.rewardsIpfsHash };
    },
    async lastExitSignaturesUpdateBlock(signal?: AbortSignal): Promise<bigint | undefined> {
      const log = await exitSignatures.latest(await client.getBlockNumber(), signal);
      return log?.blockNumber ?? undefined;
    },
  };
}

export type KeeperEvents = ReturnType<typeof createKeeperEvents>;
