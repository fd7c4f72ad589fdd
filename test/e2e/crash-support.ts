/**
 * The kill -9 machinery the crash suites share (start-crash, start-crash-v5): a seeded PRNG so a
 * failing run replays with CRASH_SEED, the choice of where a cycle kills the service, and the
 * wait for that point in a running service.
 */
import assert from "node:assert/strict";
import {
  type JournalRow,
  poll,
  readJournal,
  type ServiceRun,
  type StartFixture,
  sleep,
} from "./start-fixture.ts";

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CRASH_SEED from the env, else one from the clock (printed by the suites as a diagnostic). */
export function crashSeed(): number {
  return Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
}

/**
 * How many kill cycles a crash suite runs: `quick` in `npm test` (CI's two cores have ten minutes
 * for the whole suite), `full` (the count its issue asks for) with CRASH_CYCLES=full, or
 * CRASH_CYCLES=<n>. `at(c)` places an event the full schedule has at cycle `c` in the run's
 * cycles, keeping its order, so a suite's schedule is written once for the full count (events may
 * merge: see `deposits`; a suite checks that none lands on the cycle after its paused one).
 */
export function crashCycles(counts: {
  quick: number;
  full: number;
  /** The full schedule's events all come before this cycle: a run of more cycles keeps them where they are. */
  eventsBefore?: number;
}): {
  cycles: number;
  at: (fullCycle: number) => number;
} {
  const asked = process.env.CRASH_CYCLES;
  const cycles = asked === "full" ? counts.full : asked ? Number(asked) : counts.quick;
  if (!Number.isInteger(cycles) || cycles < 1) {
    throw new Error(`CRASH_CYCLES must be "full" or a positive whole number, not ${asked}`);
  }
  const scaled = counts.eventsBefore === undefined || cycles < counts.eventsBefore;
  return { cycles, at: (fullCycle) => (scaled ? Math.floor((fullCycle * cycles) / counts.full) : fullCycle) };
}

/** ETH deposited before each cycle, from [full-schedule cycle, ETH] pairs: deposits that land on one cycle add up. */
export function deposits(at: (fullCycle: number) => number, schedule: ReadonlyArray<[number, number]>) {
  const byCycle: Record<number, number> = {};
  for (const [fullCycle, eth] of schedule) byCycle[at(fullCycle)] = (byCycle[at(fullCycle)] ?? 0) + eth;
  return byCycle;
}

/** Counts the cycles in a row that had work to do and journaled nothing (see chooseStrategy). */
export function stallCounter(): { stalled(): boolean; after(pending: boolean, journaled: boolean): void } {
  let cycles = 0;
  return {
    stalled: () => cycles >= 2,
    after(pending, journaled) {
      cycles = pending && !journaled ? cycles + 1 : 0;
    },
  };
}

/** Where a cycle kills the service. */
export type Strategy = "delay" | "started" | "round" | "journal" | "mempool" | "after-pause";

/** Signed or sent: a transaction a restarted service must settle before anything else. */
export const isOpen = (r: JournalRow): boolean => r.status === "signed" || r.status === "sent";

/** Mined, failed or dropped for every entry: nothing left to settle. */
export const allSettled = (journal: readonly JournalRow[]): boolean => !journal.some(isOpen);

/** Interval mining on or off (off: sent transactions stay in the mempool). */
export async function setMining(f: StartFixture, on: boolean): Promise<void> {
  await f.devnet.clients.deployer.request({
    method: "evm_setIntervalMining" as never,
    params: [on ? 1 : 0] as never,
  });
}

/**
 * The kill point of a cycle: after an open transaction the restart settles it first (kill after
 * that, "started"); with work to do somewhere in the round, the journal or the mempool; else in
 * startup. The paused cycle always waits for the mempool. Work that stalled (two cycles in a row
 * journaled nothing) waits for the journal: on a slow machine, kills early in the round could
 * otherwise starve it for the rest of the run.
 */
export function chooseStrategy(
  state: { open: boolean; pending: boolean; pause: boolean; stalled?: boolean },
  between: (lo: number, hi: number) => number,
): Strategy {
  if (state.pause) return "mempool";
  if (state.open) return "started";
  if (state.pending && state.stalled) return "journal";
  if (state.pending) return (["started", "round", "journal", "mempool"] as const)[between(0, 3)] as Strategy;
  return "delay";
}

