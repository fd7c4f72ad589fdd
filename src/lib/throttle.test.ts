import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createThrottle } from "./throttle.ts";

function fakeTime(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

describe("createThrottle", () => {
  it("lets the first event through, drops the rest of the interval, then reports the count", () => {
    const time = fakeTime();
    const throttle = createThrottle(time);
    assert.equal(throttle.take("beacon down", 12_000), 0);
    assert.equal(throttle.take("beacon down", 12_000), null);
    time.advance(11_999);
    assert.equal(throttle.take("beacon down", 12_000), null);
    time.advance(1);
    assert.equal(throttle.take("beacon down", 12_000), 2);
    assert.equal(throttle.take("beacon down", 12_000), null);
  });

  it("keeps keys independent", () => {
    const throttle = createThrottle(fakeTime());
    assert.equal(throttle.take("a", 1000), 0);
    assert.equal(throttle.take("b", 1000), 0);
    assert.equal(throttle.take("a", 1000), null);
  });

  it("reopens the window when the clock goes backwards", () => {
    const time = fakeTime();
    const throttle = createThrottle(time);
    assert.equal(throttle.take("a", 60_000), 0);
    time.advance(-5000);
    assert.equal(throttle.take("a", 60_000), 0);
  });

  it("bounds memory: expired keys go first, then the oldest", () => {
    const time = fakeTime();
    const throttle = createThrottle(time, 3);
    throttle.take("a", 10);
    throttle.take("b", 1000);
    throttle.take("c", 1000);
    time.advance(20);
    throttle.take("d", 1000); // evicts expired "a"
    assert.equal(throttle.take("b", 1000), null);
    throttle.take("e", 1000); // evicts oldest live "b"
    assert.equal(throttle.take("b", 1000), 0);
  });
});
