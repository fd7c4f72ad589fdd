import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createManualClock, settle } from "../../test/support/manual-clock.ts";
import { memoryLogger } from "../../test/support/memory-logger.ts";
import { AbortedError } from "./aborted.ts";
import { createClock, runEveryEpoch, runEverySlot } from "./clock.ts";

const MAINNET = { genesisTime: 1606824023, secondsPerSlot: 12, slotsPerEpoch: 32 };
const GENESIS_MS = MAINNET.genesisTime * 1000;
const SLOT_MS = 12_000;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("createClock", () => {
  it("computes slot, epoch and the time to the next boundaries", () => {
    const now = GENESIS_MS + 100 * SLOT_MS + 5000;
    const clock = createClock({ ...MAINNET, now: () => now });
    assert.equal(clock.currentSlot(), 100);
    assert.equal(clock.currentEpoch(), 3);
    assert.equal(clock.epochAtSlot(64), 2);
    assert.equal(clock.slotStartMs(100), GENESIS_MS + 1_200_000);
    assert.equal(clock.epochStartMs(4), GENESIS_MS + 128 * SLOT_MS);
    assert.equal(clock.msUntilNextSlot(), 7000);
    assert.equal(clock.msUntilNextEpoch(), (128 - 100) * SLOT_MS - 5000);
    assert.equal(clock.now(), now);
  });

  it("is at slot 0 before genesis, with genesis as the next boundary", () => {
    const clock = createClock({ ...MAINNET, now: () => GENESIS_MS - 30_000 });
    assert.equal(clock.currentSlot(), 0);
    assert.equal(clock.currentEpoch(), 0);
    assert.equal(clock.msUntilNextSlot(), 30_000);
    assert.equal(clock.msUntilNextEpoch(), 30_000);
  });

  it("rejects nonsensical chain constants", () => {
    assert.throws(() => createClock({ ...MAINNET, secondsPerSlot: 0 }), RangeError);
    assert.throws(() => createClock({ ...MAINNET, slotsPerEpoch: 1.5 }), RangeError);
    assert.throws(() => createClock({ ...MAINNET, genesisTime: Number.NaN }), RangeError);
  });

  it("sleepUntil waits on real timers, returns at once for the past, and aborts", async () => {
    const clock = createClock(MAINNET);
    await clock.sleepUntil(Date.now() - 1000);
    const start = Date.now();
    await clock.sleepUntil(start + 3);
    assert.ok(Date.now() >= start + 3);
    const controller = new AbortController();
    const pending = clock.sleepUntil(Date.now() + 60_000, controller.signal);
    controller.abort();
    await assert.rejects(pending, AbortedError);
    await assert.rejects(clock.sleepUntil(0, AbortSignal.abort()), AbortedError);
  });
});

describe("ManualClock", () => {
  it("wakes sleepers only when time reaches them", async () => {
    const clock = createManualClock(MAINNET);
    const woke: number[] = [];
    void clock.sleepUntil(GENESIS_MS + 2000).then(() => woke.push(2));
    void clock.sleepUntil(GENESIS_MS + 1000).then(() => woke.push(1));
    assert.equal(clock.sleepers, 2);
    clock.advance(999);
    await settle();
    assert.deepEqual(woke, []);
    clock.advance(5000);
    await settle();
    assert.deepEqual(woke, [1, 2]);
    assert.equal(clock.sleepers, 0);
  });

  it("rejects an aborted sleep and forgets it", async () => {
    const clock = createManualClock(MAINNET);
    const controller = new AbortController();
    const pending = clock.sleepUntil(GENESIS_MS + 1000, controller.signal);
    controller.abort();
    await assert.rejects(pending, AbortedError);
    assert.equal(clock.sleepers, 0);
  });
});

