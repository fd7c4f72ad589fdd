import {
  type Account,
  type Address,
  BaseError,
  type Chain,
  type Client,
  type Hex,
  InsufficientFundsError,
  TransactionReceiptNotFoundError,
  type Transport,
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

/** A mined transaction as the sender needs it. */
export interface TxReceipt {
  transactionHash: Hex;
  blockNumber: bigint;
  status: "success" | "reverted";
}

export interface TxFees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface UnsignedTx {
  to: Address;
  data: Hex;
  value: bigint;
  gas: bigint;
  nonce: number;
  fees: TxFees;
}

/** What a broadcast came to: sent now, or already known to the node (the receipt decides). */
export type BroadcastResult = "sent" | "known";

/** The node refused a transaction because the sender cannot pay for it. */
export class NodeInsufficientFundsError extends Error {
  override name = "NodeInsufficientFundsError";
}

/**
 * The chain as the transaction sender sees it: one account that signs locally, and the node
 * calls a transaction's life needs. The service wraps viem (`viemTxChain`); unit tests use a
 * hand-written fake.
 */
export interface TxChain {
  readonly account: Address;
  /** The gas token's symbol, for messages ("ETH", "xDAI"). */
  readonly gasToken: string;
  estimateGas(tx: { to: Address; data: Hex; value: bigint }): Promise<bigint>;
  fees(): Promise<TxFees>;
  balance(): Promise<bigint>;
  nonce(blockTag: "pending" | "latest"): Promise<number>;
  sign(tx: UnsignedTx): Promise<Hex>;
  /** Broadcasts signed bytes; "known" when the node has them or their nonce is used (NodeInsufficientFundsError when it cannot pay). */
  broadcast(rawTx: Hex): Promise<BroadcastResult>;
  /** The receipt, or undefined when the node definitely has none (yet). */
  receipt(hash: Hex): Promise<TxReceipt | undefined>;
  waitForReceipt(hash: Hex, timeoutMs: number): Promise<TxReceipt>;
}

/**
 * The node's answers to a rebroadcast of a transaction it already has (geth/reth "already known",
 * anvil "transaction already imported", Nethermind "AlreadyKnown", Besu "Known transaction") or
 * whose nonce is already used: the receipt decides what became of it.
 */
const ALREADY_SENT = /already known|alreadyknown|already imported|known transaction|nonce too low/i;

/** The TxChain of a viem wallet client (its account signs; its transport reaches the nodes). */
export function viemTxChain(client: Client<Transport, Chain, Account>): TxChain {
  const account = client.account;
  const toReceipt = (r: { transactionHash: Hex; blockNumber: bigint; status: "success" | "reverted" }) => ({
    transactionHash: r.transactionHash,
    blockNumber: r.blockNumber,
    status: r.status,
  });
  return {
    account: account.address,
    gasToken: client.chain.nativeCurrency.symbol,
    estimateGas: (tx) => estimateGas(client, { account, ...tx }),
    async fees() {
      const fees = await estimateFeesPerGas(client);
      return { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
    },
    balance: () => getBalance(client, { address: account.address }),
    nonce: (blockTag) => getTransactionCount(client, { address: account.address, blockTag }),
    sign: (tx) =>
      signTransaction(client, {
        account,
        chain: client.chain,
        to: tx.to,
        data: tx.data,
        value: tx.value,
        gas: tx.gas,
        maxFeePerGas: tx.fees.maxFeePerGas,
        maxPriorityFeePerGas: tx.fees.maxPriorityFeePerGas,
        nonce: tx.nonce,
        type: "eip1559",
      }),
    async broadcast(rawTx) {
      try {
        await sendRawTransaction(client, { serializedTransaction: rawTx });
        return "sent";
      } catch (error) {
        const message = String((error as Error).message);
        if (ALREADY_SENT.test(message)) return "known";
        const insufficient =
          (error instanceof BaseError && error.walk((e) => e instanceof InsufficientFundsError)) ||
          /insufficient funds/i.test(message);
        if (insufficient) throw new NodeInsufficientFundsError("insufficient funds", { cause: error });
        throw error;
      }
    },
    async receipt(hash) {
      // Only the node's definite "no such receipt" counts as none; any other error is thrown, so a
      // mined transaction is never mistaken for a dropped one.
      try {
        return toReceipt(await getTransactionReceipt(client, { hash }));
      } catch (error) {
        if (error instanceof TransactionReceiptNotFoundError) return undefined;
        throw error;
      }
    },
    waitForReceipt: async (hash, timeoutMs) =>
      toReceipt(await waitForTransactionReceipt(client, { hash, timeout: timeoutMs })),
  };
}
