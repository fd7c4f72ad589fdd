import type { Hex } from "viem";
import { OperatorError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { TransactionRequest, TransactionSender } from "../../operator/tx/transaction-sender.ts";
import type { ClusterSnapshot } from "../cluster.ts";
import type { SsvCall } from "../ssv-calls.ts";
import type { SsvRegistrationPlan } from "./plan.ts";

/** What sending a plan reads and builds; the composition wires the chain reader, events and keyshares. */
export interface SsvRegistrationDeps {
  sender: Pick<TransactionSender, "send" | "settle">;
  /**
   * The owner's state rebuilt from events up to the latest block: the cluster's snapshot and the
   * owner's next nonce. Read again before every chunk, never reused from the plan.
   */
  freshState(operatorIds: readonly bigint[]): Promise<{ snapshot: ClusterSnapshot; nonce: number }>;
  /**
   * Throws when the chain does not take `snapshot` for the cluster (its stored hash differs:
   * getBalance reverts with IncorrectClusterState): a wrong snapshot never reaches a transaction.
   */
  checkSnapshot(operatorIds: readonly bigint[], snapshot: ClusterSnapshot): Promise<void>;
  /** SSVNetworkViews.getValidator(owner, key). */
  isRegistered(key: Hex): Promise<boolean>;
  /** The sharesData of each key for the owner, key k with nonce firstNonce + k. */
  sharesData(keys: readonly Hex[], operatorIds: readonly bigint[], firstNonce: number): Promise<Hex[]>;
  registerCall(p: {
    keys: readonly Hex[];
    operatorIds: readonly bigint[];
    sharesData: readonly Hex[];
    amount: bigint;
    snapshot: ClusterSnapshot;
  }): SsvCall;
  approveCall(amount: bigint): SsvCall;
  log: Logger;
}

/** A registration found the chain or the owner's state other than the plan needs: nothing more is sent. */
export class SsvRegistrationError extends OperatorError {
  override name = "SsvRegistrationError";
}

export interface SsvRegistrationResult {
  /** Keys registered by this run. */
  registered: Hex[];
  /** Keys found already registered on SSV (an earlier run): skipped. */
  skipped: Hex[];
  transactions: Hex[];
}

/**
 * Sends a plan: settles what an earlier run left in the journal, approves when the plan says so,
 * then per chunk re-reads the snapshot and nonce from the events, has the chain confirm the
 * snapshot, drops keys already on SSV (a crash after mining), builds the shares for the fresh
 * nonces, sends through the TransactionSender (journaled with the keys) and checks that every
 * key is on SSV after mining.
 */
export async function sendSsvRegistration(
  plan: SsvRegistrationPlan,
  deps: SsvRegistrationDeps,
): Promise<SsvRegistrationResult> {
  const log = deps.log.child({ module: "ssv-registration" });
  const result: SsvRegistrationResult = { registered: [], skipped: [], transactions: [] };
  if (!(await deps.sender.settle())) {
    throw new SsvRegistrationError(
      "a transaction of an earlier run is still pending: wait for it to be mined, then run again",
      { retryable: true },
    );
  }
  if (plan.approve !== undefined) {
    const receipt = await send(deps, { kind: "ssv-approve", ...deps.approveCall(plan.approve) });
    result.transactions.push(receipt);
  }
  let carried = 0n;
  for (const chunk of plan.chunks) {
    const keys: Hex[] = [];
    for (const key of chunk.keys) {
      if (await deps.isRegistered(key)) {
        log.warn("validator already on SSV: skipped", { publicKey: key });
        result.skipped.push(key);
      } else keys.push(key);
    }
    // A chunk that found all its keys registered passes its funding on to the next one.
    const amount = chunk.amount + carried;
    if (keys.length === 0) {
      carried = amount;
      continue;
    }
    carried = 0n;
    const { snapshot, nonce } = await deps.freshState(plan.operatorIds);
    await deps.checkSnapshot(plan.operatorIds, snapshot);
    const sharesData = await deps.sharesData(keys, plan.operatorIds, nonce);
    const call = deps.registerCall({ keys, operatorIds: plan.operatorIds, sharesData, amount, snapshot });
    const hash = await send(deps, { kind: "ssv-register", ...call, publicKeys: keys });
    result.transactions.push(hash);
    for (const key of keys) {
      if (!(await deps.isRegistered(key))) {
        throw new SsvRegistrationError(
          `transaction ${hash} was mined but validator ${key} is not on SSV: check the cluster ${plan.operatorIds.join(",")} on chain before running again`,
        );
      }
    }
    result.registered.push(...keys);
    log.info("validators registered on SSV", {
      validators: keys.length,
      cluster: plan.operatorIds.join(","),
      firstNonce: nonce,
      txHash: hash,
    });
  }
  return result;
}

async function send(deps: SsvRegistrationDeps, request: TransactionRequest): Promise<Hex> {
  const receipt = await deps.sender.send(request);
  return receipt.transactionHash;
}
