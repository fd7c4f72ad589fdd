import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AbortedError, unlessAborted } from "./aborted.ts";

describe("unlessAborted", () => {
  it("passes the promise's value and error through when the signal never aborts", async () => {
    const controller = new AbortController();
    assert.equal(await unlessAborted(Promise.resolve(7), controller.signal), 7);
    await assert.rejects(unlessAborted(Promise.reject(new Error("boom")), controller.signal), /boom/);
    assert.equal(await unlessAborted(Promise.resolve(8), undefined), 8);
  });

  it("rejects with the signal's reason when it aborts during the wait, or had already", async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const waiting = unlessAborted(never, controller.signal);
    const reason = new Error("lost the leader lock");
    controller.abort(reason);
    await assert.rejects(waiting, reason);
    await assert.rejects(unlessAborted(Promise.resolve(1), controller.signal), reason);
  });

  it("rejects with an AbortedError when the reason is not an Error, and ignores the promise's later failure", async () => {
    const controller = new AbortController();
    let fail: (error: Error) => void = () => {};
    const later = new Promise<number>((_resolve, reject) => {
      fail = reject;
    });
    const waiting = unlessAborted(later, controller.signal);
    controller.abort("shutdown");
    await assert.rejects(waiting, AbortedError);
    fail(new Error("too late")); // no unhandled rejection
    await new Promise((resolve) => setImmediate(resolve));
  });
});
