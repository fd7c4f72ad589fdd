import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import { NotEnoughOracleApprovalsError } from "../../oracles/oracle-client.ts";
import type { RegistrationPlan, VaultFlow } from "../flows/vault-flow.ts";
import type { SlotSnapshot } from "../snapshot.ts";
import {
  GasPriceTooHighError,
  HotWalletFundsError,
  type TransactionRequest,
  type TransactionSender,
} from "../tx/transaction-sender.ts";
import { createRegistrationTask } from "./registration-task.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const SNAPSHOT = { fees: { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }, balance: 1n } as SlotSnapshot;

/** A flow that plans what the test says and prepares a fixed transaction; its calls are logged. */
function fakeFlow(plan: RegistrationPlan<string>, prepare?: () => Promise<void>) {
  const calls: string[] = [];
  const flow: VaultFlow<string> = {
    name: "fake flow",
    plan: () => {
      calls.push("plan");
      return plan;
    },
    unusedKeys: () => 0,
    planned: () => [],
    gasFloor: (validators) => BigInt(validators) * 1000n,
    async prepare(p) {
      calls.push(`prepare ${p.payload}`);
      await prepare?.();
      return {
        request: { kind: "registration", to: VAULT, data: "0x01", publicKeys: ["0xaa", "0xbb"] },
        validators: 2,
        harvests: true,
        oracleFailures: [{ oracle: VAULT, reason: "answered HTTP 503" }],
      };
    },
    harvest: () => ({ kind: "harvest", to: VAULT, data: "0x02" }),
  };
  return { flow, calls };
}

function fakeSender(calls: string[], send?: () => Promise<void>, check?: () => void): TransactionSender {
  return {
    checkCanPay: (_state, gasFloor, kind) => {
      calls.push(`check ${kind} ${gasFloor}`);
      check?.();
    },
    async send(request: TransactionRequest) {
      calls.push(`send ${request.kind}`);
      await send?.();
      return { transactionHash: `0x${"ab".repeat(32)}`, blockNumber: 9n, status: "success" };
    },
    settle: async () => true,
  };
}

function metricsDouble() {
  const counts: Record<string, number> = {};
  const inc = (name: string) => (labels?: unknown, value?: number) => {
    const key = typeof labels === "object" && labels ? `${name} ${Object.values(labels).join(",")}` : name;
    counts[key] = (counts[key] ?? 0) + (typeof labels === "number" ? labels : (value ?? 1));
  };
  return {
    counts,
    metrics: {
      registrations: { inc: inc("registrations") },
      validatorsRegistered: { inc: inc("validators") },
      lastRegistrationBlock: { set: (v: number) => (counts.lastBlock = v) },
      oracleFailures: { inc: inc("oracleFailures") },
    } as never,
  };
}

const register: RegistrationPlan<string> = {
  kind: "register",
  validators: 2,
  firstDepositIndex: 4,
  payload: "keys 4-5",
};

