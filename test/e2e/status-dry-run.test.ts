/**
 * `operator status` and `start --dry-run` on a version-5 devnet vault whose validators manager is
 * the hot wallet (issue 15, must-be-true 4): each says what the next `start` round then does.
 * Before a deposit status waits for assets; after one, status and the dry run name the validator
 * and amount the next real round registers, the dry run sends nothing (wallet nonce unchanged, no
 * state file written); after the registration status counts it from the chain, the beacon node and
 * the journal, also while the service runs. Bad input (a vault that is none, an endpoint nobody listens on) is one line.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { runCli, TEST_MNEMONIC } from "../support/cli.ts";
import { publicKeyHexOf } from "../support/e2e.ts";
import { startJwtAuthProxy } from "../support/jwt-auth.ts";
import { deadPort, readJournal, type StartFixture, setupStart, startService } from "./start-fixture.ts";

const GWEI = 1_000_000_000n;
const keyOf = (i: number) => `0x${publicKeyHexOf(TEST_MNEMONIC, i).replace(/^0x/, "")}`.toLowerCase() as Hex;

interface StatusJson {
  vault: string;
  network: string;
  version: number;
  flow: { kind: string; name: string };
  validators: { registered: number; byState: Record<string, number>; error: string | null };
  unusedKeys: number | null;
  assets: { stakeableWei: string | null; validatorNeedsWei: string };
  oracles: { total: number; reachable: number; minOracles: number | null; error: string | null };
  wallet: {
    address: string;
    balanceWei: string | null;
    low: boolean | null;
    registrationsAffordable: number | null;
  };
  state: {
    note: string | null;
    transactions: number;
    open: number;
    last: { kind: string; status: string } | null;
  };
  service: { running: boolean | null; tasks: Record<string, { state: string }> | null; error: string | null };
  next: {
    state: string;
    waitingFor: string | null;
    reason: string | null;
    validators: Array<{ publicKey: string | null; amountGwei: string }>;
  };
}

/** The vault's registrations from its own events, in order: what a round actually did. */
async function registered(f: StartFixture): Promise<Array<{ publicKey: string; amountGwei: string }>> {
  const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
  return parseEventLogs({ abi: vaultV5Abi, logs, eventName: "V2ValidatorRegistered" }).map((l) => ({
    publicKey: l.args.publicKey.toLowerCase(),
    amountGwei: String(l.args.amount / GWEI),
  }));
}

