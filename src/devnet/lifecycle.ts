import { join } from "node:path";
import type { NetworkConfig } from "../config/networks.ts";
import { writeFileAtomic } from "../lib/atomic-file.ts";
import { makeDirs } from "../lib/fs.ts";

/** What a devnet started: stopped in reverse order, once, by `stop()` or by the caller's signal. */
export interface DevnetLifecycle {
  /** Register a stop step when a part starts; steps run last-in first-out. */
  stops: Array<() => Promise<unknown>>;
  /** Aborted when the devnet stops: loops of its services watch it. */
  lifetime: AbortSignal;
  stop(): Promise<void>;
}

export function createDevnetLifecycle(signal?: AbortSignal): DevnetLifecycle {
  const stops: Array<() => Promise<unknown>> = [];
  const lifetime = new AbortController();
  const stop = async () => {
    lifetime.abort();
    for (const step of stops.reverse()) await step().catch(() => {});
    stops.length = 0;
  };
  signal?.addEventListener("abort", () => void stop(), { once: true });
  return { stops, lifetime: lifetime.signal, stop };
}

/**
 * network.json: what `--network devnet` reads (the fields of a public network; bigint as text).
 */
export async function writeNetworkFile(network: NetworkConfig, dir: string): Promise<string> {
  await makeDirs(dir, { mode: 0o700 });
  const path = join(dir, "network.json");
  const { name: _name, walletMinBalanceWei, ...rest } = network;
  await writeFileAtomic(
    path,
    `${JSON.stringify({ ...rest, walletMinBalanceWei: walletMinBalanceWei.toString() }, null, 2)}\n`,
  );
  return path;
}