describe("registration task", () => {
  it("plans, checks fees and funds before any oracle is asked, prepares, sends; the harvest is spent", async () => {
    const { flow, calls } = fakeFlow(register);
    const { counts, metrics } = metricsDouble();
    const log = memoryLogger();
    const task = createRegistrationTask({ flow, sender: fakeSender(calls), metrics, log });
    const round = { snapshot: SNAPSHOT, harvested: false };
    assert.deepEqual(await task.run(round, new AbortController().signal), { kind: "ok" });
    assert.deepEqual(calls, ["plan", "check registration 2000", "prepare keys 4-5", "send registration"]);
    assert.equal(round.harvested, true);
    assert.deepEqual(counts, {
      "registrations success": 1,
      validators: 2,
      lastBlock: 9,
      [`oracleFailures ${VAULT}`]: 1,
    });
    assert.deepEqual(log.lines(), ["warn oracle did not approve", "info validators registered"]);
    assert.deepEqual(log.entries[1]?.context, {
      count: 2,
      firstDepositIndex: 4,
      txHash: `0x${"ab".repeat(32)}`,
      block: 9,
    });
  });

  it("with dryRun: hands the planned registration over after the funds check, and never prepares or sends", async () => {
    const { flow, calls } = fakeFlow(register);
    flow.planned = (plan) => {
      calls.push(`planned ${plan.payload}`);
      return [{ publicKey: "0xaa", amountGwei: 32_000_000_000n, depositDataPosition: 4 }];
    };
    const { counts, metrics } = metricsDouble();
    const planned: unknown[] = [];
    const task = createRegistrationTask({
      flow,
      sender: fakeSender(calls),
      metrics,
      log: memoryLogger(),
      dryRun: (registration) => planned.push(registration),
    });
    const round = { snapshot: SNAPSHOT, harvested: false };
    assert.deepEqual(await task.run(round, new AbortController().signal), { kind: "ok" });
    assert.deepEqual(calls, ["plan", "check registration 2000", "planned keys 4-5"]);
    assert.deepEqual(planned, [
      {
        flow: "fake flow",
        validators: [{ publicKey: "0xaa", amountGwei: 32_000_000_000n, depositDataPosition: 4 }],
        firstDepositIndex: 4,
        harvests: false,
        gasFloor: 2000n,
        fees: SNAPSHOT.fees,
        balance: 1n,
      },
    ]);
    assert.equal(round.harvested, false);
    assert.deepEqual(counts, {});
  });

  it("passes the flow's wait on, touching nothing", async () => {
    const { flow, calls } = fakeFlow({ kind: "wait", for: "assets", reason: "the vault has 3 ETH" });
    const task = createRegistrationTask({
      flow,
      sender: fakeSender(calls),
      ...metricsDouble(),
      log: memoryLogger(),
    });
    assert.deepEqual(await task.run({ snapshot: SNAPSHOT, harvested: false }, new AbortController().signal), {
      kind: "waiting",
      for: "assets",
      reason: "the vault has 3 ETH",
    });
    assert.deepEqual(calls, ["plan"]);
  });

  it("waits, and counts no failure, for gas, funds and oracles", async () => {
    const cases = [
      { error: new GasPriceTooHighError("gas price 200 gwei is above the cap"), at: "check", for: "gas" },
      { error: new HotWalletFundsError("the hot wallet has 0 ETH"), at: "send", for: "funds" },
      {
        error: new NotEnoughOracleApprovalsError("1 oracle approvals agree, 2 required"),
        at: "prepare",
        for: "oracles",
      },
    ] as const;
    for (const c of cases) {
      const raise = async () => {
        throw c.error;
      };
      const { flow, calls } = fakeFlow(register, c.at === "prepare" ? raise : undefined);
      const sender = fakeSender(
        calls,
        c.at === "send" ? raise : undefined,
        c.at === "check"
          ? () => {
              throw c.error;
            }
          : undefined,
      );
      const { counts, metrics } = metricsDouble();
      const task = createRegistrationTask({ flow, sender, metrics, log: memoryLogger() });
      const outcome = await task.run({ snapshot: SNAPSHOT, harvested: false }, new AbortController().signal);
      assert.deepEqual(outcome, { kind: "waiting", for: c.for, reason: c.error.message });
      assert.equal(counts["registrations failure"], undefined, c.for);
    }
  });

  it("counts and throws any other failure", async () => {
    const { flow, calls } = fakeFlow(register);
    const { counts, metrics } = metricsDouble();
    const sender = fakeSender(calls, async () => {
      throw new Error("registration transaction reverted");
    });
    const task = createRegistrationTask({ flow, sender, metrics, log: memoryLogger() });
    const round = { snapshot: SNAPSHOT, harvested: false };
    await assert.rejects(task.run(round, new AbortController().signal), /reverted/);
    assert.equal(counts["registrations failure"], 1);
    assert.equal(round.harvested, false);
  });

  it("plans from the stakeable assets an earlier task of the slot did not reserve (a top-up)", async () => {
    const seen: bigint[] = [];
    const { flow } = fakeFlow({ kind: "wait", for: "assets", reason: "too little" });
    const plan = flow.plan.bind(flow);
    flow.plan = (snapshot) => {
      seen.push(snapshot.stakeable);
      return plan(snapshot);
    };
    const { metrics } = metricsDouble();
    const task = createRegistrationTask({ flow, sender: fakeSender([]), metrics, log: memoryLogger() });
    const snapshot = { ...SNAPSHOT, stakeable: 80n };
    await task.run({ snapshot, harvested: false, reservedWei: 50n }, new AbortController().signal);
    await task.run({ snapshot, harvested: false, reservedWei: 90n }, new AbortController().signal);
    await task.run({ snapshot, harvested: false }, new AbortController().signal);
    assert.deepEqual(seen, [30n, 0n, 80n]);
  });

  it("does not carry a harvest an earlier transaction of the slot already made", async () => {
    const harvests: boolean[] = [];
    const { flow } = fakeFlow(register);
    flow.plan = (snapshot) => {
      harvests.push(snapshot.harvest !== undefined);
      return { kind: "wait", for: "assets", reason: "too little" };
    };
    const { metrics } = metricsDouble();
    const task = createRegistrationTask({ flow, sender: fakeSender([]), metrics, log: memoryLogger() });
    const snapshot = { ...SNAPSHOT, stakeable: 1n, harvest: { params: {} as never, assetsAfter: 1n } };
    await task.run({ snapshot, harvested: true }, new AbortController().signal);
    await task.run({ snapshot, harvested: false }, new AbortController().signal);
    assert.deepEqual(harvests, [false, true]);
  });
});
