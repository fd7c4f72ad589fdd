import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AllEndpointsFailedError } from "../lib/http/errors.ts";
import { type BlockRangeOptions, scanBlockRanges } from "./block-ranges.ts";

/** Runs a scan where `fails(from, to)` decides which requests fail; returns the ranges asked. */
async function run(options: BlockRangeOptions, fails: (from: bigint, to: bigint) => boolean = () => false) {
  const asked: string[] = [];
  const covered: string[] = [];
  for await (const chunk of scanBlockRanges(async (from, to) => {
    asked.push(`${from}-${to}`);
    if (fails(from, to)) throw new Error(`range ${from}-${to} too large`);
    return to - from + 1n;
  }, options)) {
    assert.equal(chunk.result, chunk.toBlock - chunk.fromBlock + 1n);
    covered.push(`${chunk.fromBlock}-${chunk.toBlock}`);
  }
  return { asked, covered };
}

describe("scanBlockRanges", () => {
  it("doubles the chunk after each success up to the ceiling, and ends at toBlock", async () => {
    const { covered } = await run({ fromBlock: 10n, toBlock: 60n, initialChunk: 4n, maxChunk: 16n });
    assert.deepEqual(covered, ["10-13", "14-21", "22-37", "38-53", "54-60"]);
  });

  it("halves after a failure and never grows past the failed size again", async () => {
    const { asked, covered } = await run(
      { fromBlock: 0n, toBlock: 39n, initialChunk: 16n, maxChunk: 64n, retryDelayMs: 0 },
      (from, to) => to - from + 1n > 8n,
    );
    assert.deepEqual(asked, ["0-15", "0-7", "8-15", "16-23", "24-31", "32-39"]);
    assert.deepEqual(covered, ["0-7", "8-15", "16-23", "24-31", "32-39"]);
  });

  it("retries the smallest chunk after a pause, and gives up after too many failures in a row", async () => {
    let failures = 0;
    const flaky = () => failures++ < 2;
    const { covered } = await run(
      { fromBlock: 0n, toBlock: 1n, initialChunk: 1n, minChunk: 1n, retries: 2, retryDelayMs: 1 },
      flaky,
    );
    assert.deepEqual(covered, ["0-0", "1-1"]);
    await assert.rejects(
      run({ fromBlock: 0n, toBlock: 5n, initialChunk: 4n, retries: 3, retryDelayMs: 1 }, () => true),
      /range 0-0 too large/,
    );
  });

  it('with unreachable: "throw", gives up at once when no endpoint answered (as viem wraps it), and only then', async () => {
    const outage = new AllEndpointsFailedError(
      "the execution endpoint failed",
      [{ endpoint: "http://node", error: new Error("HTTP 503"), reason: "answered HTTP 503" }],
      { retryable: true },
    );
    let asked = 0;
    const scan = (error: Error, unreachable?: "throw") =>
      (async () => {
        for await (const _ of scanBlockRanges(
          async () => {
            asked++;
            throw error;
          },
          {
            fromBlock: 0n,
            toBlock: 63n,
            initialChunk: 64n,
            retries: 3,
            retryDelayMs: 0,
            ...(unreachable ? { unreachable } : {}),
          },
        ));
      })();
    await assert.rejects(scan(new Error("request failed", { cause: outage }), "throw"), /request failed/);
    assert.equal(asked, 1, "one request, no halving, no retry");
    asked = 0;
    await assert.rejects(scan(new Error("range too large"), "throw"), /range too large/);
    assert.equal(asked, 4, "other failures halve and retry as before");
    asked = 0;
    await assert.rejects(scan(new Error("request failed", { cause: outage })));
    assert.equal(asked, 4, "by default an outage is retried like any failure");
  });

  it("an empty range asks nothing; an abort stops the scan", async () => {
    assert.deepEqual((await run({ fromBlock: 5n, toBlock: 4n })).asked, []);
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await assert.rejects(run({ fromBlock: 0n, toBlock: 5n, signal: controller.signal }), /stop/);
  });

  it("refuses nonsense chunk sizes", async () => {
    await assert.rejects(run({ fromBlock: 0n, toBlock: 5n, minChunk: 0n }), RangeError);
    await assert.rejects(run({ fromBlock: 0n, toBlock: 5n, minChunk: 10n, maxChunk: 5n }), RangeError);
  });
});
