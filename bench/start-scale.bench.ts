/**
 * `operator start` with 10,000 deposit data entries and 10,000 keystores, on the in-process
 * devnet, run as a child process the way a user runs it. Measures the time from spawn until the
 * service logs "service started", and its resident memory (VmRSS, and the kernel's peak VmHWM,
 * which covers the decryption worker thread too) sampled every 200 ms until ~10 slots later.
 * Limits: startup takes seconds, not hours (a keystore is decrypted only when its key is about to
 * be used: here key 0, to verify the password); steady RSS stays under 300 MiB, and the peak
 * under that plus one standard-strength scrypt (n = 2^18, r = 8: 256 MiB, the hot wallet's at
 * startup, on a worker thread that frees it when it ends).
 *
 * The vault is not funded, so nothing is registered; the service runs its slot tasks idle.
 * Linux only (reads /proc/<pid>/status).
 *
 * Run alone: node bench/start-scale.bench.ts   (BENCH_START_KEYS=<n> changes the 10,000)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type Hex, parseEther } from "viem";
import { vaultAbi } from "../src/chain/abi/vault.ts";
import { vaultPaths } from "../src/config/data-dir.ts";
import { type Devnet, startDevnet } from "../src/devnet/devnet.ts";
import { procMemory, runOperator, startOperator, writeScaleVaultDir } from "./start-scale-support.ts";
import { BENCH_MNEMONIC, mib } from "./support.ts";

const DEFAULT_KEYS = 10_000;
const RSS_LIMIT_MIB = 300;
/** 128 · r · n bytes for the hot wallet's scrypt (n = 2^18, r = 8). */
const SCRYPT_MIB = 256;
const PEAK_LIMIT_MIB = RSS_LIMIT_MIB + SCRYPT_MIB;
/** Not the limit ("seconds, not hours"): the figure above which this bench warns. */
const READY_BUDGET_SECONDS = 30;
const READY_TIMEOUT_MS = 180_000;
const SLOTS_AFTER_READY = 10;
const SAMPLE_MS = 200;

