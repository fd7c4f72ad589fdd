/**
 * `npm test`: every test file (unit tests in src/, then test/), four files at a time (most of an e2e file's time is waiting for slots and blocks: at three, the 2 cores were 60 % busy), the
 * slowest e2e files first so that none of them starts last and runs alone at the end. Node's
 * `--test` CLI sorts the files it is given, so an order written in package.json had no effect;
 * `run()` from node:test keeps this one. Prints the spec report, then the slowest files.
 *
 * `node scripts/run-tests.ts <file>…` runs just those files, in that order.
 */
import { globSync } from "node:fs";
import { relative, resolve } from "node:path";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// TEST_CONCURRENCY overrides it for a measurement: 5 took 599 s against 568–586 s at 4 (2026-12-07).
const CONCURRENCY = Number(process.env.TEST_CONCURRENCY ?? 4);

/**
 * Longest first, from a full run (2026-12-07, fresh clone on the 2-core CI machine: start-faults 98 s … remote-signer-setup 20 s),
 * so that no long file starts late and runs alone at the end; the summary at the end of a run shows
 * the current times.
 */
const SLOW_FIRST = [
  "test/e2e/start-faults.test.ts",
  "test/e2e/start-crash-v5.test.ts",
  "test/e2e/devnet-demo.test.ts",
  "test/e2e/remote-db.test.ts",
  "test/e2e/start-crash-tasks.test.ts",
  "test/e2e/create-keys.test.ts",
  "test/e2e/consolidate.test.ts",
  "test/e2e/start-crash.test.ts",
  "test/e2e/start-withdrawals.test.ts",
  "test/e2e/devnet-dvt-ssv.test.ts",
  "test/e2e/start-key-sources.test.ts",
  "test/e2e/exit-validators.test.ts",
  "test/e2e/start-replicas.test.ts",
  "test/e2e/start-topup.test.ts",
  "test/e2e/cli-errors.test.ts",
  "test/e2e/status-dry-run.test.ts",
  "test/e2e/start.test.ts",
  "test/e2e/start-config.test.ts",
  "test/e2e/start-registry.test.ts",
  "test/e2e/ssv-register.test.ts",
  "test/e2e/start-v5.test.ts",
  "test/e2e/ssv-manager.test.ts",
  "test/e2e/start-relayer.test.ts",
  "test/e2e/devnet-command.test.ts",
  "test/e2e/get-validators-root.test.ts",
  "test/e2e/devnet-dvt.test.ts",
  "test/e2e/recover.test.ts",
  "test/e2e/init.test.ts",
  "test/e2e/prompts-tty.test.ts",
  "test/e2e/remote-signer-setup.test.ts",
  "test/e2e/consolidate-crash.test.ts",
  "test/e2e/start-relayer-legacy.test.ts",
  "test/e2e/start-remote-db.test.ts",
  "test/e2e/devnet-rehearsal.test.ts",
  "test/contracts/ssv-snapshot-property.test.ts",
  "test/e2e/rotation.test.ts",
  "test/e2e/merge-deposit-data.test.ts",
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

const durations = new Map<string, number>();
const stream = run({ files, concurrency: CONCURRENCY, cwd: ROOT });
stream.on("test:complete", (data) => {
  // The file itself completes as a test named after its path, at nesting 0.
  if (data.nesting === 0 && data.file !== undefined && data.name === data.file) {
    durations.set(relative(ROOT, data.file), data.details.duration_ms);
  }
});
stream.on("test:summary", (data) => {
  // The run's own summary has no file; a failed test or file makes it unsuccessful.
  if (data.file === undefined && !data.success) process.exitCode = 1;
});
const report = stream.compose(spec);
report.pipe(process.stdout);
report.on("end", () => {
  const slowest = [...durations].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const lines = slowest.map(([file, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`);
  process.stdout.write(`\nslowest files:\n${lines.join("\n")}\n`);
});
