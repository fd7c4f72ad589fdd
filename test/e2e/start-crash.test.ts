/**
 * Crash safety of `operator start` (issue Must 2): the service is killed with SIGKILL at random
 * points during registration, 20 times in a row (CRASH_CYCLES=full; 8 in `npm test`), and
 * restarted each time, while the vault is
 * funded step by step. Kill points: random delays after the process or the service loop started,
 * random points of the first registration round, the moment a registration transaction is
 * journaled, the moment it sits in the mempool, and once with mining paused so that the restarted
 * service must rebroadcast a transaction the node already holds. Afterwards:
 * every funded validator is registered, each key exactly once on chain, and the hot wallet sent
 * exactly the transactions the journal recorded as mined, none of them for a key twice.
 *
 * CRASH_SEED=<n> replays a run (the seed is printed as a test diagnostic); CRASH_CYCLES=full runs
 * the count of cycles, CRASH_CYCLES=<n> any other.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { decodeFunctionData, type Hex, parseEther } from "viem";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import {
  allSettled,
  chooseStrategy,
  crashCycles,
  crashSeed,
  deposits,
  killCycle,
  prng,
  type Strategy,
  setMining,
  stallCounter,
} from "./crash-support.ts";
import {
  depositDataPubkeys,
  type JournalRow,
  poll,
  readJournal,
  type ServiceRun,
  type StartFixture,
  setupStart,
  sleep,
  startService,
} from "./start-fixture.ts";

const KEYS = 6;
/** The 20 with CRASH_CYCLES=full; 8 in `npm test`. */
const { cycles: CYCLES, at } = crashCycles({ quick: 8, full: 20 });
/** ETH deposited into the vault before the cycle of that index (6 validators in all). */
const FUNDING = deposits(at, [
  [0, 32],
  [3, 32],
  [6, 64],
  [10, 32],
  [14, 32],
]);
/** The cycle killed with its transaction in the mempool and mining paused (the next one settles it). */
const PAUSED_CYCLE = at(6);
// The cycle after the paused one runs with mining off until its service settles: no deposit then.
assert.ok(
  FUNDING[PAUSED_CYCLE + 1] === undefined,
  `CRASH_CYCLES=${CYCLES} puts a deposit right after the paused cycle ${PAUSED_CYCLE}: pick another count`,
);

