import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { operatorChildEnv } from "./operator-env.ts";

/** Runs the real `operator` CLI as a child process (no TTY), the way scripts and CI run it. */
export const OPERATOR_ENTRY = fileURLToPath(new URL("../../src/bin/operator.ts", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** Extra env vars; the parent's operator-related env vars are never inherited. */
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

/** Env vars the CLI reads; cleared so a developer's shell cannot change what a test sees. */
export function startCli(args: readonly string[], options: RunCliOptions = {}): ChildProcess {
  return spawn(process.execPath, [OPERATOR_ENTRY, ...args], {
    env: operatorChildEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
}

export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const child = startCli(args, options);
  return collect(child, options);
}

export function collect(child: ChildProcess, options: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`CLI timed out after ${options.timeoutMs ?? 120_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** A fresh temp dir, removed by the returned cleanup. */
export async function tempDir(
  prefix = "vault-operator-",
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** The mnemonic of the official vectors (spec Appendix A, deposit CLI vectors). */
export const TEST_MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
/** Vault of the deposit CLI vectors in test/vectors/deposit-cli. */
export const DEPOSIT_CLI_VAULT = "0xeEFFFD4C23D2E8c845870e273861e7d60Df49663";
/** Vault of the spec's Appendix A. */
export const APPENDIX_VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";

/** --execution-endpoints and --consensus-endpoints that refuse connections at once (nothing listens). */
export const UNREACHABLE_ENDPOINTS = [
  "--execution-endpoints",
  "http://127.0.0.1:1",
  "--consensus-endpoints",
  "http://127.0.0.1:2",
] as const;
