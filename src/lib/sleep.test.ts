import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AbortedError, isAbortError, throwIfAborted } from "./aborted.ts";
import { sleep } from "./sleep.ts";

describe("sleep", () => {
  it("resolves after the delay", async () => {
    const start = performance.now();
    await sleep(5);
    assert.ok(performance.now() - start >= 4);
  });

  it("resolves at once for zero, negative and NaN delays", async () => {
    for (const delay of [0, -10, Number.NaN]) {
      // A 50 ms timer set after it must fire later: NaN is not a huge or endless delay.
      const first = await Promise.race([sleep(delay).then(() => "sleep"), sleep(50).then(() => "timer")]);
      assert.equal(first, "sleep", `sleep(${delay})`);
    }
  });

  it("rejects with AbortedError when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("shutdown"));
    await assert.rejects(sleep(60_000, controller.signal), (error: unknown) => {
      assert.ok(error instanceof AbortedError);
      assert.equal(error.retryable, false);
      return true;
    });
  });

  it("rejects promptly with AbortedError when aborted during the wait", async () => {
    const controller = new AbortController();
    const start = performance.now();
    const pending = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 1);
    await assert.rejects(pending, AbortedError);
    assert.ok(performance.now() - start < 1000);
  });

  it("removes its abort listener once it resolves", async () => {
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    }) as typeof signal.removeEventListener;
    for (let i = 0; i < 3; i++) await sleep(0, signal);
    assert.equal(added, 3);
    assert.equal(removed, 3);
  });
});

describe("abort helpers", () => {
  it("throwIfAborted throws only for an aborted signal", () => {
    throwIfAborted(undefined);
    throwIfAborted(new AbortController().signal);
    assert.throws(() => throwIfAborted(AbortSignal.abort()), AbortedError);
  });

  it("isAbortError recognises ours and the platform's", () => {
    assert.equal(isAbortError(new AbortedError()), true);
    assert.equal(isAbortError(new DOMException("x", "AbortError")), true);
    assert.equal(isAbortError(new Error("x")), false);
    assert.equal(isAbortError("AbortError"), false);
  });
});
