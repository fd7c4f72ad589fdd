/**
 * `operator start` under faults (issue Must 3 and Must 4), against the devnet, one validator per
 * case: one of two execution or consensus endpoints down or failing, oracles below and above the
 * threshold down, an oracle signing with the wrong key, gas above --max-fee-per-gas-gwei, the hot
 * wallet out of funds, and a key someone else already deposited. Each case starts the real CLI
 * with its own endpoints and flags, funds one more validator and watches the chain and the logs.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther, toHex } from "viem";
import { depositContractAbi } from "../../src/chain/abi/deposit-contract.ts";
import { type BeaconServer, startBeaconServer } from "../../src/devnet/beacon/server.ts";
import {
  deadPort,
  depositDataPubkeys,
  type LogLine,
  poll,
  readJournal,
  type ServiceRun,
  type StartFixture,
  setupStart,
  sleep,
  startHttpProxy,
  startService,
} from "./start-fixture.ts";

const KEYS = 11;

describe("operator start under faults", () => {
  let f: StartFixture;
  /** Validators the vault's deposits pay for so far. */
  let funded = 0;

  before(async () => {
    f = await setupStart({ keys: KEYS });
  });
  after(async () => {
    await f?.stop();
  });

  /** Deposits what the vault needs to fund `target` validators in all. */
  const fundUpTo = async (target: number) => {
    if (target > funded) {
      await f.devnet.depositToVault(parseEther(String(32 * (target - funded))));
      funded = target;
    }
  };

  /** Waits until the vault's validator index reaches `target` (the run must stay up). */
  const registered = (run: ServiceRun, target: number, timeoutMs = 45_000) =>
    poll(
      async () => {
        assert.equal(run.child.exitCode, null, `the service exited\n${run.output()}`);
        return (await f.vaultIndex()) >= target ? true : undefined;
      },
      { timeoutMs, what: () => `validator ${target} registered\n${run.output()}` },
    );

  /** Starts a run with `args`, funds one more validator and waits for it. */
  const registersOne = async (args: string[], timeoutMs = 45_000) => {
    const target = (await f.vaultIndex()) + 1;
    await fundUpTo(target);
    const run = startService(args, f.env());
    try {
      await registered(run, target, timeoutMs);
      assert.equal(await f.vaultIndex(), target, "exactly one validator registered");
      return run;
    } finally {
      const { code } = await run.stop();
      assert.equal(code, 0, run.output());
    }
  };

  const warnings = (run: ServiceRun, msg?: string): LogLine[] =>
    run.lines.filter((l) => l.level === "warn" && (msg === undefined || l.msg === msg));
  /** The lines saying a task (the registration unless told) waits (`msg` is "waiting for …"). */
  const waits = (run: ServiceRun, msg: string, task = "registration"): LogLine[] =>
    run.lines.filter((l) => l.msg === msg && l.task === task);
  const waitingLine = (msg: string) => (l: LogLine) => l.msg === msg;
  /** Lines that are no waiting for this: errors of failed rounds, counted as exceptions. */
  const roundFailures = (run: ServiceRun): LogLine[] => run.lines.filter((l) => l.error !== undefined);

  /** A wait is told once, then repeated at most once per epoch (8 one-second slots on the devnet). */
  const atMostOncePerEpoch = (lines: readonly LogLine[], what: string) => {
    const epochMs = f.devnet.network.slotsPerEpoch * f.devnet.network.secondsPerSlot * 1000;
    const times = lines.map((l) => Date.parse(l.time));
    assert.ok(lines.length >= 1, `${what}: told at least once`);
    for (let i = 1; i < times.length; i++) {
      assert.ok(
        (times[i] as number) - (times[i - 1] as number) >= epochMs - 10,
        `${what}: told twice within one epoch: ${JSON.stringify(lines.slice(i - 1, i + 1))}`,
      );
    }
  };

  describe("execution endpoints", () => {
    it("registers through the second when the first refuses connections", async () => {
      const port = await deadPort();
      await registersOne(
        f.startArgs(["--execution-endpoints", `http://127.0.0.1:${port},${f.devnet.executionUrl}`]),
        25_000,
      );
    });

    it("registers through the second when the first answers HTTP 503", async () => {
      const proxy = await startHttpProxy({ target: f.devnet.executionUrl });
      proxy.setFault("error");
      try {
        await registersOne(
          f.startArgs(["--execution-endpoints", `${proxy.url},${f.devnet.executionUrl}`]),
          25_000,
        );
        assert.ok(proxy.requests > 0, "the failing endpoint was tried first");
      } finally {
        await proxy.close();
      }
    });
  });

  it("consensus: registers through the second endpoint when the first is down", async () => {
    const down: BeaconServer = await startBeaconServer({ state: f.devnet.beacon });
    down.setFault("down", "all");
    try {
      await registersOne(f.startArgs(["--consensus-endpoints", `${down.url},${f.devnet.consensusUrl}`]));
    } finally {
      await down.close();
    }
  });

  describe("oracles (3, threshold 2)", () => {
    const oracle = (position: number) =>
      (f.devnet.committee.oracles[position]?.key.address ?? "").toLowerCase();

    it("keeps registering with one oracle down, and says which one failed", async () => {
      f.devnet.committee.setFault(0, "down");
      try {
        const run = await registersOne(f.startArgs());
        const failed = warnings(run, "oracle did not approve");
        assert.ok(failed.length > 0, run.output());
        assert.ok(
          failed.every((l) => String(l.oracle).toLowerCase() === oracle(0)),
          run.output(),
        );
      } finally {
        f.devnet.committee.setFault(0, null);
      }
    });

    it("waits with two oracles down, warning once per epoch at most, and registers when they return", async () => {
      const start = await f.vaultIndex();
      await fundUpTo(start + 1);
      f.devnet.committee.setFault(0, "down");
      f.devnet.committee.setFault(1, "refuse");
      const run = startService(f.startArgs(), f.env());
      try {
        await run.waitForLog(waitingLine("waiting for oracle approvals"), {
          timeoutMs: 30_000,
          what: "the first round without enough approvals",
        });
        await sleep(5_000);
        assert.equal(await f.vaultIndex(), start, "nothing registered without enough approvals");
        assert.deepEqual(
          warnings(run).filter((l) => l.msg !== "waiting for oracle approvals"),
          [],
          `only the waiting warning while waiting:\n${run.output()}`,
        );
        assert.deepEqual(roundFailures(run), [], "waiting is not a failed round");
        const waiting = waits(run, "waiting for oracle approvals");
        atMostOncePerEpoch(waiting, "oracles below threshold");
        const last = waiting.at(-1) as LogLine;
        assert.equal(last.level, "warn");
        assert.match(String(last.reason), /1 oracle approvals agree, 2 required/);
        assert.match(String(last.reason), new RegExp(oracle(0), "i"), "names the failed oracles");
        assert.match(String(last.reason), new RegExp(oracle(1), "i"));
        // The exit-signature rotation tells its own wait once, at info level, naming the oracles.
        const reports = waits(run, "waiting for oracle reports", "exit-signatures");
        assert.equal(reports.length, 1, run.output());
        assert.equal(reports[0]?.task, "exit-signatures");
        assert.equal(reports[0]?.level, "info");
        assert.match(
          String(reports[0]?.reason),
          /1 of 3 oracles answered which exit signatures are outdated/,
        );
        assert.match(String(reports[0]?.reason), new RegExp(oracle(0), "i"));

        f.devnet.committee.setFault(0, null);
        f.devnet.committee.setFault(1, null);
        await registered(run, start + 1, 30_000);
        assert.equal(await f.vaultIndex(), start + 1);
      } finally {
        f.devnet.committee.setFault(0, null);
        f.devnet.committee.setFault(1, null);
        const { code } = await run.stop();
        assert.equal(code, 0, run.output());
      }
    });

    it("ignores an oracle whose approval is signed by another key", async () => {
      f.devnet.committee.setFault(2, "wrong-signature");
      try {
        const run = await registersOne(f.startArgs());
        const failed = warnings(run, "oracle did not approve");
        assert.ok(failed.length > 0, run.output());
        for (const line of failed) {
          assert.equal(String(line.oracle).toLowerCase(), oracle(2));
          assert.match(String(line.reason), /signature by 0x[0-9a-fA-F]{40}, not by the oracle/);
        }
      } finally {
        f.devnet.committee.setFault(2, null);
      }
    });
  });

  it("waits while gas is above --max-fee-per-gas-gwei, then registers under a cap that allows it", async () => {
    const start = await f.vaultIndex();
    await fundUpTo(start + 1);
    const nonce = await f.nonce("pending");
    const run = startService(f.startArgs(["--max-fee-per-gas-gwei", "0.000001"]), f.env());
    try {
      await run.waitForLog(waitingLine("waiting for a lower gas price"), {
        timeoutMs: 30_000,
        what: "the first round waiting for gas",
      });
      await sleep(4_000);
      assert.equal(run.child.exitCode, null, run.output());
      assert.equal(await f.vaultIndex(), start, "nothing registered above the gas cap");
      assert.equal(await f.nonce("pending"), nonce, "no transaction sent");
      assert.deepEqual(roundFailures(run), [], run.output());
      const waiting = waits(run, "waiting for a lower gas price");
      assert.equal(
        waiting.length,
        1,
        `a wait for gas is told once: the cap is the operator's choice\n${run.output()}`,
      );
      assert.equal(waiting[0]?.level, "info");
      assert.match(
        String(waiting[0]?.reason),
        /gas price [0-9.]+ gwei is above --max-fee-per-gas-gwei 0\.000001: waiting/,
      );
    } finally {
      const { code } = await run.stop();
      assert.equal(code, 0, run.output());
    }
    await registersOne(f.startArgs(["--max-fee-per-gas-gwei", "100"]));
  });

  it("hot wallet out of funds: a clear warning once per epoch at most, metrics, healthy, no exit; registers once funded", async () => {
    const start = await f.vaultIndex();
    await fundUpTo(start + 1);
    const setBalance = (wei: bigint) =>
      f.devnet.clients.deployer.request({
        method: "anvil_setBalance" as never,
        params: [f.wallet, toHex(wei)] as never,
      });
    const balance = await f.devnet.clients.sender.getBalance({ address: f.wallet });
    await setBalance(0n);
    const metricsPort = await deadPort();
    const run = startService(
      f.startArgs(["--enable-metrics", "--metrics-port", String(metricsPort)]),
      f.env(),
    );
    try {
      await run.waitForLog((l) => l.level === "warn" && /^hot wallet balance is low/.test(l.msg), {
        what: "the low-balance warning",
      });
      await run.waitForLog(waitingLine("waiting for hot wallet funds"), {
        timeoutMs: 30_000,
        what: "the first round without funds",
      });
      await sleep(5_000);
      assert.equal(run.child.exitCode, null, `the service keeps running\n${run.output()}`);
      assert.equal(await f.vaultIndex(), start);
      assert.deepEqual(roundFailures(run), [], run.output());
      const waiting = waits(run, "waiting for hot wallet funds");
      atMostOncePerEpoch(waiting, "wallet out of funds");
      for (const line of waiting) {
        assert.equal(line.level, "warn");
        assert.match(
          String(line.reason),
          new RegExp(`hot wallet ${f.wallet} has 0 ETH, needs about [0-9.]+ ETH .*send funds to it`, "i"),
          run.output(),
        );
      }
      assert.deepEqual(
        readJournal(join(f.vaultDir, "operator.db")).filter(
          (r) => r.status === "signed" || r.status === "sent",
        ),
        [],
        "no transaction signed that the node would refuse",
      );
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      assert.doesNotMatch(metrics, /^sw_operator_exception_count\{[^}]*\} [1-9]/m, "waiting is no exception");
      assert.doesNotMatch(metrics, /^sw_operator_registrations_total\{[^}]*outcome="failure"[^}]*\} [1-9]/m);
      assert.match(metrics, /^sw_operator_wallet_balance_gwei\{[^}]*\} 0$/m, metrics);
      assert.match(
        metrics,
        /^sw_operator_waiting\{[^}]*task="registration",reason="funds"[^}]*\} 1$/m,
        metrics,
      );
      assert.match(
        metrics,
        /^sw_operator_stakeable_assets_gwei\{[^}]*\} [1-9]\d*$/m,
        "whole gwei, not a float",
      );
      const health = await fetch(`http://127.0.0.1:${metricsPort}/health`);
      assert.equal(health.status, 200, "waiting for funds is healthy: the service does what it should");
      const details = (
        (await health.json()) as { details: { vault: string; tasks: Record<string, unknown> } }
      ).details;
      assert.equal(details.vault, f.vault);
      assert.equal((details.tasks.registration as { waitingFor?: string }).waitingFor, "funds");

      await setBalance(balance);
      await registered(run, start + 1, 30_000);
    } finally {
      await setBalance(balance);
      const { code } = await run.stop();
      assert.equal(code, 0, run.output());
    }
    assert.equal(await f.nonce("pending"), await f.nonce("latest"));
  });

  it("/health: 503 with the reason while no consensus or no execution endpoint answers, 200 when they do", async () => {
    const beacon = await startBeaconServer({ state: f.devnet.beacon });
    const node = await startHttpProxy({ target: f.devnet.executionUrl });
    const metricsPort = await deadPort();
    const run = startService(
      f.startArgs([
        "--execution-endpoints",
        node.url,
        "--consensus-endpoints",
        beacon.url,
        "--enable-metrics",
        "--metrics-port",
        String(metricsPort),
      ]),
      f.env(),
    );
    type Health = { status: number; reason?: string };
    const health = async (): Promise<Health> => {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/health`);
      const body = (await response.json()) as { details: { reason?: string } };
      return { status: response.status, ...(body.details.reason ? { reason: body.details.reason } : {}) };
    };
    const healthBecomes = (status: number, reason?: RegExp) =>
      poll(
        async () => {
          const h = await health().catch(() => undefined);
          return h?.status === status && (!reason || reason.test(h.reason ?? "")) ? h : undefined;
        },
        { timeoutMs: 20_000, what: () => `/health ${status} ${reason ?? ""}\n${run.output()}` },
      );
    try {
      await run.waitForLog((l) => l.msg === "service started", { what: "the start" });
      await healthBecomes(200);

      beacon.setFault("down", "all");
      const noConsensus = await healthBecomes(503, /no consensus endpoint answers/);
      assert.match(
        String(noConsensus.reason),
        /^no consensus endpoint answers: http:\/\/127\.0\.0\.1:\d+ .+/,
      );
      const down = await run.waitForLog((l) => l.msg === "consensus endpoint is down", {
        what: "the down line",
      });
      assert.equal(down.endpoint, beacon.url);
      beacon.setFault(null, "all");
      await healthBecomes(200);
      await run.waitForLog((l) => l.msg === "consensus endpoint answers again", { what: "the back line" });

      node.setFault("error");
      await healthBecomes(503, /no execution endpoint answers: http:\/\/127\.0\.0\.1:\d+ answered HTTP 503/);
      const failing = await healthBecomes(503, /the last 5 rounds failed \(/);
      assert.match(String(failing.reason), /no execution endpoint answers/);
      assert.equal(
        warnings(run, "registration failed").length,
        1,
        `one warning in the first epoch\n${run.output()}`,
      );
      node.setFault(null);
      await healthBecomes(200);
      await run.waitForLog((l) => l.msg === "registration works again", { what: "the recovery line" });
      assert.equal(run.child.exitCode, null, run.output());
    } finally {
      const { code } = await run.stop();
      await beacon.close();
      await node.close();
      assert.equal(code, 0, run.output());
    }
  });

  it("skips a key someone else deposited, with a warning, and registers nothing in its place", async () => {
    const start = await f.vaultIndex();
    // The vault registers up to `mine` (after anything an earlier case left funded); `mine + 1`
    // is deposited by someone else; `mine + 2` must never be deposited.
    const mine = Math.max(start, funded);
    assert.ok(mine + 3 <= KEYS, "keys left for this case");
    const keys = await depositDataPubkeys(f.depositDataFile);
    const entries = JSON.parse(await readFile(f.depositDataFile, "utf8")) as Array<{
      pubkey: string;
      withdrawal_credentials: string;
      signature: string;
      deposit_data_root: string;
    }>;
    // Someone else deposits the key after the next one, with the vault's own deposit data.
    const theirs = entries[mine + 1] as (typeof entries)[number];
    const hex = (v: string) => `0x${v.replace(/^0x/, "")}` as Hex;
    const hash = await f.devnet.clients.depositor.writeContract({
      address: f.devnet.network.depositContract.address,
      abi: depositContractAbi,
      functionName: "deposit",
      args: [
        hex(theirs.pubkey),
        hex(theirs.withdrawal_credentials),
        hex(theirs.signature),
        hex(theirs.deposit_data_root),
      ],
      value: parseEther("32"),
    });
    await f.devnet.clients.depositor.waitForTransactionReceipt({ hash });
    const before = await f.depositedPubkeys();

    // Funds for two more: the next key is registered, the batch stops before the deposited one.
    await fundUpTo(mine + 2);
    const run = startService(f.startArgs(), f.env());
    try {
      await registered(run, mine + 1);
      const blocked = await run.waitForLog((l) => l.msg === "waiting for deposit data", {
        timeoutMs: 20_000,
        what: "the blocked-registration warning",
      });
      assert.equal(blocked.level, "warn");
      assert.match(
        String(blocked.reason),
        new RegExp(
          `validator ${keys[mine + 1]} \\(deposit data index ${mine + 1}\\) already has a deposit on chain`,
        ),
      );
      assert.match(String(blocked.reason), /upload new deposit data without it/);
      await sleep(4_000);
      assert.equal(run.child.exitCode, null, run.output());
      assert.equal(await f.vaultIndex(), mine + 1, "nothing registered past the deposited key");
      assert.equal(
        warnings(run, "waiting for deposit data").length,
        1,
        `the blocked warning is not repeated every slot\n${run.output()}`,
      );
      assert.deepEqual(
        warnings(run).filter((l) => l.error !== undefined),
        [],
        `no failed rounds while blocked\n${run.output()}`,
      );
    } finally {
      const { code } = await run.stop();
      assert.equal(code, 0, run.output());
    }
    const after = await f.depositedPubkeys();
    assert.deepEqual(
      after,
      [...before, ...keys.slice(start, mine + 1)],
      "only the keys before theirs were deposited, by the vault",
    );
    assert.equal(after.filter((k) => k === keys[mine + 1]).length, 1, "their key deposited once, by them");
    assert.ok(!after.includes(keys[mine + 2] as Hex), "no key past theirs deposited");
    assert.equal(new Set(after).size, after.length);
  });
});
