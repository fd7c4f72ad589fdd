import type { Logger } from "../../lib/logger.ts";
import type { VaultFlow } from "../flows/vault-flow.ts";
import type { RoundTask } from "../round-context.ts";
import { OK } from "../status/outcome.ts";
import type { TransactionSender } from "../tx/transaction-sender.ts";
import { waitOrThrow } from "../wait-errors.ts";

/** Gas of `vault.updateState`, from below (the funds check before sending). */
export const HARVEST_GAS_FLOOR = 80_000n;

/**
 * `--harvest-vault` (spec §6.6): a due harvest that no registration of this slot carried is sent
 * on its own, through the one sender.
 */
export function createHarvestTask(p: {
  flow: Pick<VaultFlow, "harvest">;
  sender: TransactionSender;
  log: Logger;
}): RoundTask {
  return {
    name: "harvest",
    async run(round) {
      const { snapshot } = round;
      if (!snapshot.harvest || round.harvested) return OK;
      try {
        p.sender.checkCanPay(snapshot, HARVEST_GAS_FLOOR, "harvest");
        const receipt = await p.sender.send(p.flow.harvest(snapshot.harvest.params));
        round.harvested = true;
        p.log.info("vault harvested", {
          txHash: receipt.transactionHash,
          block: Number(receipt.blockNumber),
        });
        return OK;
      } catch (error) {
        return waitOrThrow(error);
      }
    },
  };
}