describe("runEverySlot", () => {
  it("runs now, then once at each new slot", async () => {
    const clock = createManualClock(MAINNET, GENESIS_MS + 10 * SLOT_MS + 3000);
    const controller = new AbortController();
    const slots: number[] = [];
    const loop = runEverySlot(
      async (slot) => {
        slots.push(slot);
      },
      { clock, signal: controller.signal, onError: assert.fail },
    );
    await settle();
    assert.deepEqual(slots, [10]);
    clock.advance(8999); // 1 ms before slot 11
    await settle();
    assert.deepEqual(slots, [10]);
    for (const slot of [11, 12, 13]) {
      clock.advanceToSlot(slot, 1);
      await settle();
    }
    assert.deepEqual(slots, [10, 11, 12, 13]);
    controller.abort();
    await loop;
  });

  it("never overlaps: a slow task skips the missed slots and says how many", async () => {
    const clock = createManualClock(MAINNET);
    const controller = new AbortController();
    const logger = memoryLogger();
    const slots: number[] = [];
    const skippedReports: [number, number][] = [];
    let running = 0;
    let maxRunning = 0;
    const slow = deferred();
    const loop = runEverySlot(
      async (slot) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        slots.push(slot);
        if (slot === 1) await slow.promise;
        running--;
      },
      {
        clock,
        signal: controller.signal,
        onError: assert.fail,
        logger,
        name: "registration",
        onSkipped: (skipped, slot) => skippedReports.push([skipped, slot]),
      },
    );
    await settle();
    clock.advanceToSlot(1);
    await settle();
    for (const slot of [2, 3, 4]) {
      clock.advanceToSlot(slot);
      await settle();
    }
    assert.deepEqual(slots, [0, 1]);
    slow.resolve();
    await settle();
    assert.deepEqual(slots, [0, 1, 4]);
    assert.equal(maxRunning, 1);
    assert.deepEqual(skippedReports, [[2, 4]]);
    assert.deepEqual(
      logger.entries.map((e) => [e.level, e.message, e.context]),
      [["debug", "task overran; skipped slots", { task: "registration", skipped: 2, slot: 4 }]],
    );
    controller.abort();
    await loop;
  });

  it("never dies: errors go to onError and the next slot still runs", async () => {
    const clock = createManualClock(MAINNET);
    const controller = new AbortController();
    const logger = memoryLogger();
    const errors: [string, number][] = [];
    const slots: number[] = [];
    const loop = runEverySlot(
      async (slot) => {
        slots.push(slot);
        if (slot === 0) throw new Error("beacon down");
        if (slot === 1) throw "a string";
      },
      {
        clock,
        signal: controller.signal,
        logger,
        onError: (error, slot) => {
          errors.push([String(error), slot]);
          if (slot === 1) throw new Error("handler bug");
        },
      },
    );
    for (const slot of [1, 2]) {
      await settle();
      clock.advanceToSlot(slot);
    }
    await settle();
    assert.deepEqual(slots, [0, 1, 2]);
    assert.deepEqual(errors, [
      ["Error: beacon down", 0],
      ["a string", 1],
    ]);
    assert.deepEqual(logger.lines("error"), ["error runEvery onError handler threw"]);
    controller.abort();
    await loop;
  });

  it("stops promptly when aborted while waiting", async () => {
    const clock = createManualClock(MAINNET);
    const controller = new AbortController();
    let runs = 0;
    const loop = runEverySlot(
      async () => {
        runs++;
      },
      { clock, signal: controller.signal, onError: assert.fail },
    );
    await settle();
    assert.equal(clock.sleepers, 1);
    controller.abort();
    await loop;
    assert.equal(clock.sleepers, 0);
    clock.advanceToSlot(5);
    await settle();
    assert.equal(runs, 1);
  });

  it("when aborted mid-task, lets the task see the signal, waits for it, and does not report its abort", async () => {
    const clock = createManualClock(MAINNET);
    const controller = new AbortController();
    let sawAbort = false;
    const loop = runEverySlot(
      (_slot, signal) =>
        new Promise<void>((_resolve, reject) => {
          signal.addEventListener("abort", () => {
            sawAbort = true;
            reject(new AbortedError());
          });
        }),
      { clock, signal: controller.signal, onError: assert.fail },
    );
    await settle();
    controller.abort();
    await loop;
    assert.equal(sawAbort, true);
  });

  it("does not start when already aborted", async () => {
    const clock = createManualClock(MAINNET);
    await runEverySlot(() => assert.fail("ran"), {
      clock,
      signal: AbortSignal.abort(),
      onError: assert.fail,
    });
  });

  it("waits for genesis before the first run", async () => {
    const clock = createManualClock(MAINNET, GENESIS_MS - 60_000);
    const controller = new AbortController();
    const slots: number[] = [];
    const loop = runEverySlot(
      async (slot) => {
        slots.push(slot);
      },
      { clock, signal: controller.signal, onError: assert.fail },
    );
    await settle();
    assert.deepEqual(slots, []);
    clock.setTime(GENESIS_MS);
    await settle();
    assert.deepEqual(slots, [0]);
    controller.abort();
    await loop;
  });

  it("never runs a slot twice when the wall clock goes backwards", async () => {
    const clock = createManualClock(MAINNET, GENESIS_MS + 5 * SLOT_MS);
    const controller = new AbortController();
    const slots: number[] = [];
    const loop = runEverySlot(
      async (slot) => {
        slots.push(slot);
      },
      { clock, signal: controller.signal, onError: assert.fail },
    );
    await settle();
    clock.advanceToSlot(3);
    await settle();
    clock.advanceToSlot(4);
    await settle();
    clock.advanceToSlot(6);
    await settle();
    assert.deepEqual(slots, [5, 6]);
    controller.abort();
    await loop;
  });
});

describe("runEveryEpoch", () => {
  it("runs now for the current epoch, then at each epoch start", async () => {
    const clock = createManualClock(MAINNET, GENESIS_MS + 40 * SLOT_MS);
    const controller = new AbortController();
    const epochs: number[] = [];
    const loop = runEveryEpoch(
      async (epoch) => {
        epochs.push(epoch);
      },
      { clock, signal: controller.signal, onError: assert.fail },
    );
    await settle();
    clock.advanceToSlot(63);
    await settle();
    clock.advanceToSlot(64);
    await settle();
    clock.advanceToSlot(200);
    await settle();
    assert.deepEqual(epochs, [1, 2, 6]);
    controller.abort();
    await loop;
  });
});
