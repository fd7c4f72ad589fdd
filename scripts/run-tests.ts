/**
 * `npm test`: every test file, in two parts that run side by side.
 * - The end-to-end files (test/e2e/): a process each, four at a time (most of an e2e file's time
 *   is waiting for slots and blocks: at three, the 2 cores were 60 % busy), the slowest first so
 *   that none of them starts last and runs alone at the end. Node's `--test` CLI sorts the files
 *   it is given, so an order written in package.json had no effect; `run()` keeps this one.
 * - Every other file (unit tests beside the code, spec vectors, contracts, architecture, DVT
 *   flows): in this process, one file after another (isolation "none"). A process per file cost
 *   each of them about 0.6 s of CPU to start (2026-12-07: 256 files took 233 CPU-seconds, 85 of
 *   them in one process), which CI's two cores spend on the e2e files instead.
 * Prints the e2e files' spec report as it comes, the other files' report as one block when they
 * are done, then the slowest e2e files.
 *
 * `node scripts/run-tests.ts <file>…` runs just those files, in that order.
 */
import { globSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { finished } from "node:stream/promises";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// TEST_CONCURRENCY overrides it for a measurement: 5 took 599 s against 568–586 s at 4 (2026-12-07).
const CONCURRENCY = Number(process.env.TEST_CONCURRENCY ?? 4);

/**
 * Longest first, from a full run (2026-12-07, 2-core CI machine: start-faults 115 s … cli-errors 28 s),
 * so that no long file starts late and runs alone at the end; the summary at the end of a run shows
 * the current times.
 */
const SLOW_FIRST = [
  "test/e2e/start-faults.test.ts",
  "test/e2e/start-crash-v5.test.ts",
  "test/e2e/start-crash.test.ts",
  "test/e2e/start-crash-tasks.test.ts",
  "test/e2e/devnet-demo.test.ts",
  "test/e2e/consolidate.test.ts",
  "test/e2e/create-keys.test.ts",
  "test/e2e/start-key-sources.test.ts",
  "test/e2e/start-config.test.ts",
  "test/e2e/start-withdrawals.test.ts",
  "test/e2e/devnet-dvt-ssv.test.ts",
  "test/e2e/start.test.ts",
  "test/e2e/exit-validators.test.ts",
  "test/e2e/start-registry.test.ts",
  "test/e2e/start-topup.test.ts",
  "test/e2e/status-dry-run.test.ts",
  "test/e2e/start-replicas.test.ts",
  "test/e2e/start-v5.test.ts",
  "test/e2e/ssv-manager.test.ts",
  "test/e2e/consolidate-crash.test.ts",
  "test/e2e/devnet-dvt.test.ts",
  "test/e2e/start-relayer.test.ts",
  "test/e2e/devnet-command.test.ts",
  "test/e2e/start-relayer-legacy.test.ts",
  "test/e2e/remote-db.test.ts",
  "test/e2e/start-remote-db.test.ts",
  "test/e2e/cli-errors.test.ts",
  "test/e2e/ssv-register.test.ts",
  "test/e2e/devnet-rehearsal.test.ts",
  "test/contracts/ssv-snapshot-property.test.ts",
  "test/e2e/prompts-tty.test.ts",
  "test/e2e/rotation.test.ts",
  "test/e2e/init.test.ts",
  "test/e2e/get-validators-root.test.ts",
  "test/e2e/merge-deposit-data.test.ts",
  "test/e2e/recover.test.ts",
  "test/e2e/validators-exit.test.ts",
  "test/e2e/devnet-beacon-requests.test.ts",
  "test/e2e/devnet-control.test.ts",
];

const given = process.argv.slice(2);
const everyFile = () => [
  ...SLOW_FIRST,
  ...globSync(["src/**/*.test.ts", "test/**/*.test.ts"], { cwd: ROOT }).sort(),
];
const files = [...new Set((given.length > 0 ? given : everyFile()).map((file) => resolve(ROOT, file)))];
const E2E = resolve(ROOT, "test/e2e") + sep;
const e2eFiles = files.filter((file) => file.startsWith(E2E));
const inProcessFiles = files.filter((file) => !file.startsWith(E2E));

/** A run's stream: a failed test or file makes the exit code 1. */
function watchSummary(stream: ReturnType<typeof run>): void {
  stream.on("test:summary", (data) => {
    // The run's own summary has no file; a failed test or file makes it unsuccessful.
    if (data.file === undefined && !data.success) process.exitCode = 1;
  });
}

const durations = new Map<string, number>();
const parts: Promise<void>[] = [];
if (e2eFiles.length > 0) {
  const stream = run({ files: e2eFiles, concurrency: CONCURRENCY, cwd: ROOT });
  stream.on("test:complete", (data) => {
    // The file itself completes as a test named after its path, at nesting 0.
    if (data.nesting === 0 && data.file !== undefined && data.name === data.file) {
      durations.set(relative(ROOT, data.file), data.details.duration_ms);
    }
  });
  watchSummary(stream);
  const report = stream.compose(spec);
  report.on("data", (chunk: string | Buffer) => process.stdout.write(chunk));
  parts.push(finished(report));
}
if (inProcessFiles.length > 0) {
  const stream = run({ files: inProcessFiles, isolation: "none", concurrency: 1, cwd: ROOT });
  watchSummary(stream);
  const report = stream.compose(spec);
  const chunks: Array<string | Buffer> = [];
  report.on("data", (chunk: string | Buffer) => chunks.push(chunk));
  parts.push(
    finished(report).then(() => {
      process.stdout.write(`\n== ${inProcessFiles.length} files outside test/e2e, in one process:\n`);
      for (const chunk of chunks) process.stdout.write(chunk);
    }),
  );
}
await Promise.all(parts);
if (durations.size > 0) {
  const slowest = [...durations].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const lines = slowest.map(([file, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`);
  process.stdout.write(`\nslowest e2e files:\n${lines.join("\n")}\n`);
}
