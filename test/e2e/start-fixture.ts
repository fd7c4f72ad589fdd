/**
 * Shared set-up of the `operator start` end-to-end tests (start-crash, start-faults,
 * start-config): a devnet, a data dir made by the create-keys and create-wallet handlers (in this
 * process, with a light scrypt: n = 2^10 instead of 2^18), the
 * deposit data root set on the vault (version 1) or the hot wallet made the validators manager
 * (version 5), the hot wallet funded; and a handle on a running service
 * whose JSON log lines are parsed as they arrive.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type Address, type Hex, parseEther, parseEventLogs } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { scanDepositEvents } from "../../src/chain/deposit-events.ts";
import { runCreateKeys } from "../../src/commands/create-keys/handler.ts";
import { runCreateWallet } from "../../src/commands/create-wallet/handler.ts";
import { mnemonicToSeed, parseMnemonic } from "../../src/crypto/mnemonic.ts";
import { type Devnet, type DevnetOptions, startDevnet } from "../../src/devnet/devnet.ts";
import { deriveHotWallet } from "../../src/keys/hot-wallet.ts";
import type { TransactionKind } from "../../src/operator/state/journal-entry.ts";
import { runCli, startCli, TEST_MNEMONIC, tempDir } from "../support/cli.ts";
import { quietCommandContext } from "../support/command-context.ts";
import { writeVaultConfig } from "../support/e2e.ts";

/** The keystores' and hot wallet's scrypt in the fixture (the deposit CLI's is n = 2^18). */
const LIGHT_SCRYPT = { function: "scrypt", n: 1024, r: 8, p: 1 } as const;

export interface StartFixture {
  devnet: Devnet;
  dataDir: string;
  vault: Address;
  vaultDir: string;
  /** The hot wallet create-wallet made (not one of the devnet's accounts). */
  wallet: Address;
  depositDataFile: string;
  /** The `start` arguments for the devnet's own endpoints; `extra` is appended. */
  startArgs(extra?: readonly string[]): string[];
  /** The env every service run gets: JSON logs. */
  env(extra?: Record<string, string>): Record<string, string>;
  vaultIndex(): Promise<number>;
  /** The hot wallet's transaction count at `blockTag`. */
  nonce(blockTag?: "latest" | "pending"): Promise<number>;
  /** Every DepositEvent's public key, in chain order. */
  depositedPubkeys(): Promise<Hex[]>;
  stop(): Promise<void>;
}

export interface SetupOptions {
  /** Keys create-keys makes (0: none, and no create-keys run). */
  keys: number;
  devnet?: DevnetOptions;
  /** ETH sent to the hot wallet (default 10). */
  walletEth?: string;
  /**
   * Version 5: leave the vault's validators manager as the devnet made it (e.g. the relayer's
   * wallet of `devnet --dvt`) instead of the hot wallet.
   */
  keepValidatorsManager?: boolean;
}

