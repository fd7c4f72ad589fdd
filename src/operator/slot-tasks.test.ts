import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryLogger } from "../../test/support/memory-logger.ts";
import { createMetrics } from "./metrics.ts";
import type { RoundTask } from "./round-context.ts";
import { type SlotTasksDeps, type SlotTasksOptions, slotTasks } from "./slot-tasks.ts";

const task = (name: string): RoundTask => ({ name, run: async () => ({ kind: "done" }) as never });

/** The task names of a round; the tasks are only built here, never run. */
function names(overrides: Partial<SlotTasksOptions<never>>): string[] {
  const options = {
    flow: {} as never,
    around: { beforeRegistration: [task("top-ups")], afterRegistration: [task("withdrawals")] },
    once: undefined,
    vault: "0x1111111111111111111111111111111111111111",
    registration: true,
    harvest: true,
    rotation: true,
    oracleTimeoutMs: 1000,
    ...overrides,
  } as SlotTasksOptions<never>;
  const deps = {
    network: {} as never,
    signer: {} as never,
    sender: {} as never,
    metrics: createMetrics({ network: "hoodi" }),
    log: memoryLogger(),
    dryRun: { registrations: [], sends: [] },
    consensus: {} as never,
    execution: {} as never,
    keeperEvents: {} as never,
    oracles: async () => ({}) as never,
  } as SlotTasksDeps;
  return slotTasks(options, deps).map((t) => t.name);
}

describe("slotTasks", () => {
  it("the service: top-ups, registration, harvest, exit-signature rotation, withdrawals", () => {
    assert.deepEqual(names({}), ["top-ups", "registration", "harvest", "exit-signatures", "withdrawals"]);
  });

  it("no rotation with a relayer's keys; no registration or harvest when turned off", () => {
    assert.deepEqual(names({ rotation: false, registration: false, harvest: false }), [
      "top-ups",
      "withdrawals",
    ]);
  });

  it("status plans the top-ups and the registration; a dry run all but the rotation", () => {
    assert.deepEqual(names({ once: "status" }), ["top-ups", "registration"]);
    assert.deepEqual(names({ once: "dry-run" }), ["top-ups", "registration", "harvest", "withdrawals"]);
  });
});
