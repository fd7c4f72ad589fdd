import { type Address, formatEther, type Hex } from "viem";
import { OperatorError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { TransactionKind } from "../../operator/state/journal-entry.ts";
import type { TransactionSender } from "../../operator/tx/transaction-sender.ts";
import { clusterKey } from "../cluster.ts";
import { eraToken, InsufficientSsvFundsError } from "../registration/plan.ts";
import {
  approveSsvCall,
  bulkBatches,
  depositCall,
  reactivateCall,
  removeValidatorsCall,
  type SsvCall,
  setFeeRecipientCall,
  withdrawCall,
} from "../ssv-calls.ts";
import type { SsvChainReader } from "../ssv-chain.ts";
import type { ManagerAction } from "./actions.ts";
import type { OwnerMemory } from "./owner-memory.ts";

export interface ActionRunnerDeps {
  owner: Address;
  ssv: { network: Address; token?: Address };
  execution: {
    getBlockNumber(options: { cacheTime: number }): Promise<bigint>;
    getBalance(p: { address: Address }): Promise<bigint>;
  };
  reader: Pick<SsvChainReader, "era" | "clusterStatus" | "validatorsRegistered" | "ssvToken">;
  memory: Pick<OwnerMemory, "state" | "sync" | "save">;
  sender: Pick<TransactionSender, "send">;
  /** The registration step (register-keys.ts). */
  register(keys: readonly Hex[], excludeOperatorIds: readonly bigint[]): Promise<"sent" | "skipped">;
  log: Logger;
}

/** An action's precondition no longer holds in a way that needs a person (not "no longer due"). */
export class SsvActionError extends OperatorError {
  override name = "SsvActionError";
}

/**
 * Sends one decided action. Right before sending, the owner's events are read up to the latest
 * block and the action's precondition is checked again against them and the chain (the cluster
 * still liquidated, the validators still registered in it, the balance still there…); an action
 * that is no longer due is "skipped". Every transaction goes through the one TransactionSender
 * (journaled before it is broadcast) and the owner state is brought up to date after it.
 */
export function createActionRunner(deps: ActionRunnerDeps) {
  const { reader, memory, owner } = deps;
  const target = { ssvNetwork: deps.ssv.network, era: reader.era };
  const log = deps.log.child({ module: "ssv-manager" });

  const fresh = async () => {
    await memory.sync(await deps.execution.getBlockNumber({ cacheTime: 0 }));
    return memory.state;
  };
  const send = async (kind: TransactionKind, call: SsvCall, publicKeys?: readonly Hex[]) => {
    const receipt = await deps.sender.send({ kind, ...call, ...(publicKeys ? { publicKeys } : {}) });
    log.info("ssv transaction mined", { kind, txHash: receipt.transactionHash });
    await fresh();
    await memory.save();
  };
  /** The owner can pay `amount` into a cluster; the SSV-token era approves the SSVNetwork first when short. */
  const fund = async (amount: bigint, what: string) => {
    const token = eraToken(reader.era);
    const { balance, allowance } =
      reader.era === "eth"
        ? { balance: await deps.execution.getBalance({ address: owner }), allowance: amount }
        : await reader.ssvToken(owner);
    if (balance < amount) {
      throw new InsufficientSsvFundsError(
        `the owner ${owner} has ${formatEther(balance)} ${token} and ${what} needs ${formatEther(amount)} ${token}: send ${formatEther(amount - balance)} ${token} to it`,
      );
    }
    if (allowance < amount) {
      if (!deps.ssv.token) throw new SsvActionError("no SSV token address is configured to approve");
      await send(
        "ssv-approve",
        approveSsvCall({ ssvToken: deps.ssv.token, ssvNetwork: target.ssvNetwork, amount }),
      );
    }
  };

  return async (action: ManagerAction): Promise<"sent" | "skipped"> => {
    const state = await fresh();
    switch (action.kind) {
      case "set-fee-recipient": {
        if (state.feeRecipient?.toLowerCase() === action.recipient.toLowerCase()) return "skipped";
        await send("ssv-fee-recipient", setFeeRecipientCall(target, action.recipient));
        return "sent";
      }
      case "reactivate": {
        const cluster = state.cluster(action.operatorIds);
        if (!cluster?.liquidated || cluster.validators.size === 0) return "skipped";
        const status = await reader.clusterStatus(owner, action.operatorIds, cluster.snapshot);
        if (!status.liquidated) return "skipped";
        await fund(action.amount, `reactivating cluster ${action.clusterKey}`);
        const snapshot = memory.state.snapshotFor(action.operatorIds);
        await send(
          "ssv-reactivate",
          reactivateCall(target, {
            operatorIds: action.operatorIds,
            amount: action.amount,
            cluster: snapshot,
          }),
        );
        return "sent";
      }
      case "deposit": {
        const cluster = state.cluster(action.operatorIds);
        if (!cluster || cluster.liquidated || cluster.validators.size === 0) return "skipped";
        // Throws when the chain does not take the snapshot: a wrong snapshot never reaches a transaction.
        const status = await reader.clusterStatus(owner, action.operatorIds, cluster.snapshot);
        if (status.liquidated) return "skipped";
        await fund(action.amount, `topping up cluster ${action.clusterKey}`);
        const snapshot = memory.state.snapshotFor(action.operatorIds);
        await send(
          "ssv-deposit",
          depositCall(target, {
            owner,
            operatorIds: action.operatorIds,
            amount: action.amount,
            cluster: snapshot,
          }),
        );
        return "sent";
      }
      case "remove": {
        const inCluster = action.publicKeys.filter(
          (k) => clusterKeyOf(state.clusterOfValidator(k)) === action.clusterKey,
        );
        const onChain = await reader.validatorsRegistered(owner, inCluster);
        const keys = inCluster.filter((_, i) => onChain[i]);
        if (keys.length === 0) return "skipped";
        for (const batch of bulkBatches(keys, action.operatorIds.length)) {
          const snapshot = memory.state.snapshotFor(action.operatorIds);
          await reader.clusterStatus(owner, action.operatorIds, snapshot);
          await send(
            "ssv-remove",
            removeValidatorsCall(target, {
              publicKeys: batch,
              operatorIds: action.operatorIds,
              cluster: snapshot,
            }),
            batch,
          );
        }
        return "sent";
      }
      case "register":
        return deps.register(action.publicKeys, action.excludeOperatorIds);
      case "withdraw": {
        const cluster = state.cluster(action.operatorIds);
        if (!cluster || cluster.liquidated || cluster.validators.size > 0) return "skipped";
        const status = await reader.clusterStatus(owner, action.operatorIds, cluster.snapshot);
        if (status.liquidated || status.balance === 0n) return "skipped";
        await send(
          "ssv-withdraw",
          withdrawCall(target, {
            operatorIds: action.operatorIds,
            amount: status.balance,
            cluster: cluster.snapshot,
          }),
        );
        return "sent";
      }
    }
  };
}

function clusterKeyOf(ids: bigint[] | undefined): string | undefined {
  return ids === undefined ? undefined : clusterKey(ids);
}
