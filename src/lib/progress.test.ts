import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createProgressBars } from "./progress.ts";
import type { Output } from "./terminal.ts";

class FakeOutput implements Output {
  readonly lines: string[] = [];
  readonly written: string[] = [];
  readonly isTTY = false;
  line(text = ""): void {
    this.lines.push(text);
  }
  write(text: string): void {
    this.written.push(text);
  }
}

const FULL = "#".repeat(36);

describe("createProgressBars without a terminal", () => {
  it("prints each bar once, when it completes, with padded labels", () => {
    const output = new FakeOutput();
    const bars = createProgressBars(output, ["Deriving keys", "Signing", "Encrypting"], 3);
    bars.increment(0);
    bars.increment(1);
    bars.increment(0);
    assert.deepEqual(output.lines, []);
    bars.increment(0);
    assert.deepEqual(output.lines, [`Deriving keys  [${FULL}]  3/3`]);
    bars.increment(2);
    bars.increment(1);
    bars.increment(2);
    bars.increment(1);
    assert.deepEqual(output.lines, [`Deriving keys  [${FULL}]  3/3`, `Signing        [${FULL}]  3/3`]);
    bars.increment(2);
    bars.stop();
    assert.deepEqual(output.lines, [
      `Deriving keys  [${FULL}]  3/3`,
      `Signing        [${FULL}]  3/3`,
      `Encrypting     [${FULL}]  3/3`,
    ]);
    assert.deepEqual(output.written, []);
  });

  it("does not print a bar again when it is incremented past its total", () => {
    const output = new FakeOutput();
    const bars = createProgressBars(output, ["A"], 1);
    bars.increment(0);
    bars.increment(0);
    bars.stop();
    assert.deepEqual(output.lines, [`A  [${FULL}]  1/1`]);
  });

  it("prints nothing until every bar completes, and nothing on stop", () => {
    const output = new FakeOutput();
    const bars = createProgressBars(output, ["One", "Two"], 10);
    for (let i = 0; i < 9; i++) bars.increment(0);
    bars.stop();
    assert.deepEqual(output.lines, []);
  });
});
