import type { Logger } from "../../lib/logger.ts";
import type { SidecarMetrics } from "./metrics.ts";
import type { RelayerClient, SignatureShare } from "./relayer-client.ts";
import type { ShareKeys } from "./share-keys.ts";
import type { ShareSigner } from "./share-signer.ts";

export interface PollRoundDeps {
  relayer: RelayerClient;
  keys: ShareKeys;
  signer: ShareSigner;
  log: Logger;
  metrics?: SidecarMetrics | null;
}

export interface PollRoundResult {
  /** Validators signed and posted this round. */
  signed: number;
  /** Validators of another cluster (not in this node's keys). */
  foreign: number;
  /** Validators that already have this node's share, or all their signatures. */
  done: number;
}

/**
 * One poll (spec A.9): ask the relayer what to sign, skip validators another cluster holds and
 * those that already have this node's share, sign the rest and post them in one request. A
 * failure throws (the loop logs it and tries again next round); nothing is remembered between
 * rounds, the relayer's share_indexes_ready is the truth.
 */
export async function pollRound(deps: PollRoundDeps, signal?: AbortSignal): Promise<PollRoundResult> {
  const { relayer, keys, signer, log, metrics } = deps;
  const { tasks, skipped } = await relayer.tasks(signal);
  metrics?.lastPollTimestamp.set(Date.now() / 1000);
  if (skipped > 0) {
    metrics?.skippedItems.inc(skipped);
    log.throttled("unparsable items", 60_000).warn("relayer items skipped: they do not parse", { skipped });
  }
  const result: PollRoundResult = { signed: 0, foreign: 0, done: 0 };
  const shares: SignatureShare[] = [];
  for (const task of tasks) {
    const key = keys.get(task.publicKey);
    if (!key) {
      result.foreign += 1;
      continue;
    }
    if (task.ready || task.shareIndexesReady.includes(keys.shareIndex)) {
      result.done += 1;
      continue;
    }
    const share = signer.sign(key, task);
    metrics?.signed.inc({ kind: "exit" });
    if (share.depositSignature) metrics?.signed.inc({ kind: "deposit" });
    shares.push(share);
  }
  if (shares.length === 0) return result;
  await relayer.post(keys.shareIndex, shares, signal);
  metrics?.posted.inc(shares.length);
  result.signed = shares.length;
  log.info("signature shares posted", {
    shareIndex: keys.shareIndex,
    validators: shares.map((s) => s.publicKey),
  });
  return result;
}
