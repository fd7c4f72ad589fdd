import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import type { VaultFlow } from "../flows/vault-flow.ts";
import type { SlotSnapshot } from "../snapshot.ts";
import { HotWalletFundsError, type TransactionSender } from "../tx/transaction-sender.ts";
import { createHarvestTask, HARVEST_GAS_FLOOR } from "./harvest-task.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const PARAMS = { rewardsRoot: `0x${"11".repeat(32)}`, reward: 5n, unlockedMevReward: 0n, proof: [] } as const;
const flow = { harvest: () => ({ kind: "harvest", to: VAULT, data: "0x02" }) } as unknown as VaultFlow;
const snapshot = (due: boolean) =>
  ({
    harvest: due ? { params: PARAMS, assetsAfter: 1n } : undefined,
    fees: { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n },
    balance: 1n,
  }) as SlotSnapshot;

function sender(calls: string[], fail?: Error): TransactionSender {
  return {
    checkCanPay: (_s, gas, kind) => {
      calls.push(`check ${kind} ${gas}`);
      if (fail) throw fail;
    },
    send: async (request) => {
      calls.push(`send ${request.kind} ${request.data}`);
      return { transactionHash: `0x${"cd".repeat(32)}`, blockNumber: 3n, status: "success" };
    },
    settle: async () => true,
  };
}

describe("harvest task", () => {
  it("sends a due harvest on its own, through the one sender", async () => {
    const calls: string[] = [];
    const log = memoryLogger();
    const round = { snapshot: snapshot(true), harvested: false };
    const outcome = await createHarvestTask({ flow, sender: sender(calls), log }).run(
      round,
      new AbortController().signal,
    );
    assert.deepEqual(outcome, { kind: "ok" });
    assert.deepEqual(calls, [`check harvest ${HARVEST_GAS_FLOOR}`, "send harvest 0x02"]);
    assert.equal(round.harvested, true);
    assert.deepEqual(log.lines(), ["info vault harvested"]);
  });

  it("does nothing when no harvest is due or a registration of the slot carried it", async () => {
    const calls: string[] = [];
    const task = createHarvestTask({ flow, sender: sender(calls), log: memoryLogger() });
    await task.run({ snapshot: snapshot(false), harvested: false }, new AbortController().signal);
    await task.run({ snapshot: snapshot(true), harvested: true }, new AbortController().signal);
    assert.deepEqual(calls, []);
  });

  it("waits for the hot wallet's funds instead of failing", async () => {
    const calls: string[] = [];
    const error = new HotWalletFundsError("the hot wallet has 0 ETH");
    const task = createHarvestTask({ flow, sender: sender(calls, error), log: memoryLogger() });
    const outcome = await task.run(
      { snapshot: snapshot(true), harvested: false },
      new AbortController().signal,
    );
    assert.deepEqual(outcome, { kind: "waiting", for: "funds", reason: error.message });
  });
});
