/**
 * `operator devnet --demo`: a vault's life on the devnet, told step by step with the real CLI
 * commands a node operator types — init, create-keys, create-wallet, set-manager (version 5) or
 * set-root (version 1), fund, deposit, start (left running), and a voluntary exit — each run as
 * its own process, its output shown.
 */
import { createServer } from "node:net";
import { join } from "node:path";
import { parseEventLogs } from "viem";
import { vaultAbi } from "../../chain/abi/vault.ts";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import { createConsensusClient } from "../../chain/consensus-client.ts";
import type { ValidatorInfo } from "../../chain/consensus-dto.ts";
import type { Devnet } from "../../devnet/devnet.ts";
import { OperatorError } from "../../lib/errors.ts";
import { sleep } from "../../lib/sleep.ts";
import type { Output } from "../../lib/terminal.ts";
import { type ChildCommand, runChild } from "./child-command.ts";

export interface DemoParameters {
  devnet: Devnet;
  /** A data dir without the devnet vault's dir yet. */
  dataDir: string;
  /** How to run this CLI as a child process: the Node binary and the entry script. */
  operator: readonly string[];
  output: Output;
  signal: AbortSignal;
}

/** The running demo: `start` keeps going until `stop()`. */
export interface Demo {
  stop(): Promise<void>;
}

const KEYS = 2;
const STEPS = 8;
/**
 * What the vault gets and registers: a version-5 vault one 0x02 validator of all 100 ETH (the
 * default validator type), a version-1 vault one 32 ETH validator per key.
 */
const DEPOSIT_ETH = { 1: KEYS * 32, 5: 100 } as const;
const REGISTERED = { 1: KEYS, 5: 1 } as const;

/** Env vars the children get from ours: nothing of the user's operator settings leaks in. */
const PASSED_ENV = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TERM", "NODE_COMPILE_CACHE"];

export async function runDemo(p: DemoParameters): Promise<Demo> {
  const { devnet, dataDir, output, signal } = p;
  const started = performance.now();
  const vault = devnet.vault.address;
  const version = devnet.vault.version === 1 ? 1 : 5;
  const validators = REGISTERED[version];
  const baseEnv: NodeJS.ProcessEnv = Object.fromEntries(
    PASSED_ENV.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]),
  );
  const common = ["--data-dir", dataDir];
  const step = (n: number, title: string) => {
    output.line();
    output.line(`[${n}/${STEPS}] ${title}`);
  };
  const look = (text: string) => output.line(`  → ${text}`);
  const launch = (
    args: string[],
    options: { env?: NodeJS.ProcessEnv; label?: string; note?: string } = {},
  ) => {
    output.line(`$ operator ${args.join(" ")}${options.note ? `   (${options.note})` : ""}`);
    const prefix = options.label ? `  ${options.label} │ ` : "  │ ";
    return runChild({
      command: p.operator,
      args,
      env: { ...baseEnv, ...options.env },
      cwd: dataDir,
      onLine: (line) => output.line(`${prefix}${line}`),
      signal,
    });
  };
  /** Runs a command to its end; a failure stops the demo, naming the step. */
  const run = async (n: number, args: string[], env?: NodeJS.ProcessEnv, note?: string) => {
    const command = launch(args, { ...(env ? { env } : {}), ...(note ? { note } : {}) });
    const code = await command.exited;
    signal.throwIfAborted();
    if (code !== 0) {
      throw new OperatorError(
        `the demo stopped at step ${n}: "operator ${args[0]}" exited with code ${code} (its output is above)`,
      );
    }
    return command;
  };

  output.line(`Demo: a vault's life on this devnet, with the real commands ("operator" is this CLI).`);
  output.line(`Data dir: ${dataDir}`);

  step(1, "A new mnemonic and the vault's config.json");
  const init = await run(1, ["init", "--network", "devnet", "--vault", vault, ...common, "--no-verify"]);
  const mnemonic = shownMnemonic(init.lines);
  look(`${join(dataDir, vault.toLowerCase(), "config.json")}; write the mnemonic down on a real network`);

  step(2, `${KEYS} validator keys: EIP-2335 keystores and the deposit data`);
  const secret = { MNEMONIC: mnemonic };
  await run(
    2,
    ["create-keys", "--vault", vault, "--count", String(KEYS), ...common],
    secret,
    "MNEMONIC: the words of step 1",
  );
  look(`${join(dataDir, vault.toLowerCase())}/keystores and deposit_data.json`);

  step(3, "The hot wallet that pays for the registration transactions");
  await run(3, ["create-wallet", "--vault", vault, ...common], secret, "MNEMONIC: the words of step 1");

  if (version === 1) {
    step(4, "The deposit data's Merkle root on the vault, sent by its keys manager (a devnet test account)");
    await run(4, ["devnet", "set-root", ...common]);
    look("on a real network the keys manager sends setValidatorsRoot with the root of get-validators-root");
  } else {
    step(
      4,
      "The hot wallet becomes the vault's validators manager, set by the vault's admin (a devnet test account)",
    );
    await run(4, ["devnet", "set-manager", ...common]);
    look(
      "on a real network the vault's admin calls setValidatorsManager(hot wallet address); start then makes deposit data from the keystores itself",
    );
  }

  step(5, `Gas money for the hot wallet, and ${DEPOSIT_ETH[version]} ETH staked in the vault`);
  await run(5, ["devnet", "fund", "--eth", "1", ...common]);
  await run(5, ["devnet", "deposit", "--eth", String(DEPOSIT_ETH[version]), ...common]);

  step(6, "The registration service: exit signatures to the oracles, their approvals, the registration");
  const metricsPort = await freePort();
  const startArgs = [
    "start",
    "--vault",
    vault,
    ...common,
    "--execution-endpoints",
    devnet.executionUrl,
    "--consensus-endpoints",
    devnet.consensusUrl,
    "--enable-metrics",
    "--metrics-port",
    String(metricsPort),
  ];
  const start = launch(startArgs, { label: "start" });
  try {
    await registered(devnet, validators, start, signal);
    look(
      version === 1
        ? `the vault registered ${validators} validators (vault.validatorIndex() is ${validators}); start keeps running`
        : `the vault registered one 0x02 validator with all ${DEPOSIT_ETH[version]} ETH (event V2ValidatorRegistered); start keeps running`,
    );

    step(7, "The beacon chain activates them (one epoch after the deposits on this devnet)");
    // A new devnet's first validators are the vault's: indexes 0 and 1.
    const consensus = createConsensusClient({ endpoints: [devnet.consensusUrl] });
    const indexes = Array.from({ length: validators }, (_, i) => i);
    const active = await until(signal, 60_000, "the validators' activation", async () => {
      const found = await consensus.getValidators(indexes);
      return found.length === validators && found.every((v) => v.status === "active_ongoing")
        ? found
        : undefined;
    });
    look(describeValidators(active));

    step(8, "A voluntary exit of one validator, signed with its keystore and sent to the beacon node");
    await run(8, [
      "validators-exit",
      "--vault",
      vault,
      ...common,
      "--consensus-endpoints",
      devnet.consensusUrl,
      "--count",
      "1",
      "--yes",
    ]);
    const exiting = await until(signal, 30_000, "the exit on the beacon chain", async () => {
      const found = await consensus.getValidators(indexes);
      return found.some((v) => v.status === "active_exiting") ? found : undefined;
    });
    look(describeValidators(exiting));
  } catch (error) {
    await start.stop();
    throw error;
  }

  output.line();
  output.line(
    `Done in ${Math.round((performance.now() - started) / 1000)} s. The devnet and start keep running; explore:`,
  );
  output.line(
    `  curl -s http://127.0.0.1:${metricsPort}/health            what start is doing and waiting for`,
  );
  output.line(`  curl -s http://127.0.0.1:${metricsPort}/metrics | grep ^sw_operator_`);
  output.line(`  curl -s ${devnet.consensusUrl}/eth/v1/beacon/states/head/validators`);
  // Version 1 registered both keys; version 5 one (now exiting), so 32 ETH more registers the other.
  const afterDeposit =
    version === 1 ? "start then waits for a new key" : "start registers the second key with it";
  output.line(`  operator devnet deposit --eth 32 --data-dir ${dataDir}     ${afterDeposit}`);
  output.line(`  operator create-keys --vault ${vault} --count 1 --data-dir ${dataDir}`);
  output.line(`  ${join(dataDir, "devnet", "devnet.json")}: endpoints, contracts, test accounts`);
  return { stop: () => start.stop().then(() => undefined) };
}

