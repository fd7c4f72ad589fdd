import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Hex, keccak256, toHex } from "viem";
import {
  advisoryLockHolder,
  temporaryDatabase,
  terminateSessions,
} from "../../../test/support/operator-postgres.ts";
import { createLogger } from "../../lib/logger.ts";
import { openPostgresStateStore } from "../state/postgres-state-store.ts";
import type { ServiceStore } from "../state/service-store.ts";
import { createTransactionSender } from "../tx/transaction-sender.ts";
import type { TxChain, TxReceipt } from "../tx/tx-chain.ts";
import {
  LEADER_LOCK_NAMESPACE,
  type LeaderLock,
  LeadershipLostError,
  openLeaderLock,
} from "./leader-lock.ts";

const VAULT = `0x${"ab".repeat(20)}` as const;
const log = createLogger({ level: process.env.DEBUG_TEST ? "debug" : "silent", format: "json" });
const binding = { vault: VAULT, network: "devnet", chainId: 31337, genesisHash: `0x${"01".repeat(32)}` };

/** One node both replicas send through: it mines what it is given, and records every broadcast. */
function sharedChain() {
  const receipts = new Map<Hex, TxReceipt>();
  const broadcasts: Array<{ by: string; rawTx: Hex }> = [];
  let nonce = 0;
  const chainOf = (by: string): TxChain => ({
    account: "0x00000000000000000000000000000000000000aa",
    gasToken: "ETH",
    estimateGas: async () => 100_000n,
    fees: async () => ({ maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n }),
    balance: async () => 10n ** 18n,
    nonce: async () => nonce,
    sign: async (tx) => toHex(`tx ${tx.nonce} ${tx.data}`),
    async broadcast(rawTx) {
      broadcasts.push({ by, rawTx });
      const hash = keccak256(rawTx);
      if (!receipts.has(hash)) {
        receipts.set(hash, { transactionHash: hash, blockNumber: BigInt(nonce + 1), status: "success" });
        nonce++;
      }
      return "sent";
    },
    receipt: async (hash) => receipts.get(hash),
    waitForReceipt: async (hash) => receipts.get(hash) as TxReceipt,
  });
  return { chainOf, broadcasts };
}

describe("failover between two replicas: the lock is checked before every broadcast", () => {
  let db: Awaited<ReturnType<typeof temporaryDatabase>>;
  const closers: Array<() => Promise<void>> = [];
  before(async () => {
    db = await temporaryDatabase();
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
    await db?.drop();
  });

  const replica = async (name: string, chain: ReturnType<typeof sharedChain>) => {
    const store: ServiceStore = await openPostgresStateStore({ url: db.url, binding, replica: name });
    const lock: LeaderLock = await openLeaderLock({
      url: db.url,
      network: "devnet",
      vault: VAULT,
      pollMs: 100,
      checkTimeoutMs: 1000,
      log,
    });
    closers.push(
      () => store.close(),
      () => lock.close(),
    );
    const sender = createTransactionSender({
      chain: chain.chainOf(name),
      journal: store.journal,
      maxFeePerGasWei: 10n ** 10n,
      receiptTimeoutMs: 1000,
      beforeBroadcast: () => lock.assertLeader(),
    });
    return { store, lock, sender };
  };
  const harvest = (data: Hex) => ({ kind: "harvest" as const, to: VAULT as Hex, data });

  it("a leader cut off mid-round sends nothing more; the new leader settles its journaled transaction with the same bytes", async () => {
    const chain = sharedChain();
    const a = await replica("a", chain);
    const b = await replica("b", chain);
    const signal = new AbortController().signal;
    await a.lock.acquire(signal);
    const bLeads = b.lock.acquire(signal);

    await a.sender.send(harvest("0x01"));
    // The partition: a's lock session is ended by the server between two of its sends.
    const holder = await advisoryLockHolder(db.url, LEADER_LOCK_NAMESPACE);
    assert.ok(holder !== undefined);
    await terminateSessions(db.url, { pid: holder });
    await assert.rejects(a.sender.send(harvest("0x02")), LeadershipLostError);
    assert.deepEqual(
      chain.broadcasts.map((x) => x.by),
      ["a"],
      "a signed and journaled its second transaction, and did not broadcast it",
    );
    const [open] = await b.store.journal.openTransactions();
    assert.ok(open, "the journaled transaction is open for the new leader");

    await bLeads;
    assert.equal(await b.sender.settle(), true);
    await b.sender.send(harvest("0x03"));
    assert.deepEqual(
      chain.broadcasts.map((x) => x.by),
      ["a", "b", "b"],
    );
    assert.equal(chain.broadcasts[1]?.rawTx, open.rawTx, "settled with the bytes a signed, not re-signed");
    const hashes = chain.broadcasts.map((x) => keccak256(x.rawTx));
    assert.equal(new Set(hashes).size, 3, "three transactions, each broadcast once");
    assert.deepEqual(await b.store.journal.openTransactions(), []);
    // a stays out: nothing is open for it to settle, and it cannot send.
    assert.equal(await a.sender.settle(), true);
    await assert.rejects(a.sender.send(harvest("0x04")), LeadershipLostError);
    assert.equal(chain.broadcasts.length, 3);
  });
});
