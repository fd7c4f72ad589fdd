import { ConsolidationRefusedError } from "./checks.ts";

export interface WalletNonces {
  wallet: `0x${string}`;
  /** Transactions of the wallet mined so far (the nonce at "latest"). */
  latest: number;
  /** The same with the node's mempool counted (the nonce at "pending"). */
  pending: number;
}

/**
 * Refuses while a transaction of the wallet waits in the mempool. The beacon state cannot show a
 * consolidation that is not mined yet, so a re-run after a kill or a lost receipt would pass every
 * other check and pay the fee for the same request twice.
 */
export function checkNothingUnmined({ wallet, latest, pending }: WalletNonces): void {
  if (pending > latest) {
    throw new ConsolidationRefusedError(
      `the wallet ${wallet} has ${pending - latest} transaction(s) not mined yet, perhaps a consolidation sent before: wait until they are mined, then run consolidate again`,
    );
  }
}
