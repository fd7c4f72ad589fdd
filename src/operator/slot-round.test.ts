import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createManualClock, settle } from "../../test/support/manual-clock.ts";
import { memoryLogger } from "../../test/support/memory-logger.ts";
import type { VaultSnapshot } from "../chain/vault-reader.ts";
import { runEverySlot } from "../lib/clock.ts";
import type { OracleSet } from "../oracles/oracle-set.ts";
import type { RoundContext, RoundTask } from "./round-context.ts";
import { createSlotRound } from "./slot-round.ts";
import type { SlotSnapshot, SnapshotSource } from "./snapshot.ts";
import { OK, type TaskOutcome, waitingFor } from "./status/outcome.ts";
import type { Liveness } from "./status/service-health.ts";
import type { ServiceStatus } from "./status/service-status.ts";
import type { TransactionSender } from "./tx/transaction-sender.ts";

const CHAIN = { genesisTime: 1_700_000_000, secondsPerSlot: 12, slotsPerEpoch: 32 };
const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const GWEI = 1_000_000_000n;
const ETH = GWEI * GWEI;

function snapshotAt(slot: number, overrides: Partial<SlotSnapshot> = {}): SlotSnapshot {
  return {
    head: { number: BigInt(100 + slot), timestamp: CHAIN.genesisTime + slot * 12 },
    vault: {
      vault: VAULT,
      blockNumber: BigInt(100 + slot),
      validatorsRoot: `0x${"11".repeat(32)}`,
      validatorIndex: 2,
      withdrawableAssets: 3n * ETH,
      mevEscrow: VAULT,
      version: 1,
      keysManager: VAULT,
      depositRoot: `0x${"22".repeat(32)}`,
      canHarvest: false,
      isHarvestRequired: false,
    },
    deposits: { count: 5, has: () => false },
    oracles: {} as OracleSet,
    harvest: undefined,
    stakeable: 33n * ETH + 7n,
    fees: { maxFeePerGas: 20n * GWEI, maxPriorityFeePerGas: GWEI },
    balance: 2n * ETH + 1n,
    ...overrides,
  };
}

/** A slot round over hand-written parts, driven by a manual clock: what each part saw, in order. */
function setup(
  options: { settle?: () => Promise<boolean>; snapshot?: (slot: number) => Promise<SlotSnapshot> } = {},
) {
  const clock = createManualClock(CHAIN);
  const seen: string[] = [];
  let slot = 0;
  const snapshots: SnapshotSource = {
    read: async () => {
      seen.push(`snapshot ${slot}`);
      return options.snapshot ? options.snapshot(slot) : snapshotAt(slot);
    },
  };
  const sender = {
    settle: async () => {
      seen.push(`settle ${slot}`);
      return options.settle ? options.settle() : true;
    },
  } as TransactionSender;
  const outcomes: Array<[string, TaskOutcome["kind"]]> = [];
  let rounds = 0;
  const status: ServiceStatus = {
    record: (task, outcome) => outcomes.push([task, outcome.kind]),
    endRound: () => {
      rounds++;
    },
    health: () => ({ problems: [], tasks: {} }),
  };
  const gauges = new Map<string, number>();
  const gauge = (name: string) => ({ set: (value: number) => gauges.set(name, value) });
  const metrics = {
    slotNumber: gauge("slot"),
    blockNumber: gauge("block"),
    walletBalance: gauge("wallet_gwei"),
    stakeableAssets: gauge("stakeable_gwei"),
    unusedValidatorKeys: gauge("unused"),
    taskDuration: { startTimer: () => () => 0 },
  };
  const liveness: Liveness = { vault: VAULT, startedAt: 0, lastSlot: undefined, lastSlotAt: undefined };
  const task = (name: string, run: (round: RoundContext) => Promise<TaskOutcome>): RoundTask => ({
    name,
    run: (round) => {
      seen.push(`${name} ${slot} block ${round.snapshot.head.number}`);
      return run(round);
    },
  });
  const log = memoryLogger({ now: () => clock.now() });
  const make = (tasks: RoundTask[], balanceFloor = ETH) =>
    createSlotRound<VaultSnapshot>({
      snapshots,
      sender,
      flow: { unusedKeys: (snapshot) => 10 - snapshot.vault.validatorIndex },
      tasks,
      status,
      liveness,
      metrics: metrics as never,
      hotWallet: { address: VAULT, minBalanceWei: balanceFloor, gasToken: "ETH" },
      repeatMs: 32 * 12_000,
      log,
      now: () => clock.now(),
    });
  /** Runs `round` for slots 0 … last on the manual clock. */
  const runSlots = async (round: ReturnType<typeof make>, last: number) => {
    const controller = new AbortController();
    const loop = runEverySlot(
      async (s, signal) => {
        slot = s;
        await round(s, signal);
      },
      { clock, signal: controller.signal, onError: (error) => assert.fail(String(error)) },
    );
    await settle();
    for (let s = 1; s <= last; s++) {
      clock.advanceToSlot(s);
      await settle();
    }
    controller.abort();
    await loop;
  };
  return { seen, outcomes, gauges, liveness, log, task, make, runSlots, rounds: () => rounds };
}

