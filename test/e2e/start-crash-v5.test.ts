/**
 * Crash safety of `operator start` on a version-5 vault whose validators manager is the hot wallet
 * (issue 12, must-be-true 5): the service is killed with SIGKILL 20 times in a row
 * (CRASH_CYCLES=full; 14 in `npm test`) at random
 * points (startup, service loop, first round, the moment a transaction is journaled, in the
 * mempool, once with mining paused) and restarted, while the vault is funded step by step and a
 * user enters the exit queue. The cycles cover 0x02 registrations, top-ups of an existing 0x02
 * validator (--max-validator-balance-gwei 40 ETH makes the second validator necessary; a short
 * --min-deposit-delay lets top-ups follow soon), a harvest and one EIP-7002 withdrawal.
 * Afterwards, after one undisturbed run: each key registered once, each validator holds exactly
 * what the plan gives it (a top-up sent twice would push one past its cap or take another's
 * share), one withdrawal for the one exit request, and the hot wallet sent exactly the
 * transactions the journal recorded as mined.
 *
 * CRASH_SEED=<n> replays a run (the seed is printed as a test diagnostic); CRASH_CYCLES=full runs
 * the count of cycles, CRASH_CYCLES=<n> any other.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { TEST_MNEMONIC } from "../support/cli.ts";
import { publicKeyHexOf } from "../support/e2e.ts";
import {
  allSettled,
  chooseStrategy,
  crashCycles,
  crashSeed,
  deposits,
  isOpen,
  killCycle,
  prng,
  type Strategy,
  setMining,
  stallCounter,
} from "./crash-support.ts";
import {
  type JournalRow,
  poll,
  readJournal,
  type ServiceRun,
  type StartFixture,
  setupStart,
  sleep,
  startService,
} from "./start-fixture.ts";

const GWEI = 1_000_000_000n;
/**
 * The 20 with CRASH_CYCLES=full; 14 in `npm test`, with the events at the same cycles (the
 * exit request must come late enough for the top-ups to be on the beacon chain, or the service
 * rightly serves it with a full exit).
 */
const { cycles: CYCLES, at } = crashCycles({ quick: 14, full: 20, eventsBefore: 14 });
const MAX_BALANCE_GWEI = 40n * GWEI;
/**
 * ETH deposited into the vault before the cycle of that index: 36 → key 0 registered; 2 → key 0
 * topped up; 34 → key 0 topped up to its 40 ETH cap and key 1 registered with the rest; 3 → key 1
 * topped up. However the kills merge or split these, the end state is the same.
 */
const FUNDING = deposits(at, [
  [0, 36],
  [3, 2],
  [6, 34],
  [9, 3],
]);
/** The cycle killed with its transaction in the mempool and mining paused (the next one settles it). */
const PAUSED_CYCLE = at(6);
/** Rewards are published here, so that the service harvests and the vault takes exit requests. */
const REWARDS_CYCLE = at(10);
/** From this cycle on, once the vault is collateralized and all deposits are staked, a user asks for 5 ETH back. */
const EXIT_CYCLE = at(12);
// The cycle after the paused one runs with mining off until its service settles: the test may
// send nothing then (a deposit, rewards or an exit request would wait for a receipt forever).
assert.ok(
  [...Object.keys(FUNDING).map(Number), REWARDS_CYCLE, EXIT_CYCLE].every((c) => c !== PAUSED_CYCLE + 1),
  `CRASH_CYCLES=${CYCLES} puts an event right after the paused cycle ${PAUSED_CYCLE}: pick another count`,
);
/** What each key ends up with: key 0 at the cap, key 1 the rest and the vault's 1 gwei security deposit. */
const FINAL_GWEI: Record<string, bigint> = {
  [keyOf(0)]: MAX_BALANCE_GWEI,
  [keyOf(1)]: 35n * GWEI + 1n,
};
const WITHDRAWALS_INTERVAL = 3;