export interface KillPointContext {
  f: StartFixture;
  dbFile: string;
  /** The highest journal id before this run started: "journal" waits for a newer entry. */
  lastId: number;
  /** Mining is paused for this cycle: the transaction must reach the mempool. */
  pause: boolean;
  between: (lo: number, hi: number) => number;
}

/**
 * Waits in `run` for the point `strategy` names and returns what was reached (the caller kills
 * the run then). "after-pause" turns mining back on once the run has been up a while and waits
 * for the open transaction the previous run left in the mempool to be settled.
 */
export async function reachKillPoint(
  run: ServiceRun,
  strategy: Strategy,
  ctx: KillPointContext,
): Promise<string> {
  const { f, dbFile, between } = ctx;
  if (strategy === "delay") {
    // Nothing to do: somewhere in startup (keystores, wallet, checks, settling).
    await sleep(between(200, 3000));
    return "delay";
  }
  if (strategy === "started") {
    // 0.2–3 s into the service loop, whatever it is doing then.
    const up = await run
      .waitForLog((l) => l.msg === "service started", { timeoutMs: 15_000, what: "the start" })
      .catch(() => undefined);
    await sleep(between(200, 3000));
    return up ? "started" : "timeout";
  }
  if (strategy === "round") {
    // Somewhere in the first round: oracle requests, signing, sending, waiting.
    const loaded = await run
      .waitForLog((l) => l.msg === "oracle set loaded", { timeoutMs: 15_000, what: "the first round" })
      .catch(() => undefined);
    await sleep(between(0, 1500));
    return loaded ? "round" : "timeout";
  }
  if (strategy === "after-pause") {
    // The previous run was killed with its transaction in the mempool and mining paused: this
    // run must settle it (rebroadcast: the node answers that it already has it) without exiting.
    await sleep(4_000);
    assert.equal(run.child.exitCode, null, `the service exited while settling\n${run.output()}`);
    await setMining(f, true);
    await poll(() => (allSettled(readJournal(dbFile)) ? true : undefined), {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: "the open transaction to be settled",
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${JSON.stringify(readJournal(dbFile))}\n${run.output()}`);
    });
    await sleep(between(0, 1000));
    return "after settling";
  }
  const deadline = Date.now() + (ctx.pause ? 30_000 : 10_000);
  while (Date.now() < deadline && run.child.exitCode === null) {
    if (strategy === "journal") {
      // A transaction this run journaled (not one left open by the previous run).
      const row = readJournal(dbFile).find((r) => r.id > ctx.lastId && isOpen(r));
      if (row) {
        await sleep(between(0, 30));
        return `journal ${row.kind} ${row.status}`;
      }
      await sleep(10);
    } else {
      if ((await f.nonce("pending")) > (await f.nonce("latest"))) {
        return ctx.pause ? "mempool-paused" : "mempool";
      }
      await sleep(20);
    }
  }
  return "timeout";
}

export interface KillCycleContext {
  f: StartFixture;
  dbFile: string;
  cycle: number;
  strategy: Strategy;
  pause: boolean;
  between: (lo: number, hi: number) => number;
  /** The cycles so far, for the failure message. */
  log: readonly string[];
  start(): ServiceRun;
  /** Told the run as soon as it is started, so the caller can kill it if the test fails. */
  onRun(run: ServiceRun): void;
}

/**
 * One kill -9 cycle: mining stops first on the paused cycle (its transaction stays in the
 * mempool), the service starts, is brought to the strategy's kill point and killed; it must not
 * have exited by itself. Returns the point reached, how long the run lived, and "after-pause" as
 * the next strategy when this was the paused cycle.
 */
export async function killCycle(
  ctx: KillCycleContext,
): Promise<{ killedAt: string; ms: number; next: Strategy | undefined }> {
  const { f, dbFile, cycle, strategy, pause, between } = ctx;
  if (pause) await setMining(f, false);
  const lastId = Math.max(0, ...readJournal(dbFile).map((r) => r.id));
  const run = ctx.start();
  ctx.onRun(run);
  const started = Date.now();
  const killedAt = await reachKillPoint(run, strategy, { f, dbFile, lastId, pause, between });
  if (pause) {
    assert.equal(
      killedAt,
      "mempool-paused",
      `cycle ${cycle}: no transaction reached the mempool\n${ctx.log.join("\n")}\n${run.output()}`,
    );
  }
  assert.equal(run.child.exitCode, null, `cycle ${cycle}: the service exited by itself\n${run.output()}`);
  await run.kill();
  return { killedAt, ms: Date.now() - started, next: pause ? "after-pause" : undefined };
}
