import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runChild } from "./child-command.ts";

/** A child that counts the SIGTERMs it gets and reports them when it ends, 200 ms after the first. */
const COUNTS_TERMS = `
let terms = 0;
process.on("SIGTERM", () => {
  terms++;
  if (terms === 1) setTimeout(() => { console.log("terms " + terms); process.exit(0); }, 200);
});
console.log("ready");
setInterval(() => {}, 1000);
`;

describe("runChild", () => {
  it("hands over each line and the exit code", async () => {
    const lines: string[] = [];
    const child = runChild({
      command: [process.execPath],
      args: ["-e", 'console.log("one"); console.error("two"); process.exit(3)'],
      env: {},
      cwd: process.cwd(),
      onLine: (line) => lines.push(line),
      signal: new AbortController().signal,
    });
    assert.equal(await child.exited, 3);
    assert.deepEqual([...lines].sort(), ["one", "two"]);
  });

  it("stops once however often it is asked, so the child never sees a second (forcing) signal", async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const child = runChild({
      command: [process.execPath],
      args: ["-e", COUNTS_TERMS],
      env: {},
      cwd: process.cwd(),
      onLine: (line) => lines.push(line),
      signal: controller.signal,
      graceMs: 50,
    });
    while (!lines.includes("ready")) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const [first, second] = await Promise.all([child.stop(), child.stop()]);
    assert.equal(first, 0);
    assert.equal(second, 0);
    assert.deepEqual(lines, ["ready", "terms 1"]);
  });
});
