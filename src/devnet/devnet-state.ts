/**
 * What `operator devnet --rpc-url` keeps across a restart, under `<data dir>/devnet/state/`: the
 * IPFS blocks (ipfs/, one file each) and state.json — the oracles' keys (they change with
 * set-oracles), their exit records, generation and ports, the IPFS and beacon ports and the
 * beacon genesis time. It belongs to one chain: a state written against another chain (or an
 * anvil restarted from nothing, whose blocks differ) is set aside, not reused. The local devnet
 * keeps none: its restart is a new anvil chain, on which no earlier record would hold.
 */
import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type { Hex } from "viem";
import { z } from "zod";
import { writeFileAtomic } from "../lib/atomic-file.ts";
import { pathExists } from "../lib/fs.ts";
import type { CommitteeSnapshot } from "./oracles/committee.ts";

/** Which chain a state belongs to: its id, the Keeper, and the hash of the Keeper's first block. */
export interface ChainIdentity {
  chainId: number;
  keeper: string;
  anchorBlockHash: string;
}

export interface DevnetState {
  chain: ChainIdentity;
  genesisTime: number;
  ipfsPort: number;
  beaconPort: number;
  oraclePrivateKeys: Hex[];
  committee: CommitteeSnapshot;
}

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const StateSchema = z.object({
  chain: z.object({ chainId: z.number().int(), keeper: z.string(), anchorBlockHash: z.string() }),
  genesisTime: z.number().int(),
  ipfsPort: z.number().int().min(0).max(65535),
  beaconPort: z.number().int().min(0).max(65535),
  oraclePrivateKeys: z.array(hex.length(66)),
  committee: z.object({
    generation: z.number().int().min(0),
    records: z.record(
      z.string(),
      z.record(
        z.string(),
        z.object({
          index: z.number().int(),
          generation: z.number().int(),
          pending: z.object({ generation: z.number().int(), nonce: z.string() }).optional(),
        }),
      ),
    ),
    ports: z.record(z.string(), z.number().int()),
  }),
});

export const stateDirOf = (devnetDir: string) => join(devnetDir, "state");
export const ipfsDirOf = (devnetDir: string) => join(stateDirOf(devnetDir), "ipfs");
const stateFileOf = (devnetDir: string) => join(stateDirOf(devnetDir), "state.json");

export type LoadedState =
  | { kind: "none" }
  | { kind: "restored"; state: DevnetState }
  /** A state of another chain (or unreadable), moved aside to `movedTo`. */
  | { kind: "set-aside"; movedTo: string; reason: string };

/** The state of this chain in `devnetDir`, if any; another chain's is moved aside with its IPFS dir. */
export async function loadDevnetState(devnetDir: string, chain: ChainIdentity): Promise<LoadedState> {
  const file = stateFileOf(devnetDir);
  if (!(await pathExists(file))) return { kind: "none" };
  let reason: string | undefined;
  let state: DevnetState | undefined;
  try {
    const parsed = StateSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!parsed.success) reason = "state.json is not a devnet state";
    else state = parsed.data as DevnetState;
  } catch {
    reason = "state.json is not valid JSON";
  }
  if (state) {
    const was = state.chain;
    if (was.chainId !== chain.chainId) reason = `it was written on chain ${was.chainId}`;
    else if (was.keeper.toLowerCase() !== chain.keeper.toLowerCase()) reason = `its Keeper was ${was.keeper}`;
    else if (was.anchorBlockHash !== chain.anchorBlockHash)
      reason = "the chain was restarted from its genesis";
    else return { kind: "restored", state };
  }
  const movedTo = `${stateDirOf(devnetDir)}.${Date.now()}`;
  await rename(stateDirOf(devnetDir), movedTo);
  return { kind: "set-aside", movedTo, reason: reason ?? "unknown" };
}

export interface StateWriter {
  /** Schedules a write of the current state; writes never overlap and the last one wins. */
  changed(): void;
  /** Resolves once the latest state is on disk. */
  flush(): Promise<void>;
}

/**
 * Writes state.json atomically whenever something changed: one write at a time, and a change
 * during a write makes one more write after it. A failed write is reported, and retried at the
 * next change.
 */
export function createStateWriter(
  devnetDir: string,
  snapshot: () => DevnetState,
  onError: (error: unknown) => void,
): StateWriter {
  const file = stateFileOf(devnetDir);
  let running: Promise<void> | undefined;
  let again = false;
  const run = async () => {
    do {
      again = false;
      await writeFileAtomic(file, `${JSON.stringify(snapshot(), null, 2)}\n`, { mode: 0o600 }).catch(onError);
    } while (again);
    running = undefined;
  };
  return {
    changed() {
      if (running) again = true;
      else running = run();
    },
    async flush() {
      while (running) await running;
    },
  };
}