/** A devnet and a data dir ready for `operator start` (vault root set, hot wallet funded). */
export async function setupStart(options: SetupOptions): Promise<StartFixture> {
  const { path: dataDir, cleanup } = await tempDir("vault-operator-start-");
  let devnet: Devnet | undefined;
  try {
    devnet = await startDevnet({ blockTime: 1, outputDir: join(dataDir, "devnet"), ...options.devnet });
    const d = devnet;
    const vault = d.vault.address;
    const vaultDir = await writeVaultConfig(dataDir, vault, "devnet", 0);
    // The handlers the CLI runs, in this process and with a light scrypt: the service suites set
    // up some twenty data dirs, and the deposit CLI's scrypt (256 MiB, about a second per key and
    // for the wallet) would cost CI's two cores over a minute. The real parameters are covered by
    // the create-keys and create-wallet suites and the vectors.
    const ctx = quietCommandContext();
    const mnemonic = parseMnemonic(TEST_MNEMONIC);
    // No keys: an operator whose validators come from a DVT relayer.
    if (options.keys > 0) {
      await runCreateKeys(
        { vault, count: options.keys, mnemonic, dataDir, perKeystorePassword: false, kdf: LIGHT_SCRYPT },
        ctx,
      );
    }
    await runCreateWallet({ vault, mnemonic, dataDir, scrypt: { ...LIGHT_SCRYPT, dklen: 32 } }, ctx);
    const wallet = deriveHotWallet(mnemonicToSeed(TEST_MNEMONIC)).address;
    const fund = await d.clients.depositor.sendTransaction({
      to: wallet,
      value: parseEther(options.walletEth ?? "10"),
    });
    await d.clients.depositor.waitForTransactionReceipt({ hash: fund });
    if (d.vault.version === 1) {
      // Without keys there is no deposit data: the test sets the root it needs.
      if (options.keys > 0) {
        const root = await runCli(["get-validators-root", "--vault", vault, "--data-dir", dataDir]);
        assert.equal(root.code, 0, root.stderr);
        const validatorsRoot = /root: (0x[0-9a-f]{64})/.exec(root.stdout)?.[1] as Hex;
        const set = await d.clients.keysManager.writeContract({
          address: vault,
          abi: vaultAbi,
          functionName: "setValidatorsRoot",
          args: [validatorsRoot],
        });
        await d.clients.keysManager.waitForTransactionReceipt({ hash: set });
      }
    } else if (!options.keepValidatorsManager) {
      // A version-5 vault: the hot wallet becomes its validators manager (no deposit data root).
      await d.setValidatorsManager(wallet);
    }

    const reader = d.clients.sender;
    return {
      devnet: d,
      dataDir,
      vault,
      vaultDir,
      wallet,
      depositDataFile: join(vaultDir, "deposit_data.json"),
      startArgs: (extra = []) => [
        "start",
        "--vault",
        vault,
        "--data-dir",
        dataDir,
        "--execution-endpoints",
        d.executionUrl,
        "--consensus-endpoints",
        d.consensusUrl,
        ...extra,
      ],
      // No IPFS_FETCH_ENDPOINTS: the devnet's network.json names its gateway, as a user meets it.
      env: (extra = {}) => ({ LOG_FORMAT: "json", ...extra }),
      vaultIndex: async () =>
        Number(await reader.readContract({ address: vault, abi: vaultAbi, functionName: "validatorIndex" })),
      nonce: (blockTag = "latest") => reader.getTransactionCount({ address: wallet, blockTag }),
      depositedPubkeys: async () =>
        (
          await scanDepositEvents({
            client: reader,
            depositContract: d.network.depositContract.address,
            fromBlock: 0n,
            toBlock: await reader.getBlockNumber(),
          })
        ).map((e) => e.pubkey),
      stop: async () => {
        await d.stop();
        await cleanup();
      },
    };
  } catch (error) {
    await devnet?.stop();
    await cleanup();
    throw error;
  }
}

/** A row of the service's transaction journal (operator.db, table `transactions`). */
export interface JournalRow {
  id: number;
  kind: TransactionKind;
  public_keys: string;
  tx_hash: string;
  nonce: number;
  status: string;
}

/** The transaction journal as another process sees it (the service may be writing). */
export function readJournal(file: string): JournalRow[] {
  if (!existsSync(file)) return [];
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file, { readOnly: true, timeout: 2000 });
    return db
      .prepare("SELECT id, kind, public_keys, tx_hash, nonce, status FROM transactions ORDER BY id")
      .all() as unknown as JournalRow[];
  } catch {
    return []; // not created or not migrated yet
  } finally {
    db?.close();
  }
}

/**
 * What the oracles keep of `pubkey`'s exit: its beacon index, and the exit signature reassembled
 * from the threshold of shares stored with each ValidatorsApproval that carries the validator.
 */
export async function storedExitSignatures(
  f: StartFixture,
  pubkey: Hex,
): Promise<{ index: number; signatures: Uint8Array[] }> {
  await f.devnet.beacon.sync();
  const index = f.devnet.beacon
    .validatorsAt(f.devnet.beacon.currentSlot())
    .findIndex((v) => v.pubkey.toLowerCase() === pubkey);
  const logs = await f.devnet.clients.sender.getContractEvents({
    address: f.devnet.protocol.keeper.address,
    abi: keeperAbi,
    eventName: "ValidatorsApproval",
    fromBlock: 0n,
  });
  const hashes = parseEventLogs({ abi: keeperAbi, logs, eventName: "ValidatorsApproval" }).map(
    (l) => l.args.exitSignaturesIpfsHash,
  );
  const signatures = hashes.flatMap((hash) => {
    try {
      return [f.devnet.committee.reconstructExitSignature(hash, pubkey)];
    } catch {
      return [];
    }
  });
  return { index, signatures };
}

