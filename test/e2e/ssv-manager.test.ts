/**
 * `operator ssv-manager` against a devnet with SSV (automine), run as a child process the way a
 * user runs it, with fast settings (1-s rounds, a 0.01-day (864-block) runway, a 3-block re-register delay).
 * One devnet, one story: the vault's next keys are registered on SSV (killed -9 right after the
 * registration is journaled: the restart registers nothing twice), a drained cluster is topped
 * up, a liquidated one reactivated, and when an operator of the cluster is removed its validators
 * move (removed, a wait, registered with new shares elsewhere) and the empty cluster's balance
 * comes back; a key on SSV that becomes a validator and exits is removed from SSV for good. The
 * beacon runs 2-slot epochs with no activation delay, so a deposit is active within two seconds.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Address, type Hex, parseEther } from "viem";
import { depositContractAbi } from "../../src/chain/abi/deposit-contract.ts";
import { ssvNetworkViewsAbi } from "../../src/chain/abi/ssv-network-views.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { createConsensusClient } from "../../src/chain/consensus-client.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import type { DevnetSsvHandle } from "../../src/devnet/ssv/devnet-ssv.ts";
import { readDepositDataFile } from "../../src/keys/deposit-data-file.ts";
import { toPrefixedHex } from "../../src/lib/hex.ts";
import { OwnerSsvState } from "../../src/ssv/cluster-state.ts";
import { syncOwnerState } from "../../src/ssv/owner-sync.ts";
import { TEST_MNEMONIC } from "../support/cli.ts";
import { publicKeyHexOf } from "../support/e2e.ts";
import { mnemonicSigner } from "../support/mnemonic-signer.ts";
import {
  deadPort,
  type LogLine,
  poll,
  readJournal,
  type ServiceRun,
  type StartFixture,
  setupStart,
  startService,
} from "./start-fixture.ts";

const mined = (kind: string) => (l: LogLine) => l.msg === "ssv transaction mined" && l.kind === kind;

describe("operator ssv-manager (devnet, SSV-token era)", () => {
  let f: StartFixture;
  let ssv: DevnetSsvHandle;
  const runs: ServiceRun[] = [];
  let keys: Hex[];

  before(async () => {
    f = await setupStart({
      keys: 3,
      devnet: { blockTime: "automine", slotsPerEpoch: 2, activationDelaySlots: 0, ssv: { operators: 8 } },
    });
    ssv = f.devnet.ssv as DevnetSsvHandle;
    await ssv.mintSsv(f.wallet, parseEther("100000"));
    keys = [0, 1, 2].map(
      (i) => `0x${publicKeyHexOf(TEST_MNEMONIC, i).replace(/^0x/, "")}`.toLowerCase() as Hex,
    );
  });
  after(async () => {
    for (const run of runs) await run.kill();
    await f?.stop();
  });

  const manager = (extra: readonly string[] = []) => {
    // start's arguments (vault, data dir, the devnet's endpoints), under another command.
    const args = f.startArgs([
      "--interval-seconds",
      "1",
      "--runway-days",
      "0.01",
      "--min-runway-days",
      "0.005",
      "--reregister-delay-blocks",
      "3",
      ...extra,
    ]);
    const run = startService(["ssv-manager", ...args.slice(1)], f.env());
    runs.push(run);
    return run;
  };
  const reader = () => f.devnet.clients.sender;
  const ownerState = async () => {
    const state = new OwnerSsvState(f.wallet);
    await syncOwnerState(state, {
      client: reader(),
      ssvNetwork: ssv.deployment.network.address,
      deployBlock: 0n,
      toBlock: await reader().getBlockNumber({ cacheTime: 0 }),
    });
    return state;
  };
  const onSsv = (key: Hex) =>
    reader().readContract({
      address: ssv.deployment.views.address,
      abi: ssvNetworkViewsAbi,
      functionName: "getValidator",
      args: [f.wallet, key],
    });
  const clusterOf = async (key: Hex) => (await ownerState()).clusterOfValidator(key);

  let run: ServiceRun;

  it("registers the vault's next keys on SSV and sets the fee recipient; a kill -9 after journaling registers nothing twice", async () => {
    const dbFile = join(f.vaultDir, "ssv.db");
    const first = manager();
    await poll(() => readJournal(dbFile).find((r) => r.kind === "ssv-register"), {
      timeoutMs: 30_000,
      intervalMs: 10,
      what: "a journaled ssv-register",
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${first.output()}`);
    });
    await first.kill();

    run = manager();
    await poll(
      async () => ((await onSsv(keys[0] as Hex)) && (await onSsv(keys[1] as Hex)) ? true : undefined),
      {
        timeoutMs: 30_000,
        what: "both keys on SSV",
      },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${run.output()}`);
    });
    const state = await ownerState();
    assert.equal(state.nonce, 2, "each key registered once (two ValidatorAdded in all)");
    assert.deepEqual(state.clusterOfValidator(keys[0] as Hex), state.clusterOfValidator(keys[1] as Hex));
    const escrow = await reader().readContract({
      address: f.vault,
      abi: vaultAbi,
      functionName: "mevEscrow",
    });
    assert.equal(state.feeRecipient?.toLowerCase(), (escrow as Address).toLowerCase());
  });

  it("tops up a cluster drained below --min-runway-days", async () => {
    await ssv.mine(600);
    await run.waitForLog(mined("ssv-deposit"), { timeoutMs: 20_000, what: "a top-up" });
  });

  it("reactivates a liquidated cluster", async () => {
    assert.equal((await run.stop()).code, 0, run.output());
    await ssv.mine(1_500);
    const ids = (await clusterOf(keys[0] as Hex)) as bigint[];
    await ssv.liquidate(f.wallet, ids, (await ownerState()).snapshotFor(ids));
    assert.equal((await ownerState()).cluster(ids)?.liquidated, true);
    run = manager();
    await run.waitForLog(mined("ssv-reactivate"), { timeoutMs: 20_000, what: "the reactivation" });
    assert.equal((await ownerState()).cluster(ids)?.liquidated, false);
  });

  it("moves the validators of a removed operator to a new cluster and withdraws the empty one", async () => {
    const old = (await clusterOf(keys[0] as Hex)) as bigint[];
    const gone = old[0] as bigint;
    await ssv.removeOperator(gone);
    await run.waitForLog(mined("ssv-remove"), { timeoutMs: 20_000, what: "the removal" });
    // The re-register delay counts blocks: automine makes them only with transactions.
    await ssv.mine(5);
    await poll(
      async () => {
        const ids = await clusterOf(keys[1] as Hex);
        return ids && (await clusterOf(keys[0] as Hex)) ? ids : undefined;
      },
      { timeoutMs: 30_000, what: "the validators in a new cluster" },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${run.output()}`);
    });
    const fresh = (await clusterOf(keys[0] as Hex)) as bigint[];
    assert.ok(!fresh.includes(gone), `new cluster ${fresh} avoids removed operator ${gone}`);
    await run.waitForLog(mined("ssv-withdraw"), { timeoutMs: 20_000, what: "the withdrawal" });
    const state = await ownerState();
    assert.equal(state.cluster(old)?.snapshot.balance, 0n);
    assert.equal(state.nonce, 4, "two registrations per key in all, none twice");
    assert.equal((await run.stop()).code, 0, run.output());
  });

  it("removes a validator that exited on the beacon chain from SSV and never registers it again", async () => {
    const exiting = keys[0] as Hex;
    const validator = async () => {
      await f.devnet.beacon.sync();
      return f.devnet.beacon.validatorAt(f.devnet.beacon.currentSlot(), { pubkey: exiting });
    };
    const dbFile = join(f.vaultDir, "ssv.db");
    const journaled = readJournal(dbFile).length;
    const metricsPort = await deadPort();
    // The manager runs throughout: it must leave the validator alone until its exit starts.
    run = manager(["--enable-metrics", "--metrics-port", String(metricsPort)]);

    // Key 0 becomes a validator the way the vault makes one: its deposit data, 32 ETH, to the deposit contract.
    const entry = (await readDepositDataFile(f.depositDataFile)).find(
      (e) => toPrefixedHex(e.publicKey) === exiting,
    );
    assert.ok(entry, "key 0 in the deposit data file");
    const deposit = await f.devnet.clients.depositor.writeContract({
      address: f.devnet.network.depositContract.address,
      abi: depositContractAbi,
      functionName: "deposit",
      args: [
        exiting,
        toPrefixedHex(entry.withdrawalCredentials),
        toPrefixedHex(entry.signature),
        toPrefixedHex(entry.depositDataRoot),
      ],
      value: parseEther("32"),
    });
    await f.devnet.clients.depositor.waitForTransactionReceipt({ hash: deposit });
    // Key 0 is used now: key 2 takes its place among the --prepare-keys keys registered ahead.
    await poll(async () => ((await onSsv(keys[2] as Hex)) ? true : undefined), {
      timeoutMs: 20_000,
      what: () => `key 2 on SSV\n${run.output()}`,
    });
    const active = await poll(
      async () => {
        const view = await validator();
        return view?.status === "active_ongoing" ? view : undefined;
      },
      {
        timeoutMs: 15_000,
        what: "key 0 active on the beacon chain",
      },
    );
    assert.equal(await onSsv(exiting), true, "an active validator stays on SSV");

    // Its voluntary exit, signed with the key and posted to the beacon node's pool.
    const signature = await mnemonicSigner(mnemonicToSeed(TEST_MNEMONIC), 0, 1).signExit(
      exiting,
      active.index,
      f.devnet.network,
    );
    await createConsensusClient({ endpoints: [f.devnet.consensusUrl] }).submitVoluntaryExit({
      epoch: f.devnet.network.capellaEpoch,
      validatorIndex: active.index,
      signature: toPrefixedHex(signature) as Hex,
    });

    await run.waitForLog(
      (l) => l.msg === "ssv action" && l.action === "remove" && l.why === "validator-exited",
      { timeoutMs: 20_000, what: "a removal of the exited validator" },
    );
    await run.waitForLog(mined("ssv-remove"), { timeoutMs: 20_000, what: "the removal mined" });
    assert.equal(await onSsv(exiting), false, "the exited validator is off SSV");
    const removals = readJournal(dbFile)
      .slice(journaled)
      .filter((r) => r.kind === "ssv-remove");
    assert.deepEqual(
      removals.map((r) => [r.status, JSON.parse(r.public_keys)]),
      [["mined", [exiting]]],
    );

    // Past the re-register delay, two more whole rounds: key 0 stays off SSV.
    await ssv.mine(5);
    const rounds = async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return Number(/^sw_ssv_rounds_total\{[^}]*outcome="ok"[^}]*\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const seen = await rounds();
    await poll(async () => ((await rounds()) >= seen + 2 ? true : undefined), {
      timeoutMs: 15_000,
      what: "two more manager rounds",
    });
    assert.equal(await onSsv(exiting), false, "not registered again");
    const state = await ownerState();
    assert.equal(state.nonce, 5, "one more registration in all (key 2), none of key 0");
    assert.equal((await run.stop()).code, 0, run.output());
  });
});
