import { join } from "node:path";
import type { PublicClient } from "viem";
import type { NetworkConfig } from "../../config/networks.ts";
import type { Logger } from "../../lib/logger.ts";
import { type DepositsView, followDeposits } from "../../operator/deposit-scan.ts";
import { sqliteServiceStore } from "../../operator/state/sqlite-service-store.ts";
import { type ChainIdentity, StateStore } from "../../operator/state/state-store.ts";

/** The legacy relayer's deposit database: the operator's state store, its network-validators table only. */
export function legacyDepositsFile(dataDir: string, network: string): string {
  return join(dataDir, "relayer", `${network}-deposits.db`);
}

/** The store has no vault: the transaction journal it scopes is never written by the relayer. */
const NO_VAULT = `0x${"00".repeat(20)}`;

export function openLegacyDepositsStore(params: {
  dataDir: string;
  network: NetworkConfig;
  chain: ChainIdentity;
}): StateStore {
  return StateStore.open({
    file: legacyDepositsFile(params.dataDir, params.network.name),
    network: params.network.name,
    vault: NO_VAULT,
    chain: params.chain,
  });
}

/**
 * Legacy generation (spec A.4): the beacon index the next new validator gets = the number of
 * distinct public keys with a valid deposit — the operator's own deposit scan, settled deposits
 * stored in `store`, the newest blocks read live. One scan per execution head: the legacy operator
 * re-POSTs every second, and a second call at the same head reuses the first's answer.
 */
export function legacyValidatorIndex(params: {
  client: Pick<PublicClient, "getLogs" | "getBlockNumber">;
  network: NetworkConfig;
  store: StateStore;
  log: Logger;
}): () => Promise<number> {
  let last: { head: bigint; view: Promise<DepositsView> } | undefined;
  const store = sqliteServiceStore(params.store);
  return async () => {
    const head = await params.client.getBlockNumber({ cacheTime: 0 });
    if (last?.head !== head) {
      const view = followDeposits({
        client: params.client as PublicClient,
        network: params.network,
        store,
        head,
      });
      last = { head, view };
      view.catch(() => {
        if (last?.view === view) last = undefined;
      });
    }
    const { count } = await last.view;
    params.log.debug("next validator index", { head, index: count });
    return count;
  };
}