/** The deposit data file's public keys (0x, lower case), in file order. */
export async function depositDataPubkeys(file: string): Promise<Hex[]> {
  const entries = JSON.parse(await readFile(file, "utf8")) as Array<{ pubkey: string }>;
  return entries.map((e) => `0x${e.pubkey.replace(/^0x/, "").toLowerCase()}` as Hex);
}

/** One JSON log line of the service (level, time, module, context fields, error, msg). */
export interface LogLine {
  level: string;
  time: string;
  module?: string;
  msg: string;
  error?: { name?: string; message?: string };
  [key: string]: unknown;
}

export interface ServiceRun {
  child: ChildProcess;
  /** Parsed stdout lines so far. */
  readonly lines: LogLine[];
  readonly stdout: string;
  readonly stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line (already seen or to come) matching; rejects on exit or timeout. */
  waitForLog(
    match: (line: LogLine) => boolean,
    options?: { timeoutMs?: number; what?: string },
  ): Promise<LogLine>;
  /** SIGTERM, then the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL (kill -9), then the exit. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote, for assertion messages. */
  output(): string;
}

/** Starts `operator start` as a child process, as a user would. */
export function startService(args: readonly string[], env: Record<string, string>): ServiceRun {
  const child = startCli(args, { env });
  child.stdin?.end();
  let stdout = "";
  let stderr = "";
  let partial = "";
  const lines: LogLine[] = [];
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    partial += chunk;
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    for (const text of parts) {
      if (text.trim() === "") continue;
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        lines.push({ level: "raw", time: new Date().toISOString(), msg: text });
      }
    }
    notify();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  let exitState: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => {
      exitState = { code, signal };
      resolve(exitState);
      notify();
    });
  });
  const output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  return {
    child,
    lines,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    output,
    waitForLog(match, { timeoutMs = 60_000, what = "a log line" } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (found) return done(() => resolve(found));
          if (exitState) {
            return done(() =>
              reject(new Error(`service exited (${JSON.stringify(exitState)}) before ${what}\n${output()}`)),
            );
          }
        };
        const timer = setTimeout(
          () =>
            done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${output()}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (!exitState) child.kill("SIGTERM");
      // A service that does not stop within 20 s is killed (and the caller sees signal SIGKILL).
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    async kill() {
      if (!exitState) child.kill("SIGKILL");
      return exited;
    },
  };
}

/** Polls until `check` returns a value other than undefined. */
export async function poll<T>(
  check: () => Promise<T | undefined> | T | undefined,
  {
    timeoutMs = 60_000,
    intervalMs = 250,
    what = "a condition",
  }: { timeoutMs?: number; intervalMs?: number; what?: string | (() => string) } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === "function" ? what() : what}`,
      );
    }
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A loopback port nobody listens on (a dead endpoint). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface HttpProxy {
  url: string;
  /** Requests seen (all, including the ones answered with a fault). */
  readonly requests: number;
  /** "error": every request is answered 503; null: forwarded. */
  setFault(fault: "error" | null): void;
  /** Rewrites a JSON-RPC method's result (e.g. eth_chainId) or a path's JSON body. */
  close(): Promise<void>;
}

export interface HttpProxyOptions {
  target: string;
  /** Answers a request itself when it returns a value (JSON body, status 200). */
  intercept?: (request: { method: string; path: string; body: string }) => unknown;
}

/**
 * A tiny loopback HTTP proxy in front of an endpoint (JSON-RPC or Beacon API): forwards
 * everything, or answers 503 when told, or answers chosen requests itself.
 */
export async function startHttpProxy(options: HttpProxyOptions): Promise<HttpProxy> {
  const target = new URL(options.target);
  let fault: "error" | null = null;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (fault === "error") {
        res.writeHead(503, { "content-type": "application/json" });
        res.end('{"error":"injected fault"}');
        return;
      }
      const own = options.intercept?.({
        method: req.method ?? "GET",
        path: req.url ?? "/",
        body: body.toString(),
      });
      if (own !== undefined) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(own));
        return;
      }
      const forward = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (upstream: IncomingMessage) => {
          res.writeHead(upstream.statusCode ?? 502, upstream.headers);
          upstream.pipe(res);
        },
      );
      forward.on("error", () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    setFault(f) {
      fault = f;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
