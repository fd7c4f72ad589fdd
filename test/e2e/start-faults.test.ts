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

  /**
   * Warnings, without the slot loop's "task overran" (a slow round on a loaded 2-core machine with
   * 1-second slots says so; it is not a symptom of the fault under test).
   */
  const warnings = (run: ServiceRun, msg?: string): LogLine[] =>
    run.lines.filter(
      (l) =>
        l.level === "warn" && l.msg !== "task overran; skipped slots" && (msg === undefined || l.msg === msg),
    );
  /** The warnings of failed registration rounds with this error. */
  const failures = (run: ServiceRun, errorName: string): LogLine[] =>
    run.lines.filter((l) => l.level === "warn" && l.error?.name === errorName);
  const failedWith = (errorName: string) => (l: LogLine) => l.level === "warn" && l.error?.name === errorName;

  /** Log lines of one kind come at most once per slot (1 s on the devnet). */
  const atMostOnePerSlot = (lines: readonly LogLine[], what: string) => {
    const times = lines.map((l) => Date.parse(l.time));
    for (let i = 1; i < times.length; i++) {
      assert.ok(
        (times[i] as number) - (times[i - 1] as number) >= 990,
        `${what}: two warnings within one slot: ${JSON.stringify(lines.slice(i - 1, i + 1))}`,
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

    it("waits with two oracles down, warning at most once per slot, and registers when they return", async () => {
      const start = await f.vaultIndex();
      await fundUpTo(start + 1);
      f.devnet.committee.setFault(0, "down");
      f.devnet.committee.setFault(1, "refuse");
      const run = startService(f.startArgs(), f.env());
      try {
        await run.waitForLog(failedWith("NotEnoughOracleApprovalsError"), {
          timeoutMs: 30_000,
          what: "the first round without enough approvals",
        });
        await sleep(5_000);
        assert.equal(await f.vaultIndex(), start, "nothing registered without enough approvals");
        assert.deepEqual(
          warnings(run).filter((l) => l.error?.name !== "NotEnoughOracleApprovalsError"),
          [],
          `only the round warning while waiting:\n${run.output()}`,
        );
        const waiting = failures(run, "NotEnoughOracleApprovalsError");
        atMostOnePerSlot(waiting, "oracles below threshold");
        const last = waiting.at(-1) as LogLine;
        assert.match(String(last.error?.message), /1 oracle approvals agree, 2 required/);
        assert.match(String(last.error?.message), new RegExp(oracle(0), "i"), "names the failed oracles");
        assert.match(String(last.error?.message), new RegExp(oracle(1), "i"));

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
      await run.waitForLog(failedWith("GasPriceTooHighError"), {
        timeoutMs: 30_000,
        what: "the first round waiting for gas",
      });
      await sleep(4_000);
      assert.equal(run.child.exitCode, null, run.output());
      assert.equal(await f.vaultIndex(), start, "nothing registered above the gas cap");
      assert.equal(await f.nonce("pending"), nonce, "no transaction sent");
      assert.deepEqual(
        warnings(run).filter((l) => l.error !== undefined && l.error.name !== "GasPriceTooHighError"),
        [],
        run.output(),
      );
      const waiting = failures(run, "GasPriceTooHighError");
      atMostOnePerSlot(waiting, "gas above the cap");
      for (const line of waiting) {
        assert.match(
          String(line.error?.message),
          /gas price [0-9.]+ gwei is above --max-fee-per-gas-gwei 0\.000001: waiting/,
        );
      }
    } finally {
      const { code } = await run.stop();
      assert.equal(code, 0, run.output());
    }
    await registersOne(f.startArgs(["--max-fee-per-gas-gwei", "100"]));
  });

  it("hot wallet out of funds: a clear warning per slot at most, a metric, no exit; registers once funded", async () => {
    const start = await f.vaultIndex();
    await fundUpTo(start + 1);
    const setBalance = (wei: bigint) =>
      f.devnet.clients.deployer.request({
        method: "anvil_setBalance" as never,
        params: [f.wallet, toHex(wei)] as never,
      });
    const balance = await f.devnet.clients.hotWallet.getBalance({ address: f.wallet });
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
      await run.waitForLog(failedWith("HotWalletFundsError"), {
        timeoutMs: 30_000,
        what: "the first round without funds",
      });
      await sleep(5_000);
      assert.equal(run.child.exitCode, null, `the service keeps running\n${run.output()}`);
      assert.equal(await f.vaultIndex(), start);
      assert.deepEqual(
        warnings(run).filter((l) => l.error !== undefined && l.error.name !== "HotWalletFundsError"),
        [],
        run.output(),
      );
      const waiting = failures(run, "HotWalletFundsError");
      atMostOnePerSlot(waiting, "wallet out of funds");
      for (const line of waiting) {
        assert.match(
          String(line.error?.message),
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
      const exceptions = /^sw_operator_exception_count\{[^}]*task="registration"[^}]*\} (\d+)/m.exec(metrics);
      assert.ok(exceptions && Number(exceptions[1]) >= waiting.length, metrics);
      assert.match(metrics, /^sw_operator_wallet_balance\{[^}]*\} 0$/m, metrics);
      const failed = /^sw_operator_registrations_total\{[^}]*outcome="failure"[^}]*\} (\d+)/m.exec(metrics);
      assert.ok(failed && Number(failed[1]) >= waiting.length, metrics);
      const health = await fetch(`http://127.0.0.1:${metricsPort}/health`);
      assert.equal(health.status, 200, "waiting for funds is healthy: the slot loop runs");
      assert.equal(((await health.json()) as { details: { vault: string } }).details.vault, f.vault);

      await setBalance(balance);
      await registered(run, start + 1, 30_000);
    } finally {
      await setBalance(balance);
      const { code } = await run.stop();
      assert.equal(code, 0, run.output());
    }
    assert.equal(await f.nonce("pending"), await f.nonce("latest"));
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
      const blocked = await run.waitForLog((l) => l.msg === "registration blocked", {
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
        warnings(run, "registration blocked").length,
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
