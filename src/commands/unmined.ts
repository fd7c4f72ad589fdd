import type { PublicClient } from "viem";
import { UserInputError } from "../lib/errors.ts";

/** The wallet has transactions in the node's mempool: a command that sends waits for them. */
export class UnminedTransactionsError extends UserInputError {
  override name = "UnminedTransactionsError";
}

export interface WalletNonces {
  wallet: `0x${string}`;
  /** Transactions of the wallet mined so far (the nonce at "latest"). */
  latest: number;
  /** The same with the node's mempool counted (the nonce at "pending"). */
  pending: number;
}

/**
 * Refuses while a transaction of the wallet waits in the mempool. The beacon state cannot show a
 * request that is not mined yet (a consolidation, an exit), so a re-run after a kill or a lost
 * receipt would pass every other check and pay the fee for the same request twice. `what` names
 * the request for the message ("a consolidation").
 */
export function checkNothingUnmined(
  { wallet, latest, pending }: WalletNonces,
  what: string,
  command: string,
): void {
  if (pending > latest) {
    throw new UnminedTransactionsError(
      `the wallet ${wallet} has ${pending - latest} transaction(s) not mined yet, perhaps ${what} sent before: wait until they are mined, then run ${command} again`,
    );
  }
}

/** The wallet's nonces at "latest" and "pending", read together. */
export async function walletNonces(client: PublicClient, wallet: `0x${string}`): Promise<WalletNonces> {
  const [latest, pending] = await Promise.all([
    client.getTransactionCount({ address: wallet, blockTag: "latest" }),
    client.getTransactionCount({ address: wallet, blockTag: "pending" }),
  ]);
  return { wallet, latest, pending };
}
