import { type Address, type Client, getAddress, hexToBytes } from "viem";
import { getLogs } from "viem/actions";
import { DepositFeedError } from "./errors.ts";
import {
  CONSOLIDATION_REQUEST_ADDRESS,
  decodeConsolidationRequest,
  decodeWithdrawalRequest,
  type ExecutionRequestLog,
  type ExecutionRequestSource,
  WITHDRAWAL_REQUEST_ADDRESS,
} from "./request-source.ts";

export interface ViemRequestSourceAddresses {
  /** Default: the EIP-7002 address. */
  withdrawals?: Address;
  /** Default: the EIP-7251 address. */
  consolidations?: Address;
}

/**
 * Reads the request contracts' logs with one eth_getLogs over both addresses. The logs have no
 * topics, so every log of those addresses is a request; removed (reorged-out) logs are dropped.
 */
export function viemRequestSource(
  client: Client,
  addresses: ViemRequestSourceAddresses = {},
): ExecutionRequestSource {
  const withdrawals = getAddress(addresses.withdrawals ?? WITHDRAWAL_REQUEST_ADDRESS);
  const consolidations = getAddress(addresses.consolidations ?? CONSOLIDATION_REQUEST_ADDRESS);
  return {
    async fetchRequests(fromBlock, toBlock) {
      const logs = await getLogs(client, { address: [withdrawals, consolidations], fromBlock, toBlock });
      const requests: ExecutionRequestLog[] = [];
      for (const log of logs) {
        if (log.removed) continue;
        if (log.blockNumber === null || log.logIndex === null) {
          throw new DepositFeedError("request log without a block number", {
            details: log.transactionHash ?? "",
          });
        }
        const position = { blockNumber: log.blockNumber, logIndex: log.logIndex };
        const data = hexToBytes(log.data);
        const from = getAddress(log.address);
        if (from === withdrawals) requests.push(decodeWithdrawalRequest(data, position));
        else if (from === consolidations) requests.push(decodeConsolidationRequest(data, position));
      }
      return requests;
    },
  };
}
