import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type EndpointHealth, relayerHealth, type UpkeepLiveness } from "./health.ts";

const SLOT = 12;
const up: EndpointHealth = { check: async () => {}, problems: () => [], states: () => [] };
const store = { ping: async () => {} };

describe("relayerHealth", () => {
  it("is healthy while the store and endpoints answer and the upkeep ran recently", async () => {
    const liveness: UpkeepLiveness = { startedAt: 0, lastSuccessAt: 50_000, lastError: undefined };
    const report = await relayerHealth({
      liveness,
      secondsPerSlot: SLOT,
      store,
      endpoints: up,
      now: () => 60_000,
    });
    assert.equal(report.ok, true);
    assert.equal(report.details?.reason, undefined);
  });

  it("says why in one line: a stalled upkeep with its last error, a dead store, no endpoint", async () => {
    const liveness: UpkeepLiveness = {
      startedAt: 0,
      lastSuccessAt: 0,
      lastError: "finalized block: timeout",
    };
    const report = await relayerHealth({
      liveness,
      secondsPerSlot: SLOT,
      store: {
        ping: async () => {
          throw new Error("database is closed");
        },
      },
      endpoints: { ...up, problems: () => ["no consensus endpoint answers: http://cl:5052 timeout"] },
      now: () => 6 * SLOT * 1000,
    });
    assert.equal(report.ok, false);
    assert.equal(
      report.details?.reason,
      "the relayer's database does not answer: database is closed; no consensus endpoint answers: http://cl:5052 timeout; no upkeep pass completed for 72 s (limit 5 slots); last error: finalized block: timeout",
    );
  });

  it("gives a fresh process the same grace from its start", async () => {
    const liveness: UpkeepLiveness = { startedAt: 1_000, lastSuccessAt: undefined, lastError: undefined };
    const early = await relayerHealth({
      liveness,
      secondsPerSlot: SLOT,
      store,
      endpoints: undefined,
      now: () => 30_000,
    });
    assert.equal(early.ok, true);
    const late = await relayerHealth({
      liveness,
      secondsPerSlot: SLOT,
      store,
      endpoints: undefined,
      now: () => 70_000,
    });
    assert.equal(late.ok, false);
  });
});