describe("status and start --dry-run say what the next round does", { timeout: 240_000 }, () => {
  let f: StartFixture;
  let databaseFile: string;
  const status = async (extra: readonly string[] = []) => {
    const result = await runCli(
      [...f.startArgs(extra).map((a) => (a === "start" ? "status" : a)), "--json"],
      {
        env: f.env(),
      },
    );
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as StatusJson;
  };

  before(async () => {
    f = await setupStart({ keys: 2, devnet: { vaultVersion: 5 } });
    await rm(f.depositDataFile);
    databaseFile = join(f.vaultDir, "operator.db");
  });
  after(async () => {
    await f?.stop();
  });

  it("before a deposit: waits for assets, with every key unused, and writes no state", async () => {
    const s = await status(["--enable-metrics", "--metrics-port", String(await deadPort())]);
    assert.equal(s.vault.toLowerCase(), f.vault.toLowerCase());
    assert.equal(s.version, 5);
    assert.equal(s.flow.kind, "validators-manager");
    assert.deepEqual(s.validators, { registered: 0, byState: {}, error: null });
    assert.equal(s.unusedKeys, 2);
    assert.equal(s.assets.validatorNeedsWei, String(parseEther("32")));
    assert.equal(s.oracles.error, null);
    assert.ok(s.oracles.total > 0 && s.oracles.reachable === s.oracles.total, JSON.stringify(s.oracles));
    assert.equal(s.wallet.address.toLowerCase(), f.wallet.toLowerCase());
    assert.equal(s.wallet.balanceWei, String(parseEther("10")));
    assert.equal(s.wallet.low, false);
    assert.ok((s.wallet.registrationsAffordable ?? 0) > 0);
    assert.match(s.state.note ?? "", /does not exist yet/);
    assert.equal(s.state.last, null);
    assert.equal(s.next.state, "waiting");
    assert.equal(s.next.waitingFor, "assets");
    assert.deepEqual(s.next.validators, []);
    assert.equal(s.service.running, false, "no service answers /health");
    assert.equal(existsSync(databaseFile), false, "status creates no state file");
  });

  it("an execution node behind JWT authentication: read with EXECUTION_JWT_SECRET, refused in one line without it", async () => {
    const secret = randomBytes(32);
    const proxy = await startJwtAuthProxy(f.devnet.executionUrl, secret);
    try {
      const args = f
        .startArgs()
        .map((a) => (a === "start" ? "status" : a === f.devnet.executionUrl ? proxy.url : a));
      const ok = await runCli([...args, "--json"], {
        env: { ...f.env(), EXECUTION_JWT_SECRET: secret.toString("hex") },
      });
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal((JSON.parse(ok.stdout) as StatusJson).version, 5);
      assert.ok(proxy.passed() > 0);
      assert.deepEqual(proxy.refused, [], "every request carried a fresh token");
      assert.doesNotMatch(ok.stdout + ok.stderr, new RegExp(secret.toString("hex")));

      const refused = await runCli(args, { env: f.env() });
      assert.notEqual(refused.code, 0);
      assert.equal(refused.stderr.trim().split("\n").length, 1, refused.stderr);
      assert.match(refused.stderr, /answered HTTP 401: missing token \(check --execution-jwt-secret/);
    } finally {
      await proxy.close();
    }
  });

  it("bad input is one line and a non-zero exit", async () => {
    const notAVault = await runCli(
      [...f.startArgs().map((a) => (a === "start" ? "status" : a === f.vault ? f.wallet : a))],
      { env: f.env() },
    );
    assert.notEqual(notAVault.code, 0);
    assert.equal(notAVault.stderr.trim().split("\n").length, 1, notAVault.stderr);
    assert.match(notAVault.stderr, /^Error: /);
    const port = await deadPort();
    const dead = await runCli(
      [
        ...f
          .startArgs()
          .map((a) =>
            a === "start" ? "status" : a === f.devnet.executionUrl ? `http://127.0.0.1:${port}` : a,
          ),
      ],
      { env: f.env() },
    );
    assert.notEqual(dead.code, 0);
    assert.equal(dead.stderr.trim().split("\n").length, 1, dead.stderr);
    assert.match(dead.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`));
    // start --dry-run takes the same startup checks: a beacon node nobody listens on is one line.
    const deadBeacon = await runCli(
      [
        ...f.startArgs().map((a) => (a === f.devnet.consensusUrl ? `http://127.0.0.1:${port}` : a)),
        "--dry-run",
      ],
      { env: f.env() },
    );
    assert.notEqual(deadBeacon.code, 0);
    assert.equal(deadBeacon.stderr.trim().split("\n").length, 1, deadBeacon.stderr);
    assert.match(deadBeacon.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it("after a deposit: status and the dry run name what the next round registers; the dry run sends nothing", async () => {
    await f.devnet.depositToVault(parseEther("100"));
    const s = await status();
    assert.equal(s.next.state, "register");
    const planned = s.next.validators;
    assert.equal(planned.length, 1);

    const nonce = await f.nonce("pending");
    const dry = await runCli([...f.startArgs(), "--dry-run"], { env: f.env() });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Would register 1 validator /);
    assert.ok(dry.stdout.includes(`1. ${planned[0]?.publicKey}: ${planned[0]?.amountGwei} gwei`), dry.stdout);
    assert.equal(await f.nonce("pending"), nonce, "the dry run sent nothing");
    assert.equal(existsSync(databaseFile), false, "the dry run wrote no state");

    const metrics = ["--enable-metrics", "--metrics-port", String(await deadPort())];
    const run = startService(f.startArgs(metrics), f.env());
    try {
      // Beside a running service (its lock on operator.db held), status still answers, and reads
      // the service's own round outcomes from its /health.
      await run.waitForLog((l) => l.msg === "service started", { what: "the service start" });
      const beside = await status(metrics);
      assert.equal(beside.service.running, true, JSON.stringify(beside.service));
      assert.equal(beside.flow.kind, "validators-manager");
      await run.waitForLog((l) => l.msg === "validators registered", {
        timeoutMs: 90_000,
        what: "the registration",
      });
    } finally {
      const exit = await run.stop();
      assert.equal(exit.code, 0, run.output());
    }
    // Exactly what status and the dry run said: the first key, everything the vault holds.
    assert.deepEqual(await registered(f), planned);
    assert.deepEqual(planned, [{ publicKey: keyOf(0), amountGwei: "100000000001" }]);
  });

  it("after the registration: counted from the chain, the beacon node and the journal", async () => {
    const journal = readJournal(databaseFile);
    const s = await status();
    assert.equal(s.validators.registered, 1);
    assert.equal(
      Object.values(s.validators.byState).reduce((a, b) => a + b, 0),
      1,
      JSON.stringify(s.validators),
    );
    assert.equal(s.unusedKeys, 1);
    assert.equal(s.state.note, null);
    assert.equal(s.state.transactions, journal.length);
    assert.equal(s.state.open, 0);
    assert.deepEqual(s.state.last && { kind: s.state.last.kind, status: s.state.last.status }, {
      kind: "registration",
      status: "mined",
    });
    assert.equal(s.next.state, "waiting");
    assert.equal(s.next.waitingFor, "assets");
    // status read the journal without writing to it; nor does a dry run, which has nothing to send.
    const nonce = await f.nonce("pending");
    const dry = await runCli([...f.startArgs(), "--dry-run"], { env: f.env() });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Task registration: waits for assets: /);
    assert.match(dry.stdout, /Would send nothing this round\./);
    assert.deepEqual(readJournal(databaseFile), journal);
    assert.equal(await f.nonce("pending"), nonce);

    // The text form says the same in lines.
    const text = await runCli(
      f.startArgs().map((a) => (a === "start" ? "status" : a)),
      { env: f.env() },
    );
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Vault 0x[0-9a-fA-F]{40} on devnet: version 5, /);
    assert.match(text.stdout, /Validators: 1 registered/);
    assert.match(text.stdout, /Next round: waits for assets: /);
  });

  it("assets a top-up of the 0x02 validator takes are not planned for a new one, as the round does", async () => {
    await f.devnet.depositToVault(parseEther("40"));
    const s = await status();
    assert.equal(s.next.state, "waiting", JSON.stringify(s.next));
    assert.equal(s.next.waitingFor, "assets");
    const dry = await runCli([...f.startArgs(), "--dry-run"], { env: f.env() });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Task registration: waits for assets: /);
    assert.doesNotMatch(dry.stdout, /Would register/);
  });
});
