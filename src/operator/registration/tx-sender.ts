import type { Account, Address, Chain, Client, Hex, TransactionReceipt, Transport } from "viem";
import {
  BaseError,
  formatEther,
  InsufficientFundsError,
  keccak256,
  TransactionReceiptNotFoundError,
} from "viem";
import {
  estimateFeesPerGas,
  estimateGas,
  getBalance,
  getTransactionCount,
  getTransactionReceipt,
  sendRawTransaction,
  signTransaction,
  waitForTransactionReceipt,
} from "viem/actions";
import { OperatorError } from "../../lib/errors.ts";

/** The crash-safety journal the sender writes to (the service's SQLite state store implements it). */
export interface RegistrationJournal {
  /** Committed to disk before the transaction is broadcast; returns the journal id. */
  recordSigned(entry: {
    publicKeys: string[];
    firstDepositIndex: number;
    txHash: Hex;
    rawTx: Hex;
    nonce: number;
  }): number;
  markSent(id: number): void;
  markMined(id: number): void;
  markFailed(id: number): void;
  markDropped(id: number): void;
  openRegistrations(): Array<{
    id: number;
    publicKeys: string[];
    txHash: Hex;
    rawTx: Hex;
    nonce: number;
    status: string;
  }>;
}

export class GasPriceTooHighError extends OperatorError {
  override name = "GasPriceTooHighError";
}

export class TransactionRevertedError extends OperatorError {
  override name = "TransactionRevertedError";
}

/** The hot wallet cannot pay for the registration's gas: fund it; registration waits until then. */
export class HotWalletFundsError extends OperatorError {
  override name = "HotWalletFundsError";
}

/**
 * The node's answers to a rebroadcast of a transaction it already has (geth/reth "already known",
 * anvil "transaction already imported", Nethermind "AlreadyKnown", Besu "Known transaction") or
 * whose nonce is already used: the receipt decides what became of it.
 */
const ALREADY_SENT = /already known|alreadyknown|already imported|known transaction|nonce too low/i;

export interface SendRegistrationParameters {
  client: Client<Transport, Chain, Account>;
  to: Address;
  data: Hex;
  journal: RegistrationJournal;
  publicKeys: string[];
  firstDepositIndex: number;
  /** --max-fee-per-gas-gwei in wei. */
  maxFeePerGasWei: bigint;
  receiptTimeoutMs: number;
}

/**
 * Sends one registration transaction so that a crash at any point never leads to a second
 * transaction for the same keys: the signed transaction is journaled before it is broadcast, and
 * a restarted service settles it (rebroadcasting the very same bytes) before anything new.
 */
export async function sendRegistration(params: SendRegistrationParameters): Promise<TransactionReceipt> {
  const { client } = params;
  const gas = await estimateGas(client, { account: client.account, to: params.to, data: params.data });
  const fees = await checkFeeCap(client, params.maxFeePerGasWei);
  const gasLimit = (gas * 12n) / 10n;
  // Checked before signing: a transaction the node refuses for lack of funds would stay open in
  // the journal (and be rebroadcast every slot) instead of simply waiting for the funds.
  const balance = await getBalance(client, { address: client.account.address });
  if (balance < gasLimit * fees.maxFeePerGas) throw fundsError(client, balance, gasLimit * fees.maxFeePerGas);
  const nonce = await getTransactionCount(client, { address: client.account.address, blockTag: "pending" });
  const rawTx = await signTransaction(client, {
    account: client.account,
    chain: client.chain,
    to: params.to,
    data: params.data,
    gas: gasLimit,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    nonce,
    type: "eip1559",
  });
  const txHash = keccak256(rawTx);
  const id = params.journal.recordSigned({
    publicKeys: params.publicKeys,
    firstDepositIndex: params.firstDepositIndex,
    txHash,
    rawTx,
    nonce,
  });
  return broadcastAndWait(client, params.journal, { id, txHash, rawTx }, params.receiptTimeoutMs);
}

/**
 * The fees a transaction would pay now; throws GasPriceTooHighError (retryable) when the max fee
 * per gas is above the cap. Cheap: call it before asking the oracles, so that no approval is
 * requested (and no exit signature shared) in a slot whose transaction could not be sent.
 */
export async function checkFeeCap(
  client: Client<Transport, Chain, Account>,
  maxFeePerGasWei: bigint,
): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
  const fees = await estimateFeesPerGas(client);
  if (fees.maxFeePerGas > maxFeePerGasWei) {
    throw new GasPriceTooHighError(
      `gas price ${formatGwei(fees.maxFeePerGas)} gwei is above --max-fee-per-gas-gwei ${formatGwei(maxFeePerGasWei)}: waiting`,
      { retryable: true },
    );
  }
  return fees;
}