/** JSON for assertion messages (amounts are bigints). */
const show = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v));

function keyOf(i: number): Hex {
  return `0x${publicKeyHexOf(TEST_MNEMONIC, i).replace(/^0x/, "")}`.toLowerCase() as Hex;
}

interface VaultEvents {
  registered: Array<{ publicKey: Hex; amountGwei: bigint }>;
  funded: Array<{ publicKey: Hex; amountGwei: bigint }>;
  withdrawals: Array<{ publicKey: Hex; amountGwei: bigint }>;
}

describe("operator start on a version-5 vault survives kill -9 during all its transactions", () => {
  let f: StartFixture;
  let dbFile: string;
  const seed = crashSeed();
  const random = prng(seed);
  const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));

  before(async () => {
    f = await setupStart({ keys: 3, devnet: { vaultVersion: 5 } });
    // The validators-manager flow makes deposit data on the fly from the keystores.
    await rm(f.depositDataFile);
    dbFile = join(f.vaultDir, "operator.db");
  });
  after(async () => {
    await f?.stop();
  });

  const args = () =>
    f.startArgs([
      "--harvest-vault",
      "--min-deposit-delay",
      "2",
      "--max-validator-balance-gwei",
      String(MAX_BALANCE_GWEI),
      "--min-deposit-amount-gwei",
      String(GWEI),
    ]);
  const env = () => f.env({ WITHDRAWALS_INTERVAL: String(WITHDRAWALS_INTERVAL) });

  const vaultEvents = async (): Promise<VaultEvents> => {
    const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
    const events = parseEventLogs({ abi: vaultV5Abi, logs });
    const pick = (name: string) =>
      events.flatMap((e) =>
        e.eventName === name && "publicKey" in e.args && "amount" in e.args
          ? [
              {
                publicKey: (e.args.publicKey as Hex).toLowerCase() as Hex,
                amountGwei: (e.args.amount as bigint) / GWEI,
              },
            ]
          : [],
      );
    return {
      registered: pick("V2ValidatorRegistered"),
      funded: pick("ValidatorFunded"),
      withdrawals: pick("ValidatorWithdrawalSubmitted"),
    };
  };
  const stakedGwei = (e: VaultEvents) =>
    [...e.registered, ...e.funded].reduce((sum, x) => sum + x.amountGwei, 0n);
  const keeper = (functionName: "canHarvest" | "isCollateralized") =>
    f.devnet.clients.sender.readContract({
      address: f.devnet.protocol.keeper.address,
      abi: keeperAbi,
      functionName,
      args: [f.vault],
    });

  it(`registers, tops up and withdraws exactly once across ${CYCLES} kill -9 cycles`, async (t) => {
    t.diagnostic(`CRASH_SEED=${seed}`);
    let depositedGwei = 0n;
    let exitEntered = false;
    let next: Strategy | undefined;
    const stall = stallCounter();
    const log: string[] = [];
    let current: ServiceRun | undefined;
    t.after(async () => {
      await current?.kill();
      await setMining(f, true).catch(() => {});
    });

    // Everything deposited is staked (plus the 1 gwei security deposit), the due harvest is done
    // and the exit request is served.
    const workLeft = async () => {
      const events = await vaultEvents();
      return (
        (depositedGwei > 0n && stakedGwei(events) < depositedGwei + 1n) ||
        (await keeper("canHarvest")) ||
        (exitEntered && events.withdrawals.length === 0)
      );
    };

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const eth = FUNDING[cycle];
      if (eth) {
        await f.devnet.depositToVault(parseEther(String(eth)));
        depositedGwei += BigInt(eth) * GWEI;
      }
      if (cycle === REWARDS_CYCLE) {
        await f.devnet.publishRewards([
          { vault: f.vault, consensusReward: 0n, unlockedMevReward: 0n, lockedMevReward: 0n },
        ]);
      }
      // Once everything deposited is staked: an exit request before that would take assets a
      // registration still waits for, and the run would end with them unstaked.
      if (
        cycle >= EXIT_CYCLE &&
        !exitEntered &&
        (await keeper("isCollateralized")) &&
        stakedGwei(await vaultEvents()) > depositedGwei
      ) {
        await enterExitQueue(parseEther("5"));
        exitEntered = true;
      }
      const open = !allSettled(readJournal(dbFile));
      const pending = !open && (await workLeft());
      const pause = cycle === PAUSED_CYCLE;
      const strategy = next ?? chooseStrategy({ open, pending, pause, stalled: stall.stalled() }, between);
      const journaledBefore = readJournal(dbFile).length;
      next = undefined;

      // Mining stops before the paused cycle's run: its transaction stays in the mempool, the run
      // is killed there, and the next run must settle a transaction the node already holds.
      const cycleRun = await killCycle({
        f,
        dbFile,
        cycle,
        strategy,
        pause,
        between,
        log,
        start: () => startService(args(), env()),
        onRun: (run) => {
          current = run;
        },
      });
      const { killedAt } = cycleRun;
      next = cycleRun.next;
      stall.after(pending, readJournal(dbFile).length > journaledBefore);
      const events = await vaultEvents();
      log.push(
        `cycle ${cycle}: ${strategy} → killed (${killedAt}) after ${cycleRun.ms} ms; ` +
          `registered ${events.registered.length}, top-ups ${events.funded.length}, ` +
          `withdrawals ${events.withdrawals.length}, staked ${stakedGwei(events)}/${depositedGwei} gwei`,
      );
      try {
        assertNothingTwice(events, readJournal(dbFile));
      } catch (error) {
        throw new Error(
          `cycle ${cycle}: ${(error as Error).message}\n${log.join("\n")}\n${current?.output() ?? ""}`,
        );
      }
    }
    await setMining(f, true);
    t.diagnostic(log.join("\n"));
    assert.ok(exitEntered, `the vault was never collateralized and fully staked\n${log.join("\n")}`);

    // A last, undisturbed run finishes the work.
    const last: ServiceRun = startService(args(), env());
    current = last;
    await last.waitForLog((l) => l.msg === "service started", { what: "the last run's start" });
    await poll(async () => ((await workLeft()) || !allSettled(readJournal(dbFile)) ? undefined : true), {
      timeoutMs: 60_000,
      what: () => `everything staked, harvested and withdrawn\n${log.join("\n")}\n${last.output()}`,
    });
    // More than a WITHDRAWALS_INTERVAL: the pending partial withdrawal covers the queue, nothing more is sent.
    await sleep((WITHDRAWALS_INTERVAL + 3) * 1000);
    const stopped = await last.stop();
    assert.equal(stopped.code, 0, last.output());

    const events = await vaultEvents();
    const journal = readJournal(dbFile);
    assertNothingTwice(events, journal);
    // Each key registered once, keys in keystore order, and nothing else registered.
    assert.deepEqual(
      events.registered.map((r) => r.publicKey),
      [keyOf(0), keyOf(1)],
    );
    // Each validator got exactly its share: a top-up sent twice would show here.
    const totals = new Map<string, bigint>();
    for (const e of [...events.registered, ...events.funded]) {
      totals.set(e.publicKey, (totals.get(e.publicKey) ?? 0n) + e.amountGwei);
    }
    assert.deepEqual(Object.fromEntries(totals), FINAL_GWEI);
    // The top-ups funded exactly what registration did not: the deposits and the security deposit.
    const registeredGwei = events.registered.reduce((sum, r) => sum + r.amountGwei, 0n);
    const fundedGwei = events.funded.reduce((sum, r) => sum + r.amountGwei, 0n);
    assert.ok(events.funded.length > 0, "at least one top-up");
    assert.equal(fundedGwei, depositedGwei + 1n - registeredGwei);
    // One exit request of 5 ETH: one withdrawal, of the queue's 5 ETH (rounded up to the gwei).
    assert.equal(events.withdrawals.length, 1, show(events.withdrawals));
    const [withdrawal] = events.withdrawals;
    assert.ok(
      withdrawal && withdrawal.amountGwei >= 5n * GWEI && withdrawal.amountGwei <= 5n * GWEI + 1n,
      String(withdrawal?.amountGwei),
    );

    // The hot wallet sent exactly the journal's mined transactions; none failed, none dropped.
    assert.deepEqual(
      journal.filter((r) => r.status !== "mined").map((r) => `${r.id} ${r.kind} ${r.status}`),
      [],
      "every journaled transaction was mined",
    );
    const mined = journal.filter((r) => r.status === "mined");
    const kinds = (kind: JournalRow["kind"]) => mined.filter((r) => r.kind === kind).length;
    assert.equal(kinds("registration"), 2, "one registration per key (key 0, key 1)");
    assert.equal(kinds("withdrawal"), 1);
    assert.equal(kinds("top-up"), events.funded.length);
    assert.equal(await f.nonce("latest"), mined.length, "wallet transactions = mined journal entries");
    assert.equal(await f.nonce("pending"), mined.length, "nothing left in the mempool");
    const sent = await walletTransactions();
    assert.deepEqual(
      sent.sort(),
      mined.map((r) => r.tx_hash.toLowerCase()).sort(),
      "the wallet's transactions on chain are the journal's mined ones",
    );
  });

  async function enterExitQueue(assets: bigint): Promise<void> {
    const { clients } = f.devnet;
    const shares = await clients.sender.readContract({
      address: f.vault,
      abi: vaultV5Abi,
      functionName: "convertToShares",
      args: [assets],
    });
    const hash = await clients.depositor.writeContract({
      address: f.vault,
      abi: vaultV5Abi,
      functionName: "enterExitQueue",
      args: [shares, clients.depositor.account.address],
    });
    await clients.depositor.waitForTransactionReceipt({ hash });
  }

  /** Every transaction of the hot wallet that got mined, by hash. */
  async function walletTransactions(): Promise<string[]> {
    const client = f.devnet.clients.sender;
    const latest = await client.getBlockNumber();
    const found: string[] = [];
    for (let n = 0n; n <= latest; n++) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() === f.wallet.toLowerCase()) found.push(tx.hash.toLowerCase());
      }
    }
    return found;
  }
});

