import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLatestEventSource } from "./latest-event.ts";

/** A fake chain: events at given blocks; records every [from, to] asked. */
function chain(events: Map<bigint, string>) {
  const calls: Array<[bigint, bigint]> = [];
  const fetchLogs = async (from: bigint, to: bigint) => {
    calls.push([from, to]);
    return [...events.entries()].filter(([b]) => b >= from && b <= to).map(([, name]) => name);
  };
  return { calls, fetchLogs };
}

describe("createLatestEventSource", () => {
  it("finds the last event and scans settled blocks only once", async () => {
    const c = chain(
      new Map([
        [10n, "a"],
        [500n, "b"],
      ]),
    );
    const source = createLatestEventSource({ fromBlock: 5n, fetchLogs: c.fetchLogs, reorgDepth: 10n });
    assert.equal(await source.latest(1000n), "b");
    const scanned = c.calls.length;
    assert.equal(await source.latest(1001n), "b");
    // Second call: one settled block (991) and the 10 fresh ones, nothing from genesis again.
    assert.deepEqual(c.calls.slice(scanned), [
      [991n, 991n],
      [992n, 1001n],
    ]);
  });

  it("sees an event in the fresh window, and forgets it when a reorg removes it", async () => {
    const events = new Map([[10n, "a"]]);
    const c = chain(events);
    const source = createLatestEventSource({ fromBlock: 0n, fetchLogs: c.fetchLogs, reorgDepth: 10n });
    assert.equal(await source.latest(100n), "a");
    events.set(95n, "new");
    assert.equal(await source.latest(100n), "new");
    events.delete(95n);
    assert.equal(await source.latest(100n), "a");
  });

  it("answers undefined when there is none, also before the first settled block", async () => {
    const c = chain(new Map());
    const source = createLatestEventSource({ fromBlock: 100n, fetchLogs: c.fetchLogs, reorgDepth: 64n });
    assert.equal(await source.latest(120n), undefined);
    assert.deepEqual(c.calls, [[100n, 120n]]);
    assert.equal(await source.latest(50n), undefined);
  });

  it("lets concurrent callers share one settling scan", async () => {
    const c = chain(new Map([[7n, "x"]]));
    const source = createLatestEventSource({ fromBlock: 0n, fetchLogs: c.fetchLogs, reorgDepth: 1n });
    const [a, b] = await Promise.all([source.latest(50n), source.latest(50n)]);
    assert.equal(a, "x");
    assert.equal(b, "x");
    assert.equal(c.calls.filter(([from]) => from === 0n).length, 1);
  });
});
