import { type Address, encodeFunctionData, hexToBytes, toHex } from "viem";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import { encodeWithdrawalEntries } from "../../keys/validator-entries.ts";
import type { Logger } from "../../lib/logger.ts";
import type { ManagerSignatures } from "../manager-signatures.ts";
import { formatWeiAsGwei } from "../planning/gwei.ts";
import { planWithdrawals, type WithdrawalPlanInputs } from "../planning/withdrawal-plan.ts";
import { withdrawalsDue } from "../planning/withdrawals-due.ts";
import type { RoundContext, RoundTask } from "../round-context.ts";
import { OK, type TaskOutcome, waitingFor } from "../status/outcome.ts";
import type { TransactionSender } from "../tx/transaction-sender.ts";
import { waitOrThrow } from "../wait-errors.ts";

/** Gas of a withdrawValidators call with one request, from below (the funds check before reading). */
export const WITHDRAWAL_GAS_FLOOR = 100_000n;

/** What one run plans from; the service reads it from the chain, tests pass fakes. */
export type WithdrawalsInputs = Omit<WithdrawalPlanInputs, "maxRequestFeeGwei" | "disableFullWithdrawals"> & {
  /** Unix seconds of the beacon state the validators and pending withdrawals were read at. */
  beaconTime: number;
};

export interface WithdrawalsTaskDeps {
  vault: Address;
  /** WITHDRAWALS_INTERVAL: no second submission within this many seconds of the last one. */
  intervalSeconds: number;
  /** Seconds between two checks that found nothing to send (an epoch): the inputs cost requests. */
  recheckSeconds: number;
  maxRequestFeeGwei: bigint;
  disableFullWithdrawals: boolean;
  /**
   * Unix seconds of the vault's last ValidatorWithdrawalSubmitted event no older than
   * `intervalSeconds` before `head` (from the chain, so a restart or `exit-validators` counts too).
   */
  lastSubmittedAt(
    head: { number: bigint; timestamp: number },
    signal: AbortSignal,
  ): Promise<number | undefined>;
  readInputs(round: RoundContext<VaultState>, signal: AbortSignal): Promise<WithdrawalsInputs>;
  sender: TransactionSender;
  /** The validators manager's signature of the call: none when the wallet is the manager. */
  manager: ManagerSignatures;
  log: Logger;
}

/**
 * EIP-7002 withdrawals for the vault's exit queue (spec §6.4 step 4): once no submission is
 * younger than WITHDRAWALS_INTERVAL, it compares what the queue misses with what is already on its
 * way back (exiting validators, pending partial withdrawals, the oracles' forced exits), and sends
 * the planned partial withdrawals and full exits in one `withdrawValidators`, paying the fee of
 * each request (the vault refunds what the system contract did not take).
 *
 * Never the same withdrawal twice: a sent transaction is journaled and settled before the next
 * round, and once mined its event closes the interval, while the beacon's pending withdrawals and
 * exit statuses take over from there.
 */
export function createWithdrawalsTask(deps: WithdrawalsTaskDeps): RoundTask<VaultState> {
  // In memory only: both are re-learned from the chain after a restart.
  let lastSubmittedAt: number | undefined;
  let lastSubmittedKnown = false;
  let lastCheckedAt: number | undefined;
  // A wait stays the task's word until the next check, so the status does not flap to "ok".
  let lastWait: TaskOutcome | undefined;

  const due = (now: number) =>
    withdrawalsDue({ lastSubmittedAt, now, intervalSeconds: deps.intervalSeconds });

  return {
    name: "withdrawals",
    async run(round, signal) {
      const { head } = round.snapshot;
      if (lastSubmittedKnown && !due(head.timestamp)) return OK;
      if (lastCheckedAt !== undefined && head.timestamp - lastCheckedAt < deps.recheckSeconds) {
        return lastWait ?? OK;
      }
      try {
        if (!lastSubmittedKnown || due(head.timestamp)) {
          lastSubmittedAt = await deps.lastSubmittedAt(head, signal);
          lastSubmittedKnown = true;
          if (!due(head.timestamp)) return OK;
        }
        const inputs = await deps.readInputs(round, signal);
        if (lastSubmittedAt !== undefined && inputs.beaconTime < lastSubmittedAt) {
          // The beacon state predates the last submission: its pending withdrawals do not show it
          // yet, and the queue would look unpaid. Plan again once the beacon node has caught up.
          deps.log.debug("beacon state older than the last withdrawal", {
            beaconTime: inputs.beaconTime,
            lastSubmittedAt,
          });
          return OK;
        }
        const plan = planWithdrawals({
          ...inputs,
          maxRequestFeeGwei: deps.maxRequestFeeGwei,
          disableFullWithdrawals: deps.disableFullWithdrawals,
        });
        lastCheckedAt = head.timestamp;
        lastWait = undefined;
        if (plan.kind === "idle") {
          deps.log.debug("exit queue covered", { exitQueueMissingGwei: String(inputs.exitQueueMissingGwei) });
          return OK;
        }
        if (plan.kind === "wait") {
          lastWait = waitingFor(plan.waitFor === "fee" ? "withdrawal-fee" : "withdrawals", plan.reason);
          return lastWait;
        }

        deps.sender.checkCanPay(round.snapshot, WITHDRAWAL_GAS_FLOOR, "withdrawal");
        const entries = plan.withdrawals.map((w) => ({
          publicKey: hexToBytes(w.publicKey),
          amountGwei: w.amountGwei,
        }));
        const validators = toHex(encodeWithdrawalEntries(entries));
        const managerSignature = await deps.manager.sign(
          { kind: "withdraw", vault: deps.vault, validators, items: plan.withdrawals },
          signal,
        );
        const receipt = await deps.sender.send({
          kind: "withdrawal",
          to: deps.vault,
          data: encodeFunctionData({
            abi: vaultV5Abi,
            functionName: "withdrawValidators",
            args: [validators, managerSignature],
          }),
          value: plan.valueWei,
        });
        lastSubmittedAt = head.timestamp;
        lastCheckedAt = undefined;
        deps.log.info("withdrawals submitted", {
          txHash: receipt.transactionHash,
          block: Number(receipt.blockNumber),
          queuedGwei: String(plan.queuedGwei),
          withdrawals: plan.withdrawals.map(
            (w) => `${w.index}:${w.amountGwei === 0n ? "exit" : String(w.amountGwei)}`,
          ),
          feePerRequestGwei: formatWeiAsGwei(plan.feePerRequestWei),
        });
        return OK;
      } catch (error) {
        // Nothing went out (or it reverted): the next slot plans again from fresh reads.
        lastCheckedAt = undefined;
        return waitOrThrow(error);
      }
    },
  };
}