/**
 * Nothing done twice so far: no key registered twice, no validator funded past the cap, no second
 * withdrawal; no key in two live journal registrations, no two open entries at once.
 */
function assertNothingTwice(events: VaultEvents, journal: JournalRow[]): void {
  const keys = events.registered.map((r) => r.publicKey);
  assert.equal(new Set(keys).size, keys.length, `a key registered twice: ${JSON.stringify(keys)}`);
  const totals = new Map<string, bigint>();
  for (const e of [...events.registered, ...events.funded]) {
    totals.set(e.publicKey, (totals.get(e.publicKey) ?? 0n) + e.amountGwei);
  }
  for (const [key, gwei] of totals) {
    assert.ok(gwei <= (FINAL_GWEI[key] ?? 0n), `${key} funded with ${gwei} gwei, more than its share`);
  }
  assert.ok(events.withdrawals.length <= 1, `withdrawals submitted twice: ${show(events.withdrawals)}`);
  const live = journal
    .filter((r) => r.kind === "registration" && (isOpen(r) || r.status === "mined"))
    .flatMap((r) => JSON.parse(r.public_keys) as string[]);
  assert.equal(
    new Set(live).size,
    live.length,
    `a key in two live journal entries: ${JSON.stringify(journal)}`,
  );
  assert.ok(journal.filter(isOpen).length <= 1, `two open entries at once: ${JSON.stringify(journal)}`);
}