/**
 * Gas of a registration of `validators` keys, from below: a single-proof registration costs about
 * 200k gas, each further validator of a multiproof about 60k; these floors stay under that.
 */
export function registrationGasFloor(validators: number): bigint {
  return 150_000n + 50_000n * BigInt(Math.max(0, validators - 1));
}

/**
 * Throws HotWalletFundsError (retryable) when the hot wallet cannot pay even the gas floor of the
 * registration at this fee: checked before the oracle round, so that no exit signature is shared
 * for a transaction that could not be sent. The exact check runs again before signing.
 */
export async function checkWalletCanPay(
  client: Client<Transport, Chain, Account>,
  maxFeePerGas: bigint,
  validators: number,
): Promise<void> {
  const needed = registrationGasFloor(validators) * maxFeePerGas;
  const balance = await getBalance(client, { address: client.account.address });
  if (balance < needed) throw fundsError(client, balance, needed);
}

async function broadcastAndWait(
  client: Client<Transport, Chain, Account>,
  journal: RegistrationJournal,
  tx: { id: number; txHash: Hex; rawTx: Hex },
  timeoutMs: number,
): Promise<TransactionReceipt> {
  try {
    await sendRawTransaction(client, { serializedTransaction: tx.rawTx });
  } catch (error) {
    // "already known" / "nonce too low" mean it (or a tx with its nonce) is in; the receipt decides.
    if (!ALREADY_SENT.test(String((error as Error).message))) {
      const insufficient =
        (error instanceof BaseError && error.walk((e) => e instanceof InsufficientFundsError)) ||
        /insufficient funds/i.test(String((error as Error).message));
      if (insufficient) {
        const balance = await getBalance(client, { address: client.account.address }).catch(() => undefined);
        throw fundsError(client, balance, undefined, error);
      }
      throw error;
    }
  }
  journal.markSent(tx.id);
  const receipt = await waitForTransactionReceipt(client, { hash: tx.txHash, timeout: timeoutMs });
  if (receipt.status === "success") journal.markMined(tx.id);
  else {
    journal.markFailed(tx.id);
    throw new TransactionRevertedError(`registration transaction ${tx.txHash} reverted`);
  }
  return receipt;
}

/**
 * Settles what a previous run left open: a journaled transaction that was mined is recorded, one
 * whose nonce was used by another transaction is dropped, and one still pending is rebroadcast
 * (same bytes, same hash) and awaited. Returns true when nothing is left open.
 */
export async function settleOpenRegistrations(
  client: Client<Transport, Chain, Account>,
  journal: RegistrationJournal,
  receiptTimeoutMs: number,
): Promise<boolean> {
  for (const open of journal.openRegistrations()) {
    // Only the node's definite "no such receipt" counts as not mined; any other error aborts
    // settling (retried next slot), so a mined registration is never mistaken for a dropped one.
    const receipt = await getTransactionReceipt(client, { hash: open.txHash }).catch((error: unknown) => {
      if (error instanceof TransactionReceiptNotFoundError) return undefined;
      throw error;
    });
    if (receipt) {
      if (receipt.status === "success") journal.markMined(open.id);
      else journal.markFailed(open.id);
      continue;
    }
    const latestNonce = await getTransactionCount(client, {
      address: client.account.address,
      blockTag: "latest",
    });
    if (latestNonce > open.nonce) {
      journal.markDropped(open.id);
      continue;
    }
    await broadcastAndWait(
      client,
      journal,
      { id: open.id, txHash: open.txHash, rawTx: open.rawTx },
      receiptTimeoutMs,
    );
  }
  return journal.openRegistrations().length === 0;
}

function fundsError(
  client: Client<Transport, Chain, Account>,
  balance: bigint | undefined,
  needed: bigint | undefined,
  cause?: unknown,
): HotWalletFundsError {
  const token = client.chain.nativeCurrency.symbol;
  const has = balance === undefined ? "" : ` has ${formatEther(balance)} ${token}`;
  const needs = needed === undefined ? "" : `, needs about ${formatEther(needed)} ${token}`;
  return new HotWalletFundsError(
    `the hot wallet ${client.account.address}${has}${needs} to pay for the registration transaction's gas: send funds to it; registration waits until then`,
    { retryable: true, cause },
  );
}

function formatGwei(wei: bigint): string {
  const gwei = Number(wei) / 1e9;
  // Two decimals, unless that would show a tiny --max-fee-per-gas-gwei as 0.00.
  return gwei >= 0.01 || gwei === 0 ? gwei.toFixed(2) : String(gwei);
}