/** The mnemonic `init --no-verify` printed: the line after "This is your seed phrase…" and a blank. */
function shownMnemonic(lines: readonly string[]): string {
  const at = lines.findIndex((l) => l.startsWith("This is your seed phrase"));
  const words = lines.slice(at + 1).find((l) => l.trim().split(/\s+/).length >= 12);
  if (at < 0 || !words) throw new OperatorError("the demo could not read the mnemonic init printed");
  return words.trim();
}

/** Waits until the vault registered `count` validators, while `start` runs. */
async function registered(devnet: Devnet, count: number, start: ChildCommand, signal: AbortSignal) {
  let exit: number | null | undefined;
  void start.exited.then((code) => {
    exit = code;
  });
  await until(signal, 90_000, "the registration", async () => {
    if (exit !== undefined) {
      throw new OperatorError(
        `the demo stopped at step 6: "operator start" exited with code ${exit} (its output is above)`,
      );
    }
    return (await registeredCount(devnet)) >= count ? true : undefined;
  });
}

/** Validators the vault registered: its validatorIndex (version 1), or its registration events. */
async function registeredCount(devnet: Devnet): Promise<number> {
  const client = devnet.clients.sender;
  const vault = devnet.vault.address;
  if (devnet.vault.version === 1) {
    return Number(
      await client.readContract({ address: vault, abi: vaultAbi, functionName: "validatorIndex" }),
    );
  }
  const logs = await client.getLogs({ address: vault, fromBlock: 0n });
  return parseEventLogs({ abi: vaultV5Abi, logs }).filter(
    (log) => log.eventName === "V2ValidatorRegistered" || log.eventName === "ValidatorRegistered",
  ).length;
}

/** Polls `probe` four times a second until it returns a value; a timeout names what was awaited. */
async function until<T>(
  signal: AbortSignal,
  timeoutMs: number,
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new OperatorError(`the demo waited ${timeoutMs / 1000} s for ${what}`);
    await sleep(250, signal);
  }
}

function describeValidators(validators: readonly ValidatorInfo[]): string {
  return validators.map((v) => `validator ${v.index} ${v.status}`).join(", ");
}

/** A loopback port free right now (for start's metrics server). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
