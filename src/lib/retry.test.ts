import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AbortedError } from "./aborted.ts";
import { OperatorError } from "./errors.ts";
import { backoffDelay, isRetryableError, type RetryDeps, retry } from "./retry.ts";

const transient = () => new OperatorError("rpc down", { retryable: true });
const fatal = () => new OperatorError("bad request");

/** Instant sleeps on a fake clock; records every wait. */
function fakeTime(start = 0): RetryDeps & { waits: number[]; time(): number } {
  let now = start;
  const waits: number[] = [];
  return {
    waits,
    time: () => now,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new AbortedError();
      waits.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
}

/** A function that fails with the given errors, then returns "ok". */
function failing(...errors: unknown[]) {
  const calls: number[] = [];
  const fn = async (attempt: number) => {
    calls.push(attempt);
    const error = errors.shift();
    if (error !== undefined) throw error;
    return "ok";
  };
  return { fn, calls };
}

const backoff = { initialMs: 100, factor: 2, maxMs: 1000 };

describe("retry", () => {
  it("returns the first success, backing off exponentially up to the cap", async () => {
    const time = fakeTime();
    const { fn, calls } = failing(transient(), transient(), transient(), transient(), transient());
    assert.equal(await retry(fn, { attempts: 6, backoff }, time), "ok");
    assert.deepEqual(calls, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(time.waits, [100, 200, 400, 800, 1000]);
  });

  it("gives up after `attempts` and throws the last error unchanged", async () => {
    const time = fakeTime();
    const last = transient();
    const { fn, calls } = failing(transient(), transient(), last);
    await assert.rejects(retry(fn, { attempts: 3, backoff }, time), (error) => error === last);
    assert.deepEqual(calls, [1, 2, 3]);
  });

  it("defaults to 3 attempts and the `retryable` flag", async () => {
    const time = fakeTime();
    const { fn, calls } = failing(transient(), transient(), transient(), transient());
    await assert.rejects(retry(fn, {}, time));
    assert.equal(calls.length, 3);
  });

  it("does not retry a non-retryable error", async () => {
    const time = fakeTime();
    const error = fatal();
    const { fn, calls } = failing(error);
    await assert.rejects(retry(fn, { attempts: 5 }, time), (e) => e === error);
    assert.deepEqual(calls, [1]);
    assert.deepEqual(time.waits, []);
  });

  it("uses a custom isRetryable", async () => {
    const time = fakeTime();
    const { fn } = failing(new Error("ECONNRESET"));
    assert.equal(await retry(fn, { isRetryable: (e) => String(e).includes("ECONNRESET") }, time), "ok");
  });

  it("stops before a wait that would reach the deadline", async () => {
    const time = fakeTime(10_000);
    const { fn, calls } = failing(...Array.from({ length: 20 }, transient));
    await assert.rejects(retry(fn, { untilMs: 10_000 + 1000, backoff }, time));
    // waits 100 + 200 + 400 = 700; the next (800) would end at 11_500 > deadline.
    assert.deepEqual(time.waits, [100, 200, 400]);
    assert.equal(calls.length, 4);
  });

  it("with both limits, stops at the first one reached", async () => {
    const time = fakeTime();
    const { fn, calls } = failing(...Array.from({ length: 20 }, transient));
    await assert.rejects(retry(fn, { attempts: 2, untilMs: 1_000_000, backoff }, time));
    assert.equal(calls.length, 2);
  });

  it("applies jitter below the nominal delay", () => {
    assert.equal(
      backoffDelay(1, { initialMs: 1000, maxMs: 10_000, jitter: 0.2 }, () => 0),
      1000,
    );
    assert.equal(
      backoffDelay(1, { initialMs: 1000, maxMs: 10_000, jitter: 0.2 }, () => 0.999),
      800,
    );
    assert.equal(backoffDelay(3, { initialMs: 1000, maxMs: 10_000, jitter: 0 }), 4000);
    assert.equal(backoffDelay(30, { initialMs: 1000, maxMs: 10_000 }), 10_000);
  });

  it("honours a retry-after hint, capped at the maximum", async () => {
    const time = fakeTime();
    const hinted = Object.assign(transient(), { retryAfterMs: 700 });
    const huge = Object.assign(transient(), { retryAfterMs: 3_600_000 });
    const { fn } = failing(hinted, huge);
    await retry(fn, { attempts: 3, backoff }, time);
    assert.deepEqual(time.waits, [700, 1000]);
  });

  it("reports each retry", async () => {
    const time = fakeTime();
    const events: [number, number][] = [];
    const { fn } = failing(transient(), transient());
    await retry(fn, { backoff, onRetry: (e) => events.push([e.attempt, e.delayMs]) }, time);
    assert.deepEqual(events, [
      [1, 100],
      [2, 200],
    ]);
  });

  it("rejects with AbortedError when aborted before, between or during attempts", async () => {
    await assert.rejects(
      retry(async () => "x", { signal: AbortSignal.abort() }, fakeTime()),
      AbortedError,
    );

    const controller = new AbortController();
    const { fn } = failing(transient(), transient());
    const time = fakeTime();
    await assert.rejects(
      retry(fn, { signal: controller.signal, onRetry: () => controller.abort() }, time),
      AbortedError,
    );

    const during = new AbortController();
    await assert.rejects(
      retry(
        async () => {
          during.abort();
          throw new Error("socket closed");
        },
        { signal: during.signal, isRetryable: () => true },
        fakeTime(),
      ),
      (error: unknown) => error instanceof AbortedError && (error.cause as Error).message === "socket closed",
    );
  });

  it("aborts a real wait promptly", async () => {
    const controller = new AbortController();
    const pending = retry(() => Promise.reject(transient()), {
      signal: controller.signal,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    setTimeout(() => controller.abort(), 1);
    await assert.rejects(pending, AbortedError);
  });
});

describe("isRetryableError", () => {
  it("is true only for errors flagged retryable", () => {
    assert.equal(isRetryableError(transient()), true);
    assert.equal(isRetryableError(fatal()), false);
    assert.equal(isRetryableError(new Error("x")), false);
    assert.equal(isRetryableError({ retryable: "yes" }), false);
    assert.equal(isRetryableError(null), false);
  });
});
