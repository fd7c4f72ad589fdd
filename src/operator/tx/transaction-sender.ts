import { type Address, formatEther, type Hex, keccak256 } from "viem";
import { unlessAborted } from "../../lib/aborted.ts";
import { OperatorError } from "../../lib/errors.ts";
import type { TransactionKind } from "../state/journal-entry.ts";
import { NodeInsufficientFundsError, type TxChain, type TxFees, type TxReceipt } from "./tx-chain.ts";

/**
 * The crash-safety journal the sender writes to: the service's state store (SQLite, or PostgreSQL
 * with `start --db-url`). Every write resolves once it is durable.
 */
export interface TransactionJournal {
  /** Committed to disk before the transaction is broadcast; returns the journal id. */
  recordSigned(entry: {
    kind: TransactionKind;
    publicKeys?: readonly string[];
    firstDepositIndex?: number;
    txHash: Hex;
    rawTx: Hex;
    nonce: number;
  }): Promise<number>;
  markSent(id: number): Promise<void>;
  markMined(id: number): Promise<void>;
  markFailed(id: number): Promise<void>;
  markDropped(id: number): Promise<void>;
  openTransactions(): Promise<
    ReadonlyArray<{
      id: number;
      kind: TransactionKind;
      txHash: Hex;
      rawTx: Hex;
      nonce: number;
    }>
  >;
}

/** The max fee per gas is above --max-fee-per-gas-gwei: the transaction waits. */
export class GasPriceTooHighError extends OperatorError {
  override name = "GasPriceTooHighError";
}

/** The transaction was mined and reverted. */
export class TransactionRevertedError extends OperatorError {
  override name = "TransactionRevertedError";
}

/** The hot wallet cannot pay for a transaction's gas: fund it; the transaction waits until then. */
export class HotWalletFundsError extends OperatorError {
  override name = "HotWalletFundsError";
}

/** One transaction of the service: what it does, where it goes, and the keys a registration holds. */
export interface TransactionRequest {
  kind: TransactionKind;
  to: Address;
  data: Hex;
  value?: bigint;
  /** The validator keys a registration registers: journaled, so no key is in two live transactions. */
  publicKeys?: readonly string[];
  firstDepositIndex?: number;
}

export interface TransactionSenderParameters {
  chain: TxChain;
  journal: TransactionJournal;
  /** --max-fee-per-gas-gwei in wei. */
  maxFeePerGasWei: bigint;
  receiptTimeoutMs: number;
  /**
   * Called right before every broadcast (a new transaction or a rebroadcast), after the journal
   * entry is durable: throws when this process may not send (it lost the leadership of
   * `start --db-url`), and the transaction stays in the journal for the new leader to settle.
   */
  beforeBroadcast?: () => Promise<void>;
  /**
   * Aborts when this process may not send any more (the leader lock of `start --db-url` is
   * lost): a receipt being awaited is given up at once, with the signal's reason, instead of
   * after `receiptTimeoutMs`; the entry stays open for the next leader to settle.
   */
  stop?: AbortSignal;
}

/**
 * The one path of every transaction the service sends (registration, harvest, exit-signature
 * rotation, and whatever comes next): fee-capped, funds-checked, journaled before it is broadcast
 * so that a crash at any point never sends it twice, and judged by its receipt's status.
 */
export interface TransactionSender {
  /**
   * Before work that ends in a transaction of at least `gasFloor` gas (an oracle round): throws
   * GasPriceTooHighError or HotWalletFundsError (both retryable: the caller waits) when it could
   * not be sent at `fees` with `balance`. Cheap: the caller passes what it already read.
   */
  checkCanPay(state: { fees: TxFees; balance: bigint }, gasFloor: bigint, kind: TransactionKind): void;
  /** Estimates, checks fees and funds, signs, journals, broadcasts and waits for the receipt. */
  send(request: TransactionRequest): Promise<TxReceipt>;
  /**
   * Settles what a previous run left open: a journaled transaction that was mined is recorded, one
   * whose nonce was used by another transaction is dropped, and one still pending is rebroadcast
   * (same bytes, same hash) and awaited. Returns true when nothing is left open.
   */
  settle(): Promise<boolean>;
}

