/**
 * The logger's cost per line, text and JSON, through the real stdout destination (pointed at
 * /dev/null): lines per CPU second and bytes allocated per line. Each format runs in its own
 * process (bench/logger-child.ts) with a 64 MiB young generation, so that one batch allocates
 * without a GC. Limit: a service logs a few lines per slot; 100,000 lines/s leaves the logger
 * out of every budget.
 *
 * Run alone: node bench/logger.bench.ts
 */
import { spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatRate } from "./support.ts";

const CHILD = fileURLToPath(new URL("./logger-child.ts", import.meta.url));
const LIMIT_LINES_PER_SECOND = 100_000;

interface ChildResult {
  format: string;
  lines: number;
  /** CPU time (user + system) of the timed lines: steadier than wall time on a busy machine. */
  cpuSeconds: number;
  bytesPerLine: number;
  scavenges: number;
}

export async function run(): Promise<void> {
  for (const format of ["text", "json"]) {
    const devNull = openSync("/dev/null", "w");
    try {
      const child = spawnSync(
        process.execPath,
        ["--min-semi-space-size=64", "--max-semi-space-size=64", CHILD, format],
        { stdio: ["ignore", devNull, "pipe"], encoding: "utf8" },
      );
      if (child.status !== 0) throw new Error(`logger-child ${format} failed: ${child.stderr}`);
      const result = JSON.parse(child.stderr.trim().split("\n").pop() ?? "") as ChildResult;
      const rate = result.lines / result.cpuSeconds;
      const allocation =
        result.scavenges === 0
          ? `${result.bytesPerLine.toFixed(0)} B/line`
          : "n/a (a GC ran during the batch)";
      console.log(
        `logger ${format}: ${formatRate(rate)} lines per CPU second (limit ≥ ${LIMIT_LINES_PER_SECOND}), allocates ${allocation}`,
      );
    } finally {
      closeSync(devNull);
    }
  }
}

if (import.meta.main) await run();
