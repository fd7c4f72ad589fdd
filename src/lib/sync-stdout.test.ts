import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";

const MODULE = new URL("./sync-stdout.ts", import.meta.url).href;

/** A child that writes `lines` lines of `width` bytes with syncStdout and reports errors on stderr. */
function writer(lines: number, width: number) {
  const script = `
    import { syncStdout } from ${JSON.stringify(MODULE)};
    process.stdout; // Node makes a piped stdout non-blocking: writes may be partial or EAGAIN.
    const errors = [];
    const out = syncStdout((error) => errors.push(error.code));
    const line = "x".repeat(${width - 1}) + "\\n";
    for (let i = 0; i < ${lines}; i++) out.write(line);
    process.stderr.write(JSON.stringify(errors));
  `;
  return spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function stderrOf(child: ReturnType<typeof writer>): Promise<string> {
  let text = "";
  child.stderr.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  await once(child, "close");
  return text;
}

describe("syncStdout", () => {
  it("delivers every byte through a slow non-blocking pipe (EAGAIN)", async () => {
    const child = writer(800, 5000);
    let bytes = 0;
    let paused = false;
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (!paused) {
        // Let the pipe fill up once, so the writer meets a full pipe.
        paused = true;
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), 100);
      }
    });
    assert.equal(await stderrOf(child), "[]");
    assert.equal(bytes, 800 * 5000);
  });

  it("reports EPIPE once when the reader is gone, and drops the lines after it", async () => {
    const child = writer(2000, 100);
    child.stdout.once("data", () => child.stdout.destroy());
    assert.equal(await stderrOf(child), '["EPIPE"]');
  });
});
