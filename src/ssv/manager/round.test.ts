import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address, Hex } from "viem";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import { createServiceStatus } from "../../operator/status/service-status.ts";
import { HotWalletFundsError } from "../../operator/tx/transaction-sender.ts";
import { createSsvMetrics } from "../metrics.ts";
import type { ManagerAction } from "./actions.ts";
import { createManagerRound, type ManagerRoundParameters, type RoundReading } from "./round.ts";

const ESCROW = "0x00000000000000000000000000000000000000e5" as Address;
const pk = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}` as Hex;

const reading = (): RoundReading => ({
  view: {
    head: 100n,
    now: 0,
    clusters: [
      {
        key: "1,2,3,4",
        operatorIds: [1n, 2n, 3n, 4n],
        validators: [pk(1)],
        liquidated: false,
        balance: 10n,
        runwayDays: 3,
        amountForRunway: 50n,
      },
    ],
    operators: new Map(),
    keys: [
      { publicKey: pk(1), state: "on-ssv", lastRemovedBlock: undefined },
      { publicKey: pk(2), state: "next", lastRemovedBlock: undefined },
    ],
    feeRecipient: undefined,
    mevEscrow: ESCROW,
  },
  clusterMetrics: [{ key: "1,2,3,4", state: "active", runwayDays: 3, risk: "below-threshold" }],
  canReplace: () => ({ ok: true }),
  marketMedianFee: undefined,
});

function setup(over: Partial<ManagerRoundParameters> = {}) {
  const log = memoryLogger();
  const metrics = createSsvMetrics({ network: "devnet" });
  const status = createServiceStatus({ log, metrics, repeatMs: 1000, unhealthyAfterRounds: 3 });
  const acted: ManagerAction["kind"][] = [];
  const printed: string[] = [];
  const round = createManagerRound({
    settle: async () => true,
    read: async () => reading(),
    act: async (action) => {
      acted.push(action.kind);
      return "sent";
    },
    settings: {
      minRunwayDays: 30,
      reregisterDelayBlocks: 96n,
      maxMigrationsPerRound: 1,
      inactiveGraceMs: 1,
      feeFactor: 0,
    },
    dryRun: false,
    print: (line) => printed.push(line),
    status,
    metrics,
    log,
    now: () => 5_000,
    ...over,
  });
  return { round, acted, printed, metrics, status, log };
}

describe("createManagerRound", () => {
  it("acts in the decided order and records metrics", async () => {
    const { round, acted, metrics } = setup();
    await round(1, new AbortController().signal);
    assert.deepEqual(acted, ["set-fee-recipient", "deposit", "register"]);
    const text = await metrics.registry.metrics();
    assert.match(text, /sw_ssv_transactions_total\{kind="deposit",outcome="sent",network="devnet"\} 1/);
    assert.match(text, /sw_ssv_validators\{state="next",network="devnet"\} 1/);
    assert.match(text, /sw_ssv_last_round_timestamp_seconds\{network="devnet"\} 5/);
    assert.match(text, /sw_ssv_last_round_ok\{network="devnet"\} 1/);
  });

  it("--dry-run prints the actions and sends nothing", async () => {
    const { round, acted, printed } = setup({ dryRun: true });
    await round(1, new AbortController().signal);
    assert.deepEqual(acted, []);
    assert.deepEqual(
      printed.map((l) => JSON.parse(l).action),
      ["set-fee-recipient", "deposit", "register"],
    );
  });

  it("does nothing while a transaction sent earlier is open", async () => {
    let read = 0;
    const { round, acted, status } = setup({
      settle: async () => false,
      read: async () => {
        read += 1;
        return reading();
      },
    });
    await round(1, new AbortController().signal);
    assert.equal(read, 0);
    assert.deepEqual(acted, []);
    assert.equal(status.health().tasks["ssv-round"]?.waitingFor, "transaction");
  });

  it("stops at the first failing action; a failed read fails the round; lack of funds is a wait", async () => {
    const failing = setup({
      act: async (action) => {
        if (action.kind === "deposit") throw new Error("boom");
        failing.acted.push(action.kind);
        return "sent";
      },
    });
    await failing.round(1, new AbortController().signal);
    assert.deepEqual(failing.acted, ["set-fee-recipient"]);
    assert.equal(failing.status.health().tasks["ssv-round"]?.state, "failed");

    const unread = setup({ read: async () => Promise.reject(new Error("node down")) });
    await unread.round(1, new AbortController().signal);
    assert.equal(unread.status.health().tasks["ssv-round"]?.state, "failed");

    const poor = setup({
      act: async () =>
        Promise.reject(new HotWalletFundsError("the hot wallet has 0 ETH", { retryable: true })),
    });
    await poor.round(1, new AbortController().signal);
    assert.equal(poor.status.health().tasks["ssv-round"]?.waitingFor, "funds");
  });
});
