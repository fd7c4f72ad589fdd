import { PerformanceObserver } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { OperatorError } from "../src/lib/errors.ts";
import { createLogger, type LogFormat } from "../src/lib/logger.ts";

/**
 * Logs through `createLogger`'s default destination (stdout, which the parent points at
 * /dev/null) in its own process: 9 in 10 entries an info with three context fields, 1 in 10 a
 * warn with an error and its cause, from a child logger, as `operator start` logs. Prints one
 * JSON line on stderr: {format, lines, cpuSeconds, bytesPerLine, scavenges}. Allocation is the heap
 * growth over a batch run with a young generation large enough that no GC runs within it
 * (`scavenges` says whether one did).
 */
const format = process.argv[2] as LogFormat;
if (format !== "text" && format !== "json") throw new Error("usage: logger-child.ts text|json");
const LINES = 100_000;
const ALLOCATION_LINES = 2_000;

const log = createLogger({ level: "info", format }).child({ module: "registration" });
const error = new OperatorError("oracle request failed", {
  retryable: true,
  cause: new TypeError("fetch failed"),
});
const vault = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const txHash = `0x${"ab".repeat(32)}`;
const entry = (i: number) => {
  if (i % 10 === 9)
    log.warn("oracle did not answer", { endpoint: "https://oracle.example/v1", attempt: i }, error);
  else log.info("registered validators", { count: i, vault, txHash });
};

for (let i = 0; i < 5_000; i++) entry(i);

const started = process.cpuUsage();
for (let i = 0; i < LINES; i++) entry(i);
const used = process.cpuUsage(started);
const cpuSeconds = (used.user + used.system) / 1e6;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
let scavenges = 0;
const observer = new PerformanceObserver((list) => {
  scavenges += list.getEntries().length;
});
observer.observe({ entryTypes: ["gc"] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
gc();
await settle();
scavenges = 0;
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < ALLOCATION_LINES; i++) entry(i);
const bytesPerLine = (process.memoryUsage().heapUsed - before) / ALLOCATION_LINES;
await settle();
observer.disconnect();
process.stderr.write(`${JSON.stringify({ format, lines: LINES, cpuSeconds, bytesPerLine, scavenges })}\n`);
