import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../src/bin/operator.ts", import.meta.url));
const LIMIT_SECONDS = 60;
const DONE = "Press Ctrl-C to stop start and the devnet.";

/**
 * `operator devnet --demo` as a newcomer runs it: seconds from the command to the end of its walk
 * (devnet up, init … start registering two validators … an exit on the beacon chain), then Ctrl-C.
 */
async function once(): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), "vault-operator-bench-demo-"));
  try {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, "devnet", "--demo", "--data-dir", dataDir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    const seconds = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(DONE)) resolve((performance.now() - started) / 1000);
      });
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      void exited.then((code) => reject(new Error(`the demo ended with code ${code}:\n${output}`)));
    });
    child.kill("SIGINT");
    const code = await exited;
    if (code !== 0) throw new Error(`the demo stopped with code ${code} after Ctrl-C:\n${output}`);
    return seconds;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const runs = Number(process.env.BENCH_DEMO_RUNS ?? 3);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  console.log(
    `devnet --demo: the whole walk in ${median.toFixed(1)} s median (${times.map((t) => t.toFixed(1)).join(", ")} s over ${runs} runs; limit ${LIMIT_SECONDS} s)`,
  );
}

if (import.meta.main) await run();
