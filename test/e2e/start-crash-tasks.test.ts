/**
 * Crash safety of the other transactions of `operator start`: harvests (`--harvest-vault`) and
 * exit-signature rotations go through the same journaled sender as registrations. The service is
 * killed with SIGKILL right after it journals one of them, or while it sits in the mempool, and
 * restarted, while new rewards are published and the oracle set changes between runs. Afterwards
 * every harvest and every rotation is done, and the hot wallet sent exactly the transactions the
 * journal recorded as mined: none twice, none lost.
 *
 * CRASH_SEED=<n> replays a run (the seed is printed as a test diagnostic); CRASH_CYCLES=full runs
 * the count of cycles, CRASH_CYCLES=<n> any other.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { decodeFunctionData, type Hex, parseEther } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { deriveOracleKeys } from "../../src/devnet/accounts.ts";
import { crashCycles } from "./crash-support.ts";
import {
  poll,
  readJournal,
  type ServiceRun,
  type StartFixture,
  setupStart,
  sleep,
  startService,
} from "./start-fixture.ts";

/** 6 with CRASH_CYCLES=full; 3 in `npm test` (each cycle publishes rewards or replaces the oracles, at random). */
const { cycles: CYCLES } = crashCycles({ quick: 3, full: 6 });

describe("operator start survives kill -9 during harvests and exit-signature rotations", () => {
  let f: StartFixture;
  let dbFile: string;
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 4294967296;
  };

  before(async () => {
    f = await setupStart({ keys: 2 });
    dbFile = join(f.vaultDir, "operator.db");
  });
  after(async () => {
    await f?.stop();
  });

  const keeperRead = (functionName: "canHarvest") =>
    f.devnet.clients.sender.readContract({
      address: f.devnet.protocol.keeper.address,
      abi: keeperAbi,
      functionName,
      args: [f.vault],
    });
  const outdated = async () => {
    const oracle = f.devnet.committee.oracles[0];
    const response = await fetch(`${oracle?.server.url}/signatures/${f.vault}`);
    return ((await response.json()) as { validators: unknown[] }).validators.length;
  };
  const harvestArgs = () => f.startArgs(["--harvest-vault"]);

  it(`does every harvest and rotation, none sent twice or lost, across ${CYCLES} kill -9 cycles`, async (t) => {
    t.diagnostic(`CRASH_SEED=${seed}`);
    // Two validators to rotate the exit signatures of, registered undisturbed.
    await f.devnet.depositToVault(parseEther("64"));
    let current: ServiceRun = startService(harvestArgs(), f.env());
    t.after(async () => {
      await current.kill();
    });
    await poll(async () => ((await f.vaultIndex()) === 2 ? true : undefined), {
      what: () => `2 validators registered\n${current.output()}`,
    });
    await current.stop();

    const log: string[] = [];
    let rotations = 0;
    let rewardUpdates = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // New work for this run: a rewards update (a harvest is due), or a new oracle set (every
      // validator's exit signature is outdated), or both.
      // The first cycle has both, so that a short run still covers each kind.
      const work =
        cycle === 0
          ? "both"
          : ((["harvest", "rotation", "both"] as const)[Math.floor(random() * 3)] ?? "both");
      if (work !== "rotation") {
        await f.devnet.publishRewards([
          { vault: f.vault, consensusReward: parseEther("0.01"), unlockedMevReward: 0n, lockedMevReward: 0n },
        ]);
        rewardUpdates++;
      }
      if (work !== "harvest") {
        await f.devnet.replaceOracles(
          deriveOracleKeys({ count: 3, seed: `crash tasks oracle set ${cycle}` }),
        );
        rotations++;
      }
      const lastId = Math.max(0, ...readJournal(dbFile).map((r) => r.id));
      const atJournal = random() < 0.5;
      const run = startService(harvestArgs(), f.env());
      current = run;
      let killedAt = "timeout";
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && run.child.exitCode === null) {
        const entry = readJournal(dbFile).find(
          (r) => r.id > lastId && r.kind !== "registration" && (r.status === "signed" || r.status === "sent"),
        );
        if (atJournal && entry) {
          await sleep(Math.floor(random() * 30));
          killedAt = `journal ${entry.kind} ${entry.status}`;
          break;
        }
        if (!atJournal && (await f.nonce("pending")) > (await f.nonce("latest"))) {
          killedAt = "mempool";
          break;
        }
        await sleep(10);
      }
      assert.equal(run.child.exitCode, null, `cycle ${cycle}: the service exited by itself\n${run.output()}`);
      await run.kill();
      log.push(`cycle ${cycle}: ${work} → killed (${killedAt})`);
    }
    t.diagnostic(log.join("\n"));

    // A last, undisturbed run finishes the work.
    const last = startService(harvestArgs(), f.env());
    current = last;
    await poll(
      async () =>
        !(await keeperRead("canHarvest")) &&
        (await outdated()) === 0 &&
        readJournal(dbFile).every((r) => r.status !== "signed" && r.status !== "sent")
          ? true
          : undefined,
      {
        timeoutMs: 60_000,
        what: () => `the harvests and rotations done\n${log.join("\n")}\n${last.output()}`,
      },
    );
    await sleep(2_000); // nothing more happens
    assert.equal((await last.stop()).code, 0, last.output());

    // The hot wallet sent exactly the journal's transactions that reached the chain: mined ones,
    // and failed ones (a harvest or rotation settled after new rewards or a new oracle set reverts,
    // which the journal records); nothing twice, nothing left open.
    const journal = readJournal(dbFile);
    const onChain = journal.filter((r) => r.status === "mined" || r.status === "failed");
    assert.equal(await f.nonce("latest"), onChain.length, "wallet transactions = journal entries on chain");
    assert.equal(await f.nonce("pending"), onChain.length, "nothing left in the mempool");
    const sent = await walletTransactions();
    assert.deepEqual(
      sent.map((s) => s.hash).sort(),
      onChain.map((r) => r.tx_hash).sort(),
      "the wallet's transactions on chain are the journal's",
    );
    for (const kind of ["registration", "harvest", "exit-signatures"]) {
      assert.equal(
        sent.filter((s) => s.kind === kind).length,
        onChain.filter((r) => r.kind === kind).length,
        `${kind}: on chain = journaled`,
      );
    }
    const done = (kind: string) => journal.filter((r) => r.kind === kind && r.status === "mined").length;
    assert.ok(done("harvest") >= 1 && done("harvest") <= rewardUpdates, `harvests: ${done("harvest")}`);
    assert.ok(done("exit-signatures") >= 1 && done("exit-signatures") <= rotations, "rotations");
  });

  /** Every transaction the hot wallet got mined, by what it called. */
  async function walletTransactions(): Promise<Array<{ hash: Hex; kind: string }>> {
    const client = f.devnet.clients.sender;
    const latest = await client.getBlockNumber();
    const found: Array<{ hash: Hex; kind: string }> = [];
    for (let n = 0n; n <= latest; n++) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() !== f.wallet.toLowerCase()) continue;
        if (tx.to?.toLowerCase() === f.devnet.protocol.keeper.address.toLowerCase()) {
          const call = decodeFunctionData({ abi: keeperAbi, data: tx.input });
          assert.equal(call.functionName, "updateExitSignatures");
          found.push({ hash: tx.hash, kind: "exit-signatures" });
          continue;
        }
        const call = decodeFunctionData({ abi: vaultAbi, data: tx.input });
        found.push({ hash: tx.hash, kind: call.functionName === "updateState" ? "harvest" : "registration" });
      }
    }
    return found;
  }
});