describe("operator start survives kill -9 during registration", () => {
  let f: StartFixture;
  let dbFile: string;
  const seed = crashSeed();
  const random = prng(seed);
  const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));

  before(async () => {
    f = await setupStart({ keys: KEYS });
    dbFile = join(f.vaultDir, "operator.db");
  });
  after(async () => {
    await f?.stop();
  });

  const mining = (on: boolean) => setMining(f, on);

  it(`registers every funded validator exactly once across ${CYCLES} kill -9 cycles`, async (t) => {
    t.diagnostic(`CRASH_SEED=${seed}`);
    let funded = 0;
    let next: Strategy | undefined;
    const stall = stallCounter();
    const log: string[] = [];
    let current: ServiceRun | undefined;
    t.after(async () => {
      await current?.kill();
      await mining(true).catch(() => {});
    });

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const eth = FUNDING[cycle];
      if (eth) {
        await f.devnet.depositToVault(parseEther(String(eth)));
        funded += eth / 32;
      }
      // A transaction the previous run left open is settled first: kill after that ("started").
      // With funded validators to register, kill somewhere in the round; else during startup.
      const open = !allSettled(readJournal(dbFile));
      const pending = !open && (await f.vaultIndex()) < funded;
      const pause = cycle === PAUSED_CYCLE;
      const strategy = next ?? chooseStrategy({ open, pending, pause, stalled: stall.stalled() }, between);
      const journaledBefore = readJournal(dbFile).length;
      next = undefined;

      // Mining stops before the paused cycle's run: its registration stays in the mempool, the
      // run is killed there, and the next run must settle a transaction the node already holds.
      const cycleRun = await killCycle({
        f,
        dbFile,
        cycle,
        strategy,
        pause,
        between,
        log,
        start: () => startService(f.startArgs(), f.env()),
        onRun: (run) => {
          current = run;
        },
      });
      const { killedAt } = cycleRun;
      next = cycleRun.next;
      stall.after(pending, readJournal(dbFile).length > journaledBefore);
      log.push(
        `cycle ${cycle}: ${strategy} → killed (${killedAt}) after ${cycleRun.ms} ms; vault index ${await f.vaultIndex()}/${funded}`,
      );
      assertNoDoubleRegistration(await chainRegistrations(), readJournal(dbFile));
    }
    await mining(true);
    t.diagnostic(log.join("\n"));

    // A last, undisturbed run finishes the work.
    const last: ServiceRun = startService(f.startArgs(), f.env());
    current = last;
    await last.waitForLog((l) => l.msg === "service started", { what: "the last run's start" });
    await poll(
      async () =>
        (await f.vaultIndex()) === funded &&
        readJournal(dbFile).every(
          (r) => r.status === "mined" || r.status === "failed" || r.status === "dropped",
        )
          ? true
          : undefined,
      { timeoutMs: 60_000, what: () => `${funded} validators registered\n${last.output()}` },
    );
    await sleep(2_000); // nothing more happens
    const stopped = await last.stop();
    assert.equal(stopped.code, 0, last.output());

    // Every funded validator registered, in deposit data order, each key deposited once.
    assert.equal(funded, KEYS);
    assert.equal(await f.vaultIndex(), funded);
    const keys = await depositDataPubkeys(f.depositDataFile);
    const deposited = await f.depositedPubkeys();
    assert.equal(new Set(deposited).size, deposited.length, "no key deposited twice");
    assert.deepEqual(deposited, keys.slice(0, funded));
    await f.devnet.beacon.sync();
    const onBeacon = f.devnet.beacon
      .validatorsAt(f.devnet.beacon.currentSlot())
      .map((v) => v.pubkey.toLowerCase());
    assert.deepEqual(onBeacon, keys.slice(0, funded));

    // The hot wallet sent exactly the journal's mined registrations, no key in two of them.
    const journal = readJournal(dbFile);
    const mined = journal.filter((r) => r.status === "mined");
    assert.deepEqual(
      journal.filter((r) => r.status !== "mined").map((r) => `${r.id} ${r.status}`),
      [],
      "every journaled registration was mined (none failed, none dropped)",
    );
    assert.equal(await f.nonce("latest"), mined.length, "wallet transactions = mined registrations");
    assert.equal(await f.nonce("pending"), mined.length, "nothing left in the mempool");
    const journalKeys = mined.flatMap((r) => JSON.parse(r.public_keys) as string[]);
    assert.deepEqual(
      [...journalKeys].sort(),
      [...keys.slice(0, funded)].sort(),
      "each key in one mined registration",
    );
    const chain = await chainRegistrations();
    assert.deepEqual(
      chain.map((c) => c.hash).sort(),
      mined.map((r) => r.tx_hash).sort(),
      "the wallet's transactions on chain are the journal's mined ones",
    );
    assertNoDoubleRegistration(chain, journal);
    assert.deepEqual(chain.flatMap((c) => c.keys).sort(), [...keys.slice(0, funded)].sort());
  });

  /** Every transaction the hot wallet got mined, with the validators it registered. */
  async function chainRegistrations(): Promise<Array<{ hash: Hex; keys: string[] }>> {
    const client = f.devnet.clients.sender;
    const latest = await client.getBlockNumber();
    const found: Array<{ hash: Hex; keys: string[] }> = [];
    for (let n = 0n; n <= latest; n++) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() !== f.wallet.toLowerCase()) continue;
        const call = decodeFunctionData({ abi: vaultAbi, data: tx.input });
        assert.ok(
          call.functionName === "registerValidator" || call.functionName === "registerValidators",
          `unexpected ${call.functionName} from the hot wallet`,
        );
        const validators = ((call.args as readonly unknown[])[0] as { validators: Hex }).validators.slice(2);
        const keys: string[] = [];
        // Each validator: pubkey (48) ‖ signature (96) ‖ deposit data root (32).
        for (let i = 0; i < validators.length; i += 176 * 2) keys.push(`0x${validators.slice(i, i + 96)}`);
        found.push({ hash: tx.hash, keys });
      }
    }
    return found;
  }
});

/** No key in two mined transactions, nor in two live journal entries. */
function assertNoDoubleRegistration(
  chain: Array<{ hash: Hex; keys: string[] }>,
  journal: JournalRow[],
): void {
  const onChain = chain.flatMap((c) => c.keys);
  assert.equal(
    new Set(onChain).size,
    onChain.length,
    `a key in two mined transactions: ${JSON.stringify(chain)}`,
  );
  const live = journal
    .filter((r) => r.status === "signed" || r.status === "sent" || r.status === "mined")
    .flatMap((r) => JSON.parse(r.public_keys) as string[]);
  assert.equal(
    new Set(live).size,
    live.length,
    `a key in two live journal entries: ${JSON.stringify(journal)}`,
  );
}
