/**
 * `operator ssv-manager` against a devnet with SSV (automine), run as a child process the way a
 * user runs it, with fast settings (1-s rounds, a 0.01-day (864-block) runway, a 3-block re-register delay).
 * One devnet, one story: the vault's next keys are registered on SSV (killed -9 right after the
 * registration is journaled: the restart registers nothing twice), a drained cluster is topped
 * up, a liquidated one reactivated, and when an operator of the cluster is removed its validators
 * move (removed, a wait, registered with new shares elsewhere) and the empty cluster's balance
 * comes back.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Address, type Hex, parseEther } from "viem";
import { ssvNetworkViewsAbi } from "../../src/chain/abi/ssv-network-views.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import type { DevnetSsvHandle } from "../../src/devnet/ssv/devnet-ssv.ts";
import { OwnerSsvState } from "../../src/ssv/cluster-state.ts";
import { syncOwnerState } from "../../src/ssv/owner-sync.ts";
import { TEST_MNEMONIC } from "../support/cli.ts";
import { publicKeyHexOf } from "../support/e2e.ts";
import {
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
    f = await setupStart({ keys: 3, devnet: { blockTime: "automine", ssv: { operators: 8 } } });
    ssv = f.devnet.ssv as DevnetSsvHandle;
    await ssv.mintSsv(f.wallet, parseEther("100000"));
    keys = [0, 1].map((i) => `0x${publicKeyHexOf(TEST_MNEMONIC, i).replace(/^0x/, "")}`.toLowerCase() as Hex);
  });
  after(async () => {
    for (const run of runs) await run.kill();
    await f?.stop();
  });

  const manager = () => {
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
});