export function createTransactionSender(params: TransactionSenderParameters): TransactionSender {
  const { chain, journal, maxFeePerGasWei, receiptTimeoutMs } = params;
  const beforeBroadcast = params.beforeBroadcast ?? (async () => {});

  const fundsError = (
    kind: TransactionKind,
    balance: bigint | undefined,
    needed: bigint | undefined,
    cause?: unknown,
  ) => {
    const token = chain.gasToken;
    const has = balance === undefined ? "" : ` has ${formatEther(balance)} ${token}`;
    const needs = needed === undefined ? "" : `, needs about ${formatEther(needed)} ${token}`;
    return new HotWalletFundsError(
      `the hot wallet ${chain.account}${has}${needs} to pay for the ${kind} transaction's gas: send funds to it; the ${kind} waits until then`,
      { retryable: true, cause },
    );
  };

  const checkFeeCap = (fees: TxFees) => {
    if (fees.maxFeePerGas > maxFeePerGasWei) {
      throw new GasPriceTooHighError(
        `gas price ${formatGwei(fees.maxFeePerGas)} gwei is above --max-fee-per-gas-gwei ${formatGwei(maxFeePerGasWei)}: waiting`,
        { retryable: true },
      );
    }
  };

  const broadcastAndWait = async (entry: { id: number; kind: TransactionKind; txHash: Hex; rawTx: Hex }) => {
    await beforeBroadcast();
    try {
      await chain.broadcast(entry.rawTx);
    } catch (error) {
      if (!(error instanceof NodeInsufficientFundsError)) throw error;
      const balance = await chain.balance().catch(() => undefined);
      throw fundsError(entry.kind, balance, undefined, error);
    }
    await journal.markSent(entry.id);
    const receipt = await unlessAborted(chain.waitForReceipt(entry.txHash, receiptTimeoutMs), params.stop);
    if (receipt.status === "success") await journal.markMined(entry.id);
    else {
      await journal.markFailed(entry.id);
      throw new TransactionRevertedError(`${entry.kind} transaction ${entry.txHash} reverted`);
    }
    return receipt;
  };

  return {
    checkCanPay(state, gasFloor, kind) {
      checkFeeCap(state.fees);
      const needed = gasFloor * state.fees.maxFeePerGas;
      if (state.balance < needed) throw fundsError(kind, state.balance, needed);
    },

    async send(request) {
      const value = request.value ?? 0n;
      const gas = await chain.estimateGas({ to: request.to, data: request.data, value });
      const fees = await chain.fees();
      checkFeeCap(fees);
      const gasLimit = (gas * 12n) / 10n;
      // Checked before signing: a transaction the node refuses for lack of funds would stay open in
      // the journal (and be rebroadcast every slot) instead of simply waiting for the funds.
      const needed = value + gasLimit * fees.maxFeePerGas;
      const balance = await chain.balance();
      if (balance < needed) throw fundsError(request.kind, balance, needed);
      const nonce = await chain.nonce("pending");
      const rawTx = await chain.sign({
        to: request.to,
        data: request.data,
        value,
        gas: gasLimit,
        nonce,
        fees,
      });
      const txHash = keccak256(rawTx);
      const id = await journal.recordSigned({
        kind: request.kind,
        ...(request.publicKeys ? { publicKeys: request.publicKeys } : {}),
        ...(request.firstDepositIndex !== undefined ? { firstDepositIndex: request.firstDepositIndex } : {}),
        txHash,
        rawTx,
        nonce,
      });
      return broadcastAndWait({ id, kind: request.kind, txHash, rawTx });
    },

    async settle() {
      for (const open of await journal.openTransactions()) {
        // The nonce before the receipt: a transaction mined between the two reads then shows its
        // receipt, where the other order would see no receipt, then its own nonce used, and drop it.
        const latest = await chain.nonce("latest");
        const receipt = await chain.receipt(open.txHash);
        if (receipt) {
          if (receipt.status === "success") await journal.markMined(open.id);
          else await journal.markFailed(open.id);
          continue;
        }
        if (latest > open.nonce) {
          await journal.markDropped(open.id);
          continue;
        }
        await broadcastAndWait(open);
      }
      return (await journal.openTransactions()).length === 0;
    },
  };
}

function formatGwei(wei: bigint): string {
  const gwei = Number(wei) / 1e9;
  // Two decimals, unless that would show a tiny --max-fee-per-gas-gwei as 0.00.
  return gwei >= 0.01 || gwei === 0 ? gwei.toFixed(2) : String(gwei);
}