describe("slot round", () => {
  it("settles, reads one snapshot, and hands it to every task in order, once per slot", async () => {
    const t = setup();
    const round = t.make([t.task("registration", async () => OK), t.task("exit-signatures", async () => OK)]);
    await t.runSlots(round, 2);
    assert.deepEqual(t.seen, [
      "settle 0",
      "snapshot 0",
      "registration 0 block 100",
      "exit-signatures 0 block 100",
      "settle 1",
      "snapshot 1",
      "registration 1 block 101",
      "exit-signatures 1 block 101",
      "settle 2",
      "snapshot 2",
      "registration 2 block 102",
      "exit-signatures 2 block 102",
    ]);
    assert.equal(t.rounds(), 3);
    assert.equal(t.liveness.lastSlot, 2);
  });

  it("reports the snapshot's figures as whole-gwei metrics", async () => {
    const t = setup();
    await t.runSlots(t.make([]), 0);
    assert.deepEqual(Object.fromEntries(t.gauges), {
      slot: 0,
      block: 100,
      wallet_gwei: 2_000_000_000,
      stakeable_gwei: 33_000_000_000,
      unused: 8,
    });
  });

  it("lets a task see what an earlier one did in the slot (a registration that harvested)", async () => {
    const t = setup({ snapshot: async (slot) => snapshotAt(slot) });
    const harvestSaw: boolean[] = [];
    const round = t.make([
      t.task("registration", async (r) => {
        r.harvested = true;
        return OK;
      }),
      t.task("harvest", async (r) => {
        harvestSaw.push(r.harvested);
        return OK;
      }),
    ]);
    await t.runSlots(round, 1);
    assert.deepEqual(harvestSaw, [true, true], "and each slot starts afresh");
  });

  it("keeps going after a failed task: the others still run, each outcome is recorded", async () => {
    const t = setup();
    const round = t.make([
      t.task("registration", async () => {
        throw new Error("oracle timeout");
      }),
      t.task("harvest", async () => waitingFor("gas", "above the cap")),
      t.task("exit-signatures", async () => OK),
    ]);
    await t.runSlots(round, 0);
    assert.deepEqual(t.outcomes, [
      ["registration", "failed"],
      ["harvest", "waiting"],
      ["exit-signatures", "ok"],
    ]);
  });

  it("runs no task while a transaction of an earlier run is not settled: every task waits for it", async () => {
    const t = setup({ settle: async () => false });
    await t.runSlots(
      t.make([t.task("registration", async () => OK), t.task("exit-signatures", async () => OK)]),
      0,
    );
    assert.deepEqual(t.seen, ["settle 0"]);
    assert.deepEqual(t.outcomes, [
      ["registration", "waiting"],
      ["exit-signatures", "waiting"],
    ]);
    assert.equal(t.rounds(), 1);
  });

  it("counts a snapshot that cannot be read as every task's failure, and goes on next slot", async () => {
    const t = setup({
      snapshot: async (slot) => {
        if (slot === 0) throw new Error("every execution endpoint failed");
        return snapshotAt(slot);
      },
    });
    await t.runSlots(t.make([t.task("registration", async () => OK)]), 1);
    assert.deepEqual(t.outcomes, [
      ["registration", "failed"],
      ["registration", "ok"],
    ]);
    assert.equal(t.rounds(), 2);
  });

  it("warns about a low hot wallet balance at most once per epoch", async () => {
    const t = setup();
    await t.runSlots(t.make([], 3n * ETH), 40);
    assert.deepEqual(t.log.lines("warn"), [
      "warn hot wallet balance is low: top it up or registrations will fail",
      "warn hot wallet balance is low: top it up or registrations will fail",
    ]);
    assert.equal(t.log.entries[0]?.context.balance, "2.000000000000000001");
  });
});
