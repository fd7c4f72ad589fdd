import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import {
  InsufficientSsvFundsError,
  planLines,
  planSsvRegistration,
  type SsvRegistrationPlanInputs,
} from "./plan.ts";

const key = (n: number): Hex => `0x${n.toString(16).padStart(96, "0")}`;
const ETHER = 10n ** 18n;
const base: SsvRegistrationPlanInputs = {
  owner: "0x1111111111111111111111111111111111111111",
  era: "ssv-token",
  keys: [key(1), key(2), key(3)],
  operatorIds: [5n, 6n, 9n, 12n],
  existingCluster: false,
  nonce: 4,
  bulkLimit: 2,
  amount: 3n * ETHER,
  runwayDays: 30,
  funds: { ssv: 10n * ETHER, allowance: 0n, eth: ETHER },
};

describe("planSsvRegistration", () => {
  it("chunks by the bulk limit, nonces running on, the funding with the first chunk", () => {
    const plan = planSsvRegistration(base);
    assert.deepEqual(
      plan.chunks.map((c) => [c.keys.length, c.firstNonce, c.amount]),
      [
        [2, 4, 3n * ETHER],
        [1, 6, 0n],
      ],
    );
    assert.equal(plan.approve, 3n * ETHER);
  });

  it("approves only when the allowance is short, and never in the ETH era", () => {
    assert.equal(
      planSsvRegistration({ ...base, funds: { ...base.funds, allowance: 3n * ETHER } }).approve,
      undefined,
    );
    const eth = planSsvRegistration({ ...base, era: "eth", funds: { eth: 5n * ETHER } });
    assert.equal(eth.approve, undefined);
    assert.equal(eth.amount, 3n * ETHER);
  });

  it("refuses too little SSV or ETH in one line saying how much is needed and held", () => {
    assert.throws(
      () => planSsvRegistration({ ...base, funds: { ssv: ETHER, eth: ETHER } }),
      (error: unknown) =>
        error instanceof InsufficientSsvFundsError &&
        /has 1 SSV and registering 3 validators with a 30-day runway needs 3 SSV: send 2 SSV/.test(
          error.message,
        ),
    );
    assert.throws(
      () => planSsvRegistration({ ...base, era: "eth", funds: { eth: 2n * ETHER } }),
      /has 2 ETH .* needs 3 ETH/,
    );
  });

  it("refuses no keys, a key twice, a bad bulk limit", () => {
    assert.throws(() => planSsvRegistration({ ...base, keys: [] }), /no keys/);
    assert.throws(() => planSsvRegistration({ ...base, keys: [key(1), key(1)] }), /twice/);
    assert.throws(() => planSsvRegistration({ ...base, bulkLimit: 0 }), /bulk limit/);
  });

  it("prints the cluster, why, the funding and every call", () => {
    const lines = planLines(planSsvRegistration(base), ["operator 5: fee 1"]);
    assert.match(
      lines.join("\n"),
      /Cluster 5,6,9,12 \(new\):\n {2}operator 5: fee 1\nFunding: 3 SSV\nCall: approve 3 SSV/,
    );
    assert.match(lines.join("\n"), /bulkRegisterValidator of 2 \(nonces 4\.\.5\), 3 SSV/);
    assert.match(lines.join("\n"), /registerValidator of 1 \(nonces 6\.\.6\), 0 SSV/);
  });
});
