import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import type { EndpointStatus } from "../../chain/endpoints.ts";
import { createEndpointWatch, type EndpointKind, type WatchedEndpoint } from "./endpoint-watch.ts";

const EPOCH_MS = 96_000;

function setup() {
  let time = 0;
  const log = memoryLogger({ now: () => time });
  const answers = new Map<string, EndpointStatus>();
  const up = new Map<string, number>();
  const endpoint = (kind: EndpointKind, url: string): WatchedEndpoint => {
    answers.set(url, { endpoint: url, healthy: true });
    return { kind, endpoint: url, check: async () => answers.get(url) as EndpointStatus };
  };
  const watch = createEndpointWatch({
    endpoints: [
      endpoint("execution", "http://el-1:8545"),
      endpoint("execution", "http://el-2:8545"),
      endpoint("consensus", "http://cl-1:5052"),
    ],
    log,
    metrics: { endpointUp: { set: ({ kind, endpoint }, value) => up.set(`${kind} ${endpoint}`, value) } },
    repeatMs: EPOCH_MS,
    now: () => time,
  });
  const down = (url: string, problem: string) => answers.set(url, { endpoint: url, healthy: false, problem });
  const back = (url: string) => answers.set(url, { endpoint: url, healthy: true });
  const tick = async (ms = 12_000) => {
    await watch.check();
    time += ms;
  };
  return { watch, log, up, down, back, tick };
}

describe("endpoint watch", () => {
  it("says once when an endpoint goes down and why, again once per epoch, and once when it is back", async () => {
    const { watch, log, up, down, back, tick } = setup();
    await tick();
    assert.deepEqual(log.lines(), [], "no news while every endpoint answers");
    down("http://el-1:8545", "refused the connection");
    for (let i = 0; i < 10; i++) await tick();
    back("http://el-1:8545");
    await tick();
    assert.deepEqual(log.lines(), [
      "warn execution endpoint is down",
      "warn execution endpoint is down",
      "info execution endpoint answers again",
    ]);
    assert.deepEqual(log.entries[0]?.context, {
      endpoint: "http://el-1:8545",
      problem: "refused the connection",
    });
    assert.equal(log.entries[1]?.context.downSeconds, 96);
    assert.equal(up.get("execution http://el-1:8545"), 1);
    assert.deepEqual(watch.problems(), []);
  });

  it("tells a new reason at once", async () => {
    const { log, down, tick } = setup();
    down("http://cl-1:5052", "timed out after 5 s");
    await tick();
    down("http://cl-1:5052", "is syncing (120 slots behind)");
    await tick();
    assert.deepEqual(
      log.entries.map((e) => e.context.problem),
      ["timed out after 5 s", "is syncing (120 slots behind)"],
    );
  });

  it("is a health problem only when every endpoint of a kind is down", async () => {
    const { watch, up, down, tick } = setup();
    down("http://el-1:8545", "refused the connection");
    await tick();
    assert.deepEqual(watch.problems(), [], "the second execution endpoint still answers");
    down("http://el-2:8545", "answered HTTP 502");
    down("http://cl-1:5052", "is not a beacon node: it answered HTTP 404 to /eth/v1/node/syncing");
    await tick();
    assert.deepEqual(watch.problems(), [
      "no execution endpoint answers: http://el-1:8545 refused the connection; http://el-2:8545 answered HTTP 502",
      "no consensus endpoint answers: http://cl-1:5052 is not a beacon node: it answered HTTP 404 to /eth/v1/node/syncing",
    ]);
    assert.equal(up.get("execution http://el-2:8545"), 0);
    assert.deepEqual(
      watch.states().map((s) => [s.kind, s.endpoint, s.up]),
      [
        ["execution", "http://el-1:8545", false],
        ["execution", "http://el-2:8545", false],
        ["consensus", "http://cl-1:5052", false],
      ],
    );
  });
});
