import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFundingHistory, type FundingEvent } from "./funding-history.ts";

const key = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}` as `0x${string}`;
/** Block n is at 1000 + 12·n seconds. */
const timeOf = (block: bigint) => 1000 + 12 * Number(block);

/** A chain of events the test can rewrite (a reorg), which records every range and block asked for. */
function fakeChain(initial: FundingEvent[]) {
  let events = initial;
  const ranges: string[] = [];
  const timesAsked: bigint[] = [];
  return {
    ranges,
    timesAsked,
    set: (next: FundingEvent[]) => {
      events = next;
    },
    history: createFundingHistory({
      fromBlock: 10n,
      reorgDepth: 5n,
      fetchEvents: async (from, to) => {
        ranges.push(`${from}-${to}`);
        return events.filter((e) => e.blockNumber >= from && e.blockNumber <= to);
      },
      blockTime: async (block) => {
        timesAsked.push(block);
        return timeOf(block);
      },
    }),
  };
}

const head = (n: bigint) => ({ number: n, timestamp: timeOf(n) });

describe("funding history", () => {
  it("tracks registered keys and consolidation targets, and each key's last deposit", async () => {
    const chain = fakeChain([
      { kind: "deposit", publicKey: key(1).toUpperCase().replace("0X", "0x"), blockNumber: 20n },
      { kind: "deposit", publicKey: key(2), blockNumber: 30n },
      { kind: "target", publicKey: key(3), blockNumber: 40n },
      { kind: "deposit", publicKey: key(1), blockNumber: 95n },
    ]);
    // A delay of 60 s: only deposits less than 60 blocks deep can be that recent.
    const h = await chain.history.read(head(100n), 60, undefined);
    assert.deepEqual(h.keys.sort(), [key(1), key(2), key(3)]);
    assert.deepEqual([...h.lastDepositAt], [[key(1), timeOf(95n)]]);
    assert.deepEqual(chain.timesAsked, [95n]);
  });

  it("reads settled blocks once and the newest ones every time; a reorged event is not kept", async () => {
    const chain = fakeChain([
      { kind: "deposit", publicKey: key(1), blockNumber: 20n },
      { kind: "deposit", publicKey: key(2), blockNumber: 98n },
    ]);
    const first = await chain.history.read(head(100n), 3600, undefined);
    assert.deepEqual(first.keys.sort(), [key(1), key(2)]);
    assert.deepEqual(chain.ranges, ["10-95", "96-100"]);

    // A reorg drops the deposit of block 98; the next read sees the chain as it is now.
    chain.set([{ kind: "deposit", publicKey: key(1), blockNumber: 20n }]);
    chain.ranges.length = 0;
    const second = await chain.history.read(head(101n), 3600, undefined);
    assert.deepEqual(second.keys, [key(1)]);
    assert.deepEqual(second.lastDepositAt.has(key(2)), false);
    assert.deepEqual(chain.ranges, ["96-96", "97-101"]);
  });

  it("asks a settled block's time once", async () => {
    const chain = fakeChain([{ kind: "deposit", publicKey: key(1), blockNumber: 50n }]);
    await chain.history.read(head(100n), 3600, undefined);
    await chain.history.read(head(101n), 3600, undefined);
    assert.deepEqual(chain.timesAsked, [50n]);
  });
});
