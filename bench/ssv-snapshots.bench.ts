/**
 * Rebuilds an SSV owner's cluster snapshots from 100,000 events (issue 13, Must 5: "a few
 * seconds"; the limit here is 3 s). Two figures: folding 100,000 decoded events into the owner
 * state (the reducer alone), and decoding 100,000 raw SSVNetwork logs, as eth_getLogs returns
 * them, into those events (what a first scan from the deploy block pays on top).
 *
 * The history: 2,000 clusters of 4 operators; each cluster gets registrations (with 1,312-byte
 * shares), removals, deposits and withdrawals, a liquidation and a reactivation now and then.
 *
 * Run alone: node bench/ssv-snapshots.bench.ts
 */
import { performance } from "node:perf_hooks";
import type { Address, Hex } from "viem";
import { OwnerSsvState } from "../src/ssv/cluster-state.ts";
import type { SsvEvent } from "../src/ssv/ssv-event-types.ts";
import { decodeSsvLog, type RawLog } from "../src/ssv/ssv-events.ts";
import { ssvLog } from "../test/support/ssv-logs.ts";

const EVENTS = Number(process.env.SSV_BENCH_EVENTS ?? 100_000);
const CLUSTERS = 2_000;
const LIMIT_MS = 3_000;
const RUNS = 3;
const OWNER: Address = "0x00000000000000000000000000000000000000aa";
const SHARES: Hex = `0x${"5a".repeat(96 + 304 * 4)}`;

interface Step {
  name: string;
  args: Record<string, unknown>;
  at: { blockNumber: bigint; transactionIndex: number; logIndex: number };
}

/** A deterministic history of EVENTS owner events over CLUSTERS clusters. */
function history(): Step[] {
  const steps: Step[] = [];
  const live: Hex[][] = Array.from({ length: CLUSTERS }, () => []);
  const counts = new Array<number>(CLUSTERS).fill(0);
  let nextKey = 1;
  for (let i = 0; i < EVENTS; i++) {
    const c = (i * 7919) % CLUSTERS;
    const ids = [BigInt(c * 4 + 1), BigInt(c * 4 + 2), BigInt(c * 4 + 3), BigInt(c * 4 + 4)];
    const keys = live[c] as Hex[];
    const roll = (i * 2654435761) % 100;
    const at = {
      blockNumber: BigInt(1_000_000 + Math.floor(i / 4)),
      transactionIndex: i % 4,
      logIndex: i % 4,
    };
    const cluster = () => ({
      validatorCount: counts[c] as number,
      networkFeeIndex: BigInt(i) * 3n,
      index: BigInt(i) * 5n,
      active: roll !== 97,
      balance: 10n ** 18n - BigInt(i),
    });
    if (roll < 45 || keys.length === 0) {
      const publicKey = `0x${(nextKey++).toString(16).padStart(96, "0")}` as Hex;
      keys.push(publicKey);
      counts[c] = (counts[c] as number) + 1;
      steps.push({
        name: "ValidatorAdded",
        args: { owner: OWNER, operatorIds: ids, publicKey, shares: SHARES, cluster: cluster() },
        at,
      });
    } else if (roll < 65) {
      const publicKey = keys.shift() as Hex;
      counts[c] = (counts[c] as number) - 1;
      steps.push({
        name: "ValidatorRemoved",
        args: { owner: OWNER, operatorIds: ids, publicKey, cluster: cluster() },
        at,
      });
    } else if (roll < 85) {
      steps.push({
        name: "ClusterDeposited",
        args: { owner: OWNER, operatorIds: ids, value: 10n ** 17n, cluster: cluster() },
        at,
      });
    } else if (roll < 97) {
      steps.push({
        name: "ClusterWithdrawn",
        args: { owner: OWNER, operatorIds: ids, value: 10n ** 16n, cluster: cluster() },
        at,
      });
    } else if (roll === 97) {
      steps.push({
        name: "ClusterLiquidated",
        args: { owner: OWNER, operatorIds: ids, cluster: cluster() },
        at,
      });
    } else {
      steps.push({
        name: "ClusterReactivated",
        args: { owner: OWNER, operatorIds: ids, cluster: cluster() },
        at,
      });
    }
  }
  return steps;
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function run(): Promise<void> {
  const steps = history();
  const [logs, encodeMs] = timed(() => steps.map((s): RawLog => ssvLog(s.name, s.args, s.at)));
  const decodeMs: number[] = [];
  const reduceMs: number[] = [];
  let events: SsvEvent[] = [];
  let state: OwnerSsvState | undefined;
  for (let k = 0; k < RUNS; k++) {
    const [decoded, decodeTime] = timed(() => logs.map((log) => decodeSsvLog(log) as SsvEvent));
    decodeMs.push(decodeTime);
    events = decoded;
    const [reduced, reduceTime] = timed(() => {
      const s = new OwnerSsvState(OWNER);
      s.applyChunk(events, 2_000_000n);
      return s;
    });
    reduceMs.push(reduceTime);
    state = reduced;
  }
  const clusters = state?.clusters().length ?? 0;
  const validators = state?.clusters().reduce((n, c) => n + c.validators.size, 0) ?? 0;
  const reduce = median(reduceMs);
  const decode = median(decodeMs);
  console.log(
    `ssv snapshots: ${EVENTS} events folded in ${(reduce / 1000).toFixed(3)} s (limit ${LIMIT_MS / 1000} s; ` +
      `${clusters} clusters, ${validators} validators registered, nonce ${state?.nonce})`,
  );
  console.log(
    `ssv snapshots: decoding the ${EVENTS} raw logs ${(decode / 1000).toFixed(3)} s; decode + fold ${((decode + reduce) / 1000).toFixed(3)} s ` +
      `(building them with viem's encoder took ${(encodeMs / 1000).toFixed(1)} s, not counted)`,
  );
  if (decode + reduce > LIMIT_MS) console.warn(`ssv snapshots: slower than the ${LIMIT_MS / 1000} s limit`);
}

if (import.meta.main) await run();
