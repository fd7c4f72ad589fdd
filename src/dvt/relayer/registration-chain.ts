import type { ConsensusClient } from "../../chain/consensus-client.ts";
import { scanDepositEvents } from "../../chain/deposit-events.ts";
import type { ExecutionClient } from "../../chain/execution-client.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { RegistrationChain } from "./registered-keys.ts";

/** The key registry's chain reads over the relayer's execution and consensus clients. */
export function registrationChain(
  execution: ExecutionClient,
  consensus: ConsensusClient,
  network: NetworkConfig,
): RegistrationChain {
  return {
    async beaconKnownKeys(keys) {
      const [validators, pending] = await Promise.all([
        consensus.getValidators(keys),
        consensus.getPendingDeposits("head"),
      ]);
      return [...validators.map((v) => v.pubkey), ...pending.map((d) => d.pubkey)];
    },
    finalizedBlock: async () => (await consensus.getExecutionBlock("finalized")).blockNumber,
    headBlock: () => execution.getBlockNumber({ cacheTime: 0 }),
    async depositedKeys(fromBlock, toBlock) {
      const events = await scanDepositEvents({
        client: execution,
        depositContract: network.depositContract.address,
        fromBlock,
        toBlock,
      });
      return events.map((e) => e.pubkey);
    },
  };
}
