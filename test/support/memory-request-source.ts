import type { ExecutionBlockRef } from "../../src/devnet/beacon/deposit-source.ts";
import type {
  ConsolidationRequestLog,
  ExecutionRequestLog,
  ExecutionRequestSource,
  WithdrawalRequestLog,
} from "../../src/devnet/beacon/request-source.ts";

/**
 * EIP-7002 / EIP-7251 request logs for the simulator's tests, each in a block mined on the
 * chain it shares with a memory deposit source (pass that source's `mine`).
 */
export interface MemoryRequestSource extends ExecutionRequestSource {
  withdraw(request: Omit<WithdrawalRequestLog, "kind" | "blockNumber" | "logIndex">): WithdrawalRequestLog;
  consolidate(
    request: Omit<ConsolidationRequestLog, "kind" | "blockNumber" | "logIndex">,
  ): ConsolidationRequestLog;
}

export function createMemoryRequestSource(mine: () => ExecutionBlockRef): MemoryRequestSource {
  const logs: ExecutionRequestLog[] = [];
  return {
    async fetchRequests(fromBlock, toBlock) {
      return logs.filter((log) => log.blockNumber >= fromBlock && log.blockNumber <= toBlock);
    },
    withdraw(request) {
      const log: WithdrawalRequestLog = {
        kind: "withdrawal",
        ...request,
        blockNumber: mine().number,
        logIndex: 0,
      };
      logs.push(log);
      return log;
    },
    consolidate(request) {
      const log: ConsolidationRequestLog = {
        kind: "consolidation",
        ...request,
        blockNumber: mine().number,
        logIndex: 0,
      };
      logs.push(log);
      return log;
    },
  };
}
