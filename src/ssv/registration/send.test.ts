import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import { silentLogger } from "../../lib/logger.ts";
import type { TransactionRequest } from "../../operator/tx/transaction-sender.ts";
import type { ClusterSnapshot } from "../cluster.ts";
import { planSsvRegistration } from "./plan.ts";
import { type SsvRegistrationDeps, sendSsvRegistration } from "./send.ts";

const key = (n: number): Hex => `0x${n.toString(16).padStart(96, "0")}`;
const EMPTY: ClusterSnapshot = {
  validatorCount: 0,
  networkFeeIndex: 0n,
  index: 0n,
  active: true,
  balance: 0n,
};

/** A chain double: registered keys, a snapshot that moves with every registration, sent requests. */
function fakeChain(options: { registered?: Hex[]; settled?: boolean; lose?: Hex } = {}) {
  const registered = new Set(options.registered ?? []);
  let snapshot = EMPTY;
  let nonce = registered.size;
  const sent: TransactionRequest[] = [];
  const checked: ClusterSnapshot[] = [];
  let pendingKeys: readonly Hex[] = [];
  const deps: SsvRegistrationDeps = {
    sender: {
      settle: async () => options.settled ?? true,
      send: async (request) => {
        sent.push(request);
        if (request.kind === "ssv-register") {
          for (const k of pendingKeys) if (k !== options.lose) registered.add(k);
          nonce += pendingKeys.length;
          snapshot = { ...snapshot, validatorCount: snapshot.validatorCount + pendingKeys.length };
        }
        return {
          transactionHash: `0x${String(sent.length).padStart(64, "0")}`,
          blockNumber: 1n,
          status: "success",
        };
      },
    },
    freshState: async () => ({ snapshot, nonce }),
    checkSnapshot: async (_, s) => {
      checked.push(s);
    },
    isRegistered: async (k) => registered.has(k),
    sharesData: async (keys, _, first) =>
      keys.map((_, i) => `0x${(first + i).toString(16).padStart(2, "0")}` as Hex),
    registerCall: (p) => {
      pendingKeys = p.keys;
      return {
        to: "0x00000000000000000000000000000000000000aa",
        data: `0x${p.sharesData.map((s) => s.slice(2)).join("")}`,
        value: 0n,
      };
    },
    approveCall: () => ({ to: "0x00000000000000000000000000000000000000bb", data: "0x01", value: 0n }),
    log: silentLogger(),
  };
  return { deps, sent, checked, registered };
}

const plan = (keys: Hex[], nonce = 0) =>
  planSsvRegistration({
    owner: "0x1111111111111111111111111111111111111111",
    era: "ssv-token",
    keys,
    operatorIds: [1n, 2n, 3n, 4n],
    existingCluster: false,
    nonce,
    bulkLimit: 2,
    amount: 100n,
    runwayDays: 30,
    funds: { ssv: 100n, allowance: 0n, eth: 0n },
  });

describe("sendSsvRegistration", () => {
  it("approves, then registers chunk by chunk with fresh snapshots and nonces, and checks the chain after", async () => {
    const chain = fakeChain();
    const result = await sendSsvRegistration(plan([key(1), key(2), key(3)]), chain.deps);
    assert.deepEqual(
      chain.sent.map((r) => r.kind),
      ["ssv-approve", "ssv-register", "ssv-register"],
    );
    assert.deepEqual(chain.sent[1]?.publicKeys, [key(1), key(2)]);
    assert.equal(
      chain.sent[2]?.data,
      "0x02",
      "the second chunk's shares use the nonce after the first chunk's",
    );
    assert.deepEqual(
      chain.checked.map((s) => s.validatorCount),
      [0, 2],
    );
    assert.deepEqual(result.registered, [key(1), key(2), key(3)]);
  });

  it("skips keys already on SSV (a re-run after a crash) and passes their funding on", async () => {
    const chain = fakeChain({ registered: [key(1), key(2)] });
    const result = await sendSsvRegistration(plan([key(1), key(2), key(3)]), chain.deps);
    assert.deepEqual(result.skipped, [key(1), key(2)]);
    assert.deepEqual(
      chain.sent.map((r) => r.kind),
      ["ssv-approve", "ssv-register"],
    );
    assert.equal(chain.sent[1]?.data, "0x02", "nonce 2: two ValidatorAdded before");
    assert.deepEqual(result.registered, [key(3)]);
  });

  it("sends nothing while an earlier transaction is pending", async () => {
    const chain = fakeChain({ settled: false });
    await assert.rejects(sendSsvRegistration(plan([key(1)]), chain.deps), /still pending/);
    assert.equal(chain.sent.length, 0);
  });

  it("stops when a stale snapshot is refused by the chain", async () => {
    const chain = fakeChain();
    chain.deps.checkSnapshot = async () => {
      throw new Error("IncorrectClusterState");
    };
    await assert.rejects(sendSsvRegistration(plan([key(1)]), chain.deps), /IncorrectClusterState/);
    assert.deepEqual(
      chain.sent.map((r) => r.kind),
      ["ssv-approve"],
    );
  });

  it("fails when a mined registration left a key off SSV", async () => {
    const chain = fakeChain({ lose: key(2) });
    await assert.rejects(
      sendSsvRegistration(plan([key(1), key(2)]), chain.deps),
      /validator 0x0+2 is not on SSV/,
    );
  });
});
