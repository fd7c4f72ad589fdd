import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { describe, it } from "node:test";
import { watchBrokenPipe } from "./broken-pipe.ts";

const epipe = () => Object.assign(new Error("write EPIPE"), { code: "EPIPE" });

describe("watchBrokenPipe", () => {
  it("calls onBroken once, on the first EPIPE of any stream or report", () => {
    const stdout = new EventEmitter();
    const stderr = new EventEmitter();
    let calls = 0;
    const watch = watchBrokenPipe([stdout, stderr], () => calls++);
    assert.equal(watch.broken, false);
    stdout.emit("error", epipe());
    stderr.emit("error", epipe());
    assert.equal(watch.report(epipe()), true);
    assert.equal(watch.broken, true);
    assert.equal(calls, 1);
  });

  it("leaves other errors alone", () => {
    const stdout = new EventEmitter();
    const watch = watchBrokenPipe([stdout], () => assert.fail("not a broken pipe"));
    assert.throws(() => stdout.emit("error", Object.assign(new Error("EIO"), { code: "EIO" })), /EIO/);
    assert.equal(watch.report(new Error("x")), false);
    assert.equal(watch.broken, false);
  });
});
