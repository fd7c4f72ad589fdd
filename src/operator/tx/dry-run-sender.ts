import type { Address, Hex } from "viem";
import { OperatorError } from "../../lib/errors.ts";
import type { PlannedValidator } from "../flows/vault-flow.ts";
import type { TransactionKind } from "../state/journal-entry.ts";
import { createTransactionSender, type TransactionSender } from "./transaction-sender.ts";
import type { TxChain, TxFees } from "./tx-chain.ts";

/** A transaction a task of the dry run would have sent: never signed, never journaled. */
export interface RecordedSend {
  kind: TransactionKind;
  to: Address;
  data: Hex;
  value: bigint;
  publicKeys: readonly string[];
  /** The node's gas estimate, or why it could not estimate (the call would revert now). */
  gas: bigint | undefined;
  gasError: string | undefined;
  fees: TxFees;
}

/** The registration the dry run's round planned, stopped before the oracles are asked. */
export interface PlannedRegistration {
  flow: string;
  validators: PlannedValidator[];
  firstDepositIndex: number | undefined;
  /** The due harvest goes in the same call. */
  harvests: boolean;
  /** The flow's gas floor for this many validators (the funds check the service makes first). */
  gasFloor: bigint;
  fees: TxFees;
  balance: bigint;
}

/** What one dry-run round would have done. */
export interface DryRunRecord {
  registrations: PlannedRegistration[];
  sends: RecordedSend[];
}

/** The receipt hash of a recorded send: no transaction has it. */
export const NOT_SENT_HASH = `0x${"00".repeat(32)}` as const;

/** The dry run reached a signature it does not make (the hot wallet's). The task's outcome says so. */
export class DryRunNotSentError extends OperatorError {
  override name = "DryRunNotSentError";
}

export interface DryRunSenderParameters {
  /** Reads only: the sender never signs, broadcasts or waits. */
  chain: Pick<TxChain, "account" | "gasToken" | "estimateGas" | "fees" | "balance">;
  /** The journal's open transactions (read-only): a round with one open waits, as the service does. */
  openTransactions(): Promise<readonly unknown[]>;
  maxFeePerGasWei: bigint;
  record: DryRunRecord;
}

const notInDryRun = (what: string) => () => {
  throw new Error(`dry run: ${what} is never called`);
};

/**
 * The TransactionSender of `start --dry-run`: the same fee cap and funds check as the service's
 * (the real sender's checkCanPay), but `send` only estimates the call's gas, records it and answers
 * a receipt of no transaction (NOT_SENT_HASH); `settle` rebroadcasts nothing and waits while the journal holds an open
 * transaction. Nothing is signed and nothing is written.
 */
export function createDryRunSender(p: DryRunSenderParameters): TransactionSender {
  const checks = createTransactionSender({
    chain: {
      ...p.chain,
      nonce: notInDryRun("nonce"),
      sign: notInDryRun("sign"),
      broadcast: notInDryRun("broadcast"),
      receipt: notInDryRun("receipt"),
      waitForReceipt: notInDryRun("waitForReceipt"),
    },
    journal: {
      recordSigned: notInDryRun("recordSigned"),
      markSent: notInDryRun("markSent"),
      markMined: notInDryRun("markMined"),
      markFailed: notInDryRun("markFailed"),
      markDropped: notInDryRun("markDropped"),
      openTransactions: async () => [],
    },
    maxFeePerGasWei: p.maxFeePerGasWei,
    receiptTimeoutMs: 0,
  });
  return {
    checkCanPay: (state, gasFloor, kind) => checks.checkCanPay(state, gasFloor, kind),
    async send(request) {
      const value = request.value ?? 0n;
      const fees = await p.chain.fees();
      let gas: bigint | undefined;
      let gasError: string | undefined;
      try {
        gas = await p.chain.estimateGas({ to: request.to, data: request.data, value });
      } catch (error) {
        gasError = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;
      }
      p.record.sends.push({
        kind: request.kind,
        to: request.to,
        data: request.data,
        value,
        publicKeys: request.publicKeys ?? [],
        gas,
        gasError,
        fees,
      });
      // As if it were mined: the task goes on as in a real round (a harvest it carried is spent),
      // so the tasks after it plan from what the real round would leave them.
      return { transactionHash: NOT_SENT_HASH, blockNumber: 0n, status: "success" };
    },
    async settle() {
      return (await p.openTransactions()).length === 0;
    },
  };
}
