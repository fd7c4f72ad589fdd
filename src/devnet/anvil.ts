/**
 * A real anvil node on 127.0.0.1 for the devnet and the e2e tests.
 *
 * anvil binds a free port itself (`--port 0`) and prints "Listening on host:port"; the node is ready
 * once `eth_chainId` answers with the requested chain id.
 *
 * No orphans: anvil runs under a small /bin/sh watchdog that holds the read end of a pipe from this
 * process. When this process exits for any reason (even SIGKILL) the pipe closes and the watchdog
 * kills anvil; stop() closes the pipe the same way and, if that is not enough within a few seconds,
 * kills the whole process group.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { type Chain, defineChain } from "viem";
import { OperatorError } from "../lib/errors.ts";
import { httpJson } from "../lib/http/request.ts";
import { DEVNET_MNEMONIC } from "./accounts.ts";

export class AnvilError extends OperatorError {
  override name = "AnvilError";
}

/** The canonical Multicall3 address; the devnet deployment puts Multicall3 there too. */
export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11";

export const DEFAULT_DEVNET_CHAIN_ID = 31337;

export interface StartAnvilOptions {
  /** Default 31337. */
  chainId?: number;
  /** Seconds between blocks (default 1), or "automine": one block per transaction. */
  blockTime?: number | "automine";
  /** Mnemonic of the funded accounts (default: anvil's, see accounts.ts). */
  mnemonic?: string;
  /** Number of funded accounts (default 10). */
  accounts?: number;
  /** Balance of each funded account in ETH (default 10000). */
  balanceEth?: number;
  /** EVM hardfork (default "prague"), pinned so an anvil upgrade does not change the chain. */
  hardfork?: string;
  /** How long to wait for the node to answer (default 10 s). */
  startupTimeoutMs?: number;
  /** Stops the node when aborted. */
  signal?: AbortSignal;
  /** Receives anvil's output lines (default: dropped). */
  onLog?: (line: string) => void;
}

export interface AnvilInstance {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly chainId: number;
  /** A viem chain for the node, with Multicall3 at its canonical address. */
  readonly chain: Chain;
  readonly blockTime: number | "automine";
  /** Settles when the node has exited (after stop() or a crash). */
  readonly exited: Promise<void>;
  /** Stops the node and waits until it has exited; safe to call more than once. */
  stop(): Promise<void>;
}

/** Path of the anvil binary shipped by @foundry-rs/anvil's platform package. */
export function anvilBinaryPath(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const packageName = `@foundry-rs/anvil-${process.platform}-${arch}`;
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve(`${packageName}/package.json`);
  } catch (cause) {
    throw new AnvilError(
      `the anvil binary package ${packageName} is not installed: run "npm install" (it is an optional dependency of @foundry-rs/anvil; do not install with --omit=optional)`,
      { cause },
    );
  }
  const binary = join(dirname(packageJson), "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
  if (!existsSync(binary)) {
    throw new AnvilError(`the anvil binary is missing at ${binary}: reinstall with "npm install"`);
  }
  return binary;
}

/** A viem chain for a devnet node at `url`. */
export function devnetChain(chainId: number, url: string): Chain {
  return defineChain({
    id: chainId,
    name: "devnet",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
    contracts: { multicall3: { address: MULTICALL3_ADDRESS } },
    testnet: true,
  });
}

/**
 * Runs anvil ("$0" "$@") in the background and kills it when stdin reaches end-of-file (the
 * parent closed the pipe or died); exits with anvil's status when anvil exits by itself.
 */
const WATCHDOG_SCRIPT = [
  "exec 3<&0",
  '"$0" "$@" </dev/null &',
  "node=$!",
  '(read -r _ <&3; kill "$node" 2>/dev/null) &',
  "watcher=$!",
  "exec 3<&-",
  'wait "$node"',
  "status=$?",
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join("\n");

const STOP_GRACE_MS = 5000;
const LOG_TAIL_LINES = 30;

export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilInstance> {
  const chainId = options.chainId ?? DEFAULT_DEVNET_CHAIN_ID;
  const blockTime = options.blockTime ?? 1;
  if (blockTime !== "automine" && !(blockTime > 0)) {
    throw new AnvilError(`block time must be a positive number of seconds or "automine", got ${blockTime}`);
  }
  options.signal?.throwIfAborted();

  const args = [
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--chain-id",
    String(chainId),
    "--mnemonic",
    options.mnemonic ?? DEVNET_MNEMONIC,
    "--accounts",
    String(options.accounts ?? 10),
    "--balance",
    String(options.balanceEth ?? 10000),
    "--hardfork",
    options.hardfork ?? "prague",
    ...(blockTime === "automine" ? [] : ["--block-time", String(blockTime)]),
  ];
  const child = spawn("/bin/sh", ["-c", WATCHDOG_SCRIPT, anvilBinaryPath(), ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  // The node never keeps this process alive: when the process ends, the watchdog ends anvil.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as Socket | null)?.unref();

  const logTail: string[] = [];
  const onLine = (line: string) => {
    logTail.push(line);
    if (logTail.length > LOG_TAIL_LINES) logTail.shift();
    options.onLog?.(line);
  };
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  const stop = onceAsync(() => stopChild(child, exited));

  try {
    const port = await waitForListening(child, onLine, options.startupTimeoutMs ?? 10_000, () =>
      logTail.join("\n"),
    );
    const url = `http://127.0.0.1:${port}`;
    await waitForChainId(url, chainId, options.startupTimeoutMs ?? 10_000);
    const onAbort = () => void stop();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    void exited.then(() => options.signal?.removeEventListener("abort", onAbort));
    return { url, port, chainId, chain: devnetChain(chainId, url), blockTime, exited, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the port anvil prints, reading its output line by line (and keeps draining it). */
function waitForListening(
  child: ChildProcess,
  onLine: (line: string) => void,
  timeoutMs: number,
  tail: () => string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new AnvilError(`anvil did not start within ${timeoutMs} ms`, { details: tail() }));
    }, timeoutMs);
    const stdout = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const stderr = createInterface({ input: child.stderr as NodeJS.ReadableStream });
    stderr.on("line", onLine);
    stdout.on("line", (line) => {
      onLine(line);
      const match = /Listening on [\d.]+:(\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("error", (cause) => {
      clearTimeout(timer);
      reject(new AnvilError("cannot run anvil", { cause }));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(
        new AnvilError(`anvil exited during startup (${signal ?? `code ${code}`})`, { details: tail() }),
      );
    });
  });
}

/** Polls eth_chainId until the node answers, and checks the answer. */
async function waitForChainId(url: string, chainId: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const body = (await httpJson(url, "", {
        method: "POST",
        json: { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
        timeoutMs: 1000,
      })) as { result?: string } | undefined;
      if (body?.result !== undefined) {
        if (Number(body.result) !== chainId) {
          throw new AnvilError(
            `anvil at ${url} reports chain id ${Number(body.result)}, expected ${chainId}`,
          );
        }
        return;
      }
      lastError = new Error(`unexpected eth_chainId answer ${JSON.stringify(body)}`);
    } catch (error) {
      if (error instanceof AnvilError) throw error;
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new AnvilError(`anvil at ${url} did not answer eth_chainId within ${timeoutMs} ms`, {
    cause: lastError,
  });
}

/** Closes the watchdog's pipe (it kills anvil), then kills the process group if it lingers. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function onceAsync(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}
