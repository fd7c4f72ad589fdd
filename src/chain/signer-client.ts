/**
 * One viem client that both reads the chain and signs transactions with a local account, the
 * shape the devnet deployment and the e2e tests use.
 */
import { type Account, type Chain, createWalletClient, http, publicActions } from "viem";

export interface CreateSignerClientParameters {
  url: string;
  chain: Chain;
  account: Account;
  /** How often receipts and blocks are polled (default 100 ms: a local node answers fast). */
  pollingIntervalMs?: number;
}

export function createSignerClient(params: CreateSignerClientParameters) {
  return createWalletClient({
    account: params.account,
    chain: params.chain,
    transport: http(params.url, { retryCount: 0 }),
    pollingInterval: params.pollingIntervalMs ?? 100,
  }).extend(publicActions);
}

export type SignerClient = ReturnType<typeof createSignerClient>;
