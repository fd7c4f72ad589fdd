import type { Logger } from "../../lib/logger.ts";
import type { VaultFlow } from "../flows/vault-flow.ts";
import type { Metrics } from "../metrics.ts";
import { type RoundTask, remainingSnapshot } from "../round-context.ts";
import type { SnapshotVault } from "../snapshot.ts";
import { OK, waitingFor } from "../status/outcome.ts";
import type { PlannedRegistration } from "../tx/dry-run-sender.ts";
import type { TransactionSender } from "../tx/transaction-sender.ts";
import { waitOf } from "../wait-errors.ts";

export interface RegistrationTaskParameters<Payload, V extends SnapshotVault> {
  flow: VaultFlow<Payload, V>;
  sender: TransactionSender;
  metrics: Pick<
    Metrics,
    "registrations" | "validatorsRegistered" | "lastRegistrationBlock" | "oracleFailures"
  >;
  log: Logger;
  /**
   * start --dry-run and status: the planned registration, once the fees and funds check passed, is
   * handed here instead of being prepared (no oracle is asked, nothing is signed or sent).
   */
  dryRun?: (registration: PlannedRegistration) => void;
}

/**
 * The registration of one slot, the same for every vault flow: the flow plans from the snapshot;
 * the fees and the hot wallet's funds are checked before any oracle is asked; the flow prepares
 * the transaction (exit-signature shares, approvals, the vault call); the one sender sends it.
 * Waiting (assets, keys, deposit data, gas, funds, oracles) is an outcome, not an error.
 */
export function createRegistrationTask<Payload, V extends SnapshotVault>(
  p: RegistrationTaskParameters<Payload, V>,
): RoundTask<V> {
  const { flow, sender, metrics, log } = p;
  return {
    name: "registration",
    async run(round, signal) {
      // What a top-up of this slot spent or holds back is not the registration's to stake, and a
      // harvest it carried is not repeated.
      const snapshot = remainingSnapshot(round);
      const plan = flow.plan(snapshot);
      if (plan.kind === "wait") return waitingFor(plan.for, plan.reason);
      let prepared: Awaited<ReturnType<typeof flow.prepare>>;
      let receipt: Awaited<ReturnType<typeof sender.send>>;
      try {
        const gasFloor = flow.gasFloor(plan.validators);
        sender.checkCanPay(snapshot, gasFloor, "registration");
        if (p.dryRun) {
          p.dryRun({
            flow: flow.name,
            validators: flow.planned(plan),
            firstDepositIndex: plan.firstDepositIndex,
            harvests: snapshot.harvest !== undefined,
            gasFloor,
            fees: snapshot.fees,
            balance: snapshot.balance,
          });
          return OK;
        }
        prepared = await flow.prepare(plan, snapshot, signal);
        for (const failure of prepared.oracleFailures) {
          metrics.oracleFailures.inc({ oracle: failure.oracle });
          log.warn("oracle did not approve", { oracle: failure.oracle, reason: failure.reason });
        }
        receipt = await sender.send(prepared.request);
      } catch (error) {
        const wait = waitOf(error);
        if (wait) return wait;
        metrics.registrations.inc({ outcome: "failure" });
        throw error;
      }
      if (prepared.harvests) round.harvested = true;
      metrics.registrations.inc({ outcome: "success" });
      metrics.validatorsRegistered.inc(prepared.validators);
      metrics.lastRegistrationBlock.set(Number(receipt.blockNumber));
      log.info("validators registered", {
        count: prepared.validators,
        ...(plan.firstDepositIndex !== undefined ? { firstDepositIndex: plan.firstDepositIndex } : {}),
        txHash: receipt.transactionHash,
        block: Number(receipt.blockNumber),
      });
      return OK;
    },
  };
}
