/**
 * `operator exit-validators` (issue 12, must-be-true 3): on a version-5 devnet vault whose
 * validators manager is the hot wallet, `--count 1 --no-confirm` exits one validator through the
 * vault's withdrawValidators (EIP-7002, amount 0, the fee paid) with no validator key, and the
 * beacon simulator starts its exit; a version-1 vault and a validator of another vault are each
 * refused in one line, with nothing sent. With a DVT relayer's wallet as the manager, the wallet
 * alone is refused and `--relayer-endpoint` exits the other validator with the relayer's signature.
 * First, while both validators are active, `submit-rated-network` reports them to a Rated API double.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { requestFeeForExcess, WITHDRAWAL_REQUESTS } from "../../src/chain/request-fees.ts";
import { runCli } from "../support/cli.ts";
import { startManagerRelayer } from "../support/dvt-flow.ts";
import { startRatedApi } from "../support/rated-api.ts";
import { poll, type StartFixture, setupStart, startService } from "./start-fixture.ts";

async function submitted(f: StartFixture) {
  const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
  return parseEventLogs({ abi: vaultV5Abi, logs, eventName: "ValidatorWithdrawalSubmitted" }).map((l) => ({
    publicKey: l.args.publicKey.toLowerCase() as Hex,
    amount: l.args.amount,
    feePaid: l.args.feePaid,
  }));
}

describe("exit-validators exits through the vault", { timeout: 150_000 }, () => {
  let f: StartFixture;
  const args = (extra: string[]) => [
    "exit-validators",
    "--vault",
    f.vault,
    "--data-dir",
    f.dataDir,
    "--execution-endpoints",
    f.devnet.executionUrl,
    "--consensus-endpoints",
    f.devnet.consensusUrl,
    ...extra,
  ];

  before(async () => {
    f = await setupStart({ keys: 2, devnet: { vaultVersion: 5 } });
    await rm(f.depositDataFile);
    // Two 0x01 validators registered by `start`, then active on the beacon.
    await f.devnet.depositToVault(parseEther("64"));
    const run = startService(f.startArgs(["--validator-type", "0x01"]), f.env());
    try {
      await poll(
        async () => {
          await f.devnet.beacon.sync();
          const views = f.devnet.beacon.validatorsAt(f.devnet.beacon.currentSlot());
          return views.length === 2 && views.every((v) => v.status === "active_ongoing") ? true : undefined;
        },
        { timeoutMs: 60_000, what: () => `two active validators\n${run.output()}` },
      );
    } finally {
      await run.stop();
    }
  });
  after(async () => {
    await f?.stop();
  });

  it("submit-rated-network reports the two active validators to Rated (the RATED_API_URL double)", async () => {
    const rated = await startRatedApi("rated-oauth-token");
    try {
      const result = await runCli(
        [
          "submit-rated-network",
          "--vault",
          f.vault,
          "--data-dir",
          f.dataDir,
          "--pool-tag",
          "DevnetPool",
          "--execution-endpoints",
          f.devnet.executionUrl,
          "--consensus-endpoints",
          f.devnet.consensusUrl,
        ],
        { env: { RATED_API_URL: rated.url, RATED_TOKEN: "rated-oauth-token" } },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, "Starting rated self report...\nSuccessfully reported 2 validators.\n");
      const keys = f.devnet.beacon.validatorsAt(f.devnet.beacon.currentSlot()).map((v) => v.pubkey);
      assert.deepEqual(rated.reports.length, 1);
      assert.deepEqual(
        { ...rated.reports[0], validators: [...(rated.reports[0]?.validators ?? [])].sort() },
        { network: "devnet", poolTag: "DevnetPool", validators: keys.sort() },
      );
      // Without RATED_API_URL the devnet is not a rated network: said, and nothing is sent.
      const unrated = await runCli(["submit-rated-network", "--vault", f.vault, "--data-dir", f.dataDir]);
      assert.equal(unrated.code, 0, unrated.stderr);
      assert.equal(unrated.stdout, "devnet network is not yet rated supported\n");
      assert.equal(rated.reports.length, 1);
    } finally {
      await rated.close();
    }
  });

  it("refuses a validator of another vault and a version-1 vault, in one line each", async () => {
    const other = await runCli(args(["--indexes", "999", "--no-confirm"]));
    assert.equal(other.code, 1, other.stderr);
    assert.match(other.stderr, /nothing was sent: validator 999 is not registered in this vault/);
    assert.equal(other.stderr.trim().split("\n").length, 1, other.stderr);

    const v1 = await f.devnet.createVault({ version: 1 });
    const old = await runCli([
      ...args(["--count", "1", "--no-confirm", "--network", "devnet"]).map((a) =>
        a === f.vault ? v1.address : a,
      ),
      "--wallet-file",
      join(f.vaultDir, "wallet", "wallet.json"),
      "--wallet-password-file",
      join(f.vaultDir, "wallet", "password.txt"),
    ]);
    assert.notEqual(old.code, 0);
    assert.match(
      old.stderr,
      /is version 1: it cannot request EIP-7002 exits .* use "operator validators-exit"/,
    );
    assert.deepEqual(await submitted(f), []);
  });

  it("--count 1 --no-confirm exits the longest-active validator, fee paid, no validator key", async () => {
    const before = f.devnet.beacon.validatorsAt(f.devnet.beacon.currentSlot());
    // Without the keystores: the vault requests the exit, not the key.
    await rm(join(f.vaultDir, "keystores"), { recursive: true, force: true });
    const result = await runCli(args(["--count", "1", "--no-confirm"]));
    assert.equal(result.code, 0, result.stderr);
    const oldest = [...before].sort(
      (a, b) => Number(a.activationEpoch - b.activationEpoch) || a.index - b.index,
    )[0];
    assert.ok(oldest);
    assert.match(result.stdout, new RegExp(`Validators ${oldest.index} exits successfully initiated`));

    const events = await submitted(f);
    assert.deepEqual(events, [
      {
        publicKey: oldest.pubkey.toLowerCase(),
        amount: 0n,
        feePaid: requestFeeForExcess(WITHDRAWAL_REQUESTS, 0n),
      },
    ]);
    await poll(
      async () => {
        await f.devnet.beacon.sync();
        const view = f.devnet.beacon.validatorAt(f.devnet.beacon.currentSlot(), { index: oldest.index });
        return view && view.status !== "active_ongoing" ? view.status : undefined;
      },
      { timeoutMs: 20_000, what: "the beacon to start the exit" },
    );
  });

  it("a vault whose validators manager is a DVT relayer's wallet: the relayer signs POST /withdraw", async () => {
    const relayer = await startManagerRelayer({ devnet: f.devnet, file: join(f.dataDir, "relayer.db") });
    try {
      const refused = await runCli(args(["--count", "1", "--no-confirm"]));
      assert.equal(refused.code, 1, refused.stderr);
      assert.equal(refused.stderr.trim().split("\n").length, 1, refused.stderr);
      assert.match(refused.stderr, /or pass --relayer-endpoint of the DVT relayer that holds its key/);
      assert.equal((await submitted(f)).length, 1);

      const result = await runCli(args(["--count", "1", "--no-confirm", "--relayer-endpoint", relayer.url]));
      assert.equal(result.code, 0, result.stderr);
      const events = await submitted(f);
      assert.equal(events.length, 2);
      assert.equal(events[1]?.amount, 0n);
    } finally {
      await relayer.close();
    }
  });
});
