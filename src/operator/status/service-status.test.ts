import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import { OperatorError } from "../../lib/errors.ts";
import { OK, waitingFor } from "./outcome.ts";
import { createServiceStatus } from "./service-status.ts";

const EPOCH_MS = 384_000;

function setup() {
  let time = 1_000_000;
  const log = memoryLogger({ now: () => time });
  const exceptions: string[] = [];
  const waiting = new Map<string, number>();
  const failedRounds: number[] = [];
  const status = createServiceStatus({
    log,
    metrics: {
      exceptions: { inc: ({ task }) => exceptions.push(task) },
      waiting: { set: ({ task, reason }, value) => waiting.set(`${task}/${reason}`, value) },
      failedRounds: { set: (value) => failedRounds.push(value) },
    },
    repeatMs: EPOCH_MS,
    unhealthyAfterRounds: 3,
    now: () => time,
  });
  const slot = (ms = 12_000) => {
    time += ms;
  };
  const waitingOn = () => [...waiting].filter(([, v]) => v === 1).map(([k]) => k);
  return { status, log, exceptions, waitingOn, failedRounds, slot };
}

describe("service status", () => {
  it("says what a task waits for when that changes, not every slot", () => {
    const { status, log, slot } = setup();
    const assets = waitingFor("assets", "the vault has 3 ETH to stake and a validator needs 32 ETH");
    for (let i = 0; i < 100; i++) {
      status.record("registration", assets);
      slot();
    }
    status.record("registration", OK);
    status.record("registration", waitingFor("keys", "all 2 keys are registered"));
    assert.deepEqual(log.lines(), ["info waiting for assets", "warn waiting for validator keys"]);
    assert.equal(log.entries[0]?.context.reason, "the vault has 3 ETH to stake and a validator needs 32 ETH");
    assert.equal(log.entries[0]?.context.task, "registration");
  });

  it("repeats a wait the operator must act on at most once per epoch, with how long it lasts", () => {
    const { status, log, slot } = setup();
    const funds = waitingFor("funds", "the hot wallet 0xabc has 0 ETH");
    // One slot a second for 2.5 epochs: told at once, then after each full epoch.
    for (let s = 0; s < 960; s++) {
      status.record("registration", funds);
      slot(1_000);
    }
    assert.deepEqual(log.lines(), [
      "warn waiting for hot wallet funds",
      "warn waiting for hot wallet funds",
      "warn waiting for hot wallet funds",
    ]);
    assert.equal(log.entries[0]?.context.waitingSeconds, undefined);
    assert.equal(log.entries[1]?.context.waitingSeconds, 384);
    assert.equal(log.entries[2]?.context.waitingSeconds, 768);
  });

  it("never counts waiting as an exception or a failed round, and sets the waiting metric", () => {
    const { status, exceptions, waitingOn, failedRounds } = setup();
    for (const reason of [
      "assets",
      "keys",
      "deposit-data",
      "oracles",
      "gas",
      "funds",
      "transaction",
    ] as const) {
      status.record("registration", waitingFor(reason, "why"));
      status.endRound();
      assert.deepEqual(waitingOn(), [`registration/${reason}`]);
    }
    status.record("registration", OK);
    assert.deepEqual(waitingOn(), []);
    assert.deepEqual(exceptions, []);
    assert.ok(failedRounds.every((n) => n === 0));
    assert.deepEqual(status.health().problems, []);
  });

  it("counts failures, warns at once and then once per epoch, and says when the task works again", () => {
    const { status, log, exceptions, slot } = setup();
    const error = new OperatorError("cannot fetch the oracle config from IPFS", { retryable: true });
    for (let s = 0; s < 40; s++) {
      status.record("registration", { kind: "failed", error });
      slot();
    }
    status.record("registration", OK);
    assert.equal(exceptions.length, 40);
    assert.deepEqual(log.lines(), [
      "warn registration failed",
      "warn registration failed",
      "info registration works again",
    ]);
    assert.equal(log.entries[0]?.error?.message, "cannot fetch the oracle config from IPFS");
    assert.equal(log.entries[1]?.context.failures, 33);
    assert.equal(log.entries[2]?.context.failures, 40);
  });

  it("is unhealthy after N rounds in a row with a failed task, healthy again after one without", () => {
    const { status, log, failedRounds } = setup();
    const error = new Error("connect ECONNREFUSED 127.0.0.1:8545");
    for (let round = 1; round <= 3; round++) {
      status.record("wallet", OK);
      status.record("registration", { kind: "failed", error });
      status.endRound();
      if (round < 3) assert.deepEqual(status.health().problems, [], `round ${round}`);
    }
    assert.deepEqual(status.health().problems, [
      "the last 3 rounds failed (registration: connect ECONNREFUSED 127.0.0.1:8545)",
    ]);
    assert.equal(status.health().tasks.registration?.state, "failed");
    assert.equal(status.health().tasks.registration?.failures, 3);
    status.record("registration", waitingFor("assets", "no assets"));
    status.endRound();
    assert.deepEqual(status.health().problems, []);
    assert.deepEqual(log.lines().slice(-2), ["info registration works again", "info waiting for assets"]);
    assert.deepEqual(failedRounds, [1, 2, 3, 0]);
    assert.deepEqual(status.health().tasks.registration, {
      state: "waiting",
      since: status.health().tasks.registration?.since,
      waitingFor: "assets",
      reason: "no assets",
    });
  });
});