export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_START_KEYS ?? DEFAULT_KEYS);
  if (!Number.isInteger(count) || count < 1) throw new Error(`BENCH_START_KEYS must be a positive integer`);
  if (procMemory(process.pid) === undefined) {
    console.log("start: skipped (needs /proc/<pid>/status, i.e. Linux)");
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), "vault-operator-bench-start-"));
  let devnet: Devnet | undefined;
  try {
    devnet = await startDevnet({ blockTime: 1, outputDir: join(dataDir, "devnet") });
    const vault = devnet.vault.address;
    const paths = vaultPaths(dataDir, vault);

    const setupStarted = performance.now();
    await writeScaleVaultDir({ paths, vault, network: devnet.network, mnemonic: BENCH_MNEMONIC, count });
    const dataSeconds = (performance.now() - setupStarted) / 1000;

    const wallet = await runOperator(
      ["create-wallet", "--vault", vault, "--mnemonic", BENCH_MNEMONIC, "--data-dir", dataDir],
      dataDir,
    );
    const address = /The wallet address is: (0x[0-9a-fA-F]{40})/.exec(wallet.stdout)?.[1] as Hex | undefined;
    if (!address) throw new Error(`create-wallet printed no address: ${wallet.stdout}`);
    const fund = await devnet.clients.depositor.sendTransaction({ to: address, value: parseEther("10") });
    await devnet.clients.depositor.waitForTransactionReceipt({ hash: fund });

    const rootOut = await runOperator(
      ["get-validators-root", "--vault", vault, "--data-dir", dataDir],
      dataDir,
    );
    const validatorsRoot = /root: (0x[0-9a-f]{64})/.exec(rootOut.stdout)?.[1] as Hex | undefined;
    if (!validatorsRoot) throw new Error(`get-validators-root printed no root: ${rootOut.stdout}`);
    const set = await devnet.clients.keysManager.writeContract({
      address: vault,
      abi: vaultAbi,
      functionName: "setValidatorsRoot",
      args: [validatorsRoot],
    });
    await devnet.clients.keysManager.waitForTransactionReceipt({ hash: set });

    const result = await measureStart(devnet, dataDir, vault);
    const summary =
      `start with ${count} deposit data entries and keystores: ready in ${result.readySeconds.toFixed(1)} s ` +
      `(limit: seconds, not hours); peak RSS ${mib(result.peakRss)} ` +
      `(limit ${PEAK_LIMIT_MIB} MiB: ${RSS_LIMIT_MIB} + one ${SCRYPT_MIB} MiB scrypt); ` +
      `RSS ${mib(result.readyRss)} at ready, ${mib(result.endRss)} after ${SLOTS_AFTER_READY} slots ` +
      `(limit ${RSS_LIMIT_MIB} MiB) ` +
      `(${result.samples} samples; synthetic data written in ${dataSeconds.toFixed(1)} s)`;
    console.log(summary);
    if (result.warnings.length > 0) {
      console.warn(`start: ${result.warnings.length} warning/error lines, first: ${result.warnings[0]}`);
    }
    if (result.readySeconds > READY_BUDGET_SECONDS) {
      console.warn(`start: slower than the ${READY_BUDGET_SECONDS} s budget`);
    }
    if (result.peakRss > PEAK_LIMIT_MIB * 1024 * 1024)
      console.warn(`start: peak RSS above ${PEAK_LIMIT_MIB} MiB`);
    if (Math.max(result.readyRss, result.endRss) > RSS_LIMIT_MIB * 1024 * 1024)
      console.warn(`start: steady RSS above ${RSS_LIMIT_MIB} MiB`);
  } finally {
    await devnet?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface StartMeasurement {
  readySeconds: number;
  readyRss: number;
  endRss: number;
  peakRss: number;
  samples: number;
  warnings: string[];
}

async function measureStart(devnet: Devnet, dataDir: string, vault: Hex): Promise<StartMeasurement> {
  const args = [
    "start",
    "--vault",
    vault,
    "--data-dir",
    dataDir,
    "--execution-endpoints",
    devnet.executionUrl,
    "--consensus-endpoints",
    devnet.consensusUrl,
  ];
  const spawned = performance.now();
  const child = startOperator(args, dataDir, { IPFS_FETCH_ENDPOINTS: devnet.ipfsUrl });
  const pid = child.pid;
  if (pid === undefined) throw new Error("operator start did not spawn");

  let stdout = "";
  let stderr = "";
  let readyAt: number | undefined;
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    if (readyAt === undefined && stdout.includes("service started")) {
      readyAt = performance.now();
      onReady();
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal }));
  });

  let samples = 0;
  let maxRss = 0;
  let peakHwm = 0;
  let lastRss = 0;
  const sample = () => {
    const memory = procMemory(pid);
    if (!memory) return;
    samples++;
    lastRss = memory.rss;
    maxRss = Math.max(maxRss, memory.rss);
    peakHwm = Math.max(peakHwm, memory.hwm);
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);
  const failure = (what: string) =>
    new Error(`operator start ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`);

  try {
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      ready.then(() => "ready" as const),
      exited.then(() => "exited" as const),
      new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), READY_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === "exited") throw failure("exited before it was ready");
    if (outcome === "timeout") throw failure(`was not ready after ${READY_TIMEOUT_MS / 1000} s`);
    sample();
    const readyRss = lastRss;
    const readySeconds = ((readyAt as number) - spawned) / 1000;
    // The flow logs the deposit data it read; "service started" logs the keys the signer holds.
    const entries = /depositDataEntries=(\d+)/.exec(stdout)?.[1];
    const keystores = /service started .*validatorKeys=(\d+)/.exec(stdout)?.[1];
    if (entries === undefined || entries !== keystores) {
      throw failure(`logged unexpected counts: ${entries} deposit data entries, ${keystores} keys`);
    }

    await new Promise((resolve) =>
      setTimeout(resolve, SLOTS_AFTER_READY * devnet.network.secondsPerSlot * 1000),
    );
    sample();
    const endRss = lastRss;
    clearInterval(sampler);
    child.kill("SIGTERM");
    const { code, signal } = await withTimeout(exited, 30_000, () =>
      failure("did not stop within 30 s of SIGTERM"),
    );
    if (code !== 0) throw failure(`exited ${code ?? signal} on SIGTERM, expected 0`);
    const warnings = `${stdout}\n${stderr}`
      .split("\n")
      .filter((line) => /\b(WARN|ERROR|FATAL)\b|^Error:/.test(line));
    return { readySeconds, readyRss, endRss, peakRss: Math.max(maxRss, peakHwm), samples, warnings };
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(error()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

if (import.meta.main) await run();
