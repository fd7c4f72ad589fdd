import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Hex, keccak256, toHex } from "viem";
import type { TransactionKind } from "../state/journal-entry.ts";
import {
  createTransactionSender,
  GasPriceTooHighError,
  HotWalletFundsError,
  type TransactionJournal,
  TransactionRevertedError,
} from "./transaction-sender.ts";
import { NodeInsufficientFundsError, type TxChain, type TxReceipt, type UnsignedTx } from "./tx-chain.ts";

const GWEI = 1_000_000_000n;
const ETH = 10n ** 18n;
const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";

/** A node and an account, by hand: every call is logged, the answers are set per test. */
function fakeChain(options: { balance?: bigint; maxFeePerGas?: bigint } = {}) {
  const events: string[] = [];
  const state = {
    balance: options.balance ?? ETH,
    fees: { maxFeePerGas: options.maxFeePerGas ?? 20n * GWEI, maxPriorityFeePerGas: GWEI },
    latestNonce: 0,
    pendingNonce: 0,
    gas: 200_000n,
    /** What the node does with the next broadcast. */
    broadcast: "sent" as "sent" | "known" | "insufficient" | "boom",
    /** Receipts the node has, by hash. */
    receipts: new Map<Hex, TxReceipt>(),
    /** The status a broadcast transaction is mined with. */
    minedStatus: "success" as TxReceipt["status"],
    receiptError: undefined as Error | undefined,
    signed: [] as UnsignedTx[],
    broadcasts: [] as Hex[],
  };
  const chain: TxChain = {
    account: "0x00000000000000000000000000000000000000aa",
    gasToken: "ETH",
    async estimateGas() {
      events.push("estimate");
      return state.gas;
    },
    async fees() {
      events.push("fees");
      return state.fees;
    },
    async balance() {
      events.push("balance");
      return state.balance;
    },
    async nonce(tag) {
      events.push(`nonce ${tag}`);
      return tag === "pending" ? state.pendingNonce : state.latestNonce;
    },
    async sign(tx) {
      events.push("sign");
      state.signed.push(tx);
      return toHex(`tx ${tx.nonce} ${tx.data}`);
    },
    async broadcast(rawTx) {
      events.push("broadcast");
      state.broadcasts.push(rawTx);
      if (state.broadcast === "insufficient") throw new NodeInsufficientFundsError("insufficient funds");
      if (state.broadcast === "boom") throw new Error("connection reset");
      const hash = keccak256(rawTx);
      state.receipts.set(hash, { transactionHash: hash, blockNumber: 7n, status: state.minedStatus });
      state.pendingNonce++;
      state.latestNonce++;
      return state.broadcast;
    },
    async receipt(hash) {
      events.push("receipt");
      if (state.receiptError) throw state.receiptError;
      return state.receipts.get(hash);
    },
    async waitForReceipt(hash) {
      events.push("wait");
      const receipt = state.receipts.get(hash);
      if (!receipt) throw new Error("timed out waiting for the receipt");
      return receipt;
    },
  };
  return { chain, state, events };
}

function memoryJournal(events: string[]) {
  const rows: Array<{
    id: number;
    kind: TransactionKind;
    txHash: Hex;
    rawTx: Hex;
    nonce: number;
    status: string;
    publicKeys: readonly string[];
  }> = [];
  const set = (id: number, status: string) => {
    events.push(`journal ${status}`);
    const row = rows.find((r) => r.id === id);
    if (row) row.status = status;
  };
  const journal: TransactionJournal = {
    async recordSigned(entry) {
      events.push("journal signed");
      rows.push({ id: rows.length + 1, status: "signed", publicKeys: entry.publicKeys ?? [], ...entry });
      return rows.length;
    },
    markSent: async (id) => set(id, "sent"),
    markMined: async (id) => set(id, "mined"),
    markFailed: async (id) => set(id, "failed"),
    markDropped: async (id) => set(id, "dropped"),
    openTransactions: async () => rows.filter((r) => r.status === "signed" || r.status === "sent"),
  };
  return { journal, rows };
}

function setup(
  options: Parameters<typeof fakeChain>[0] & {
    capGwei?: bigint;
    beforeBroadcast?: () => Promise<void>;
    stop?: AbortSignal;
  } = {},
) {
  const fake = fakeChain(options);
  const { journal, rows } = memoryJournal(fake.events);
  const sender = createTransactionSender({
    chain: fake.chain,
    journal,
    maxFeePerGasWei: (options.capGwei ?? 100n) * GWEI,
    receiptTimeoutMs: 1_000,
    ...(options.beforeBroadcast ? { beforeBroadcast: options.beforeBroadcast } : {}),
    ...(options.stop ? { stop: options.stop } : {}),
  });
  return { ...fake, rows, sender };
}

const harvest = { kind: "harvest" as const, to: VAULT as Hex, data: "0xabcd" as Hex };

describe("transaction sender", () => {
  it("journals the signed transaction before it is broadcast, and records it mined from its receipt", async () => {
    const { sender, events, rows, state } = setup();
    const receipt = await sender.send({ ...harvest });
    assert.equal(receipt.status, "success");
    assert.deepEqual(events, [
      "estimate",
      "fees",
      "balance",
      "nonce pending",
      "sign",
      "journal signed",
      "broadcast",
      "journal sent",
      "wait",
      "journal mined",
    ]);
    assert.equal(rows[0]?.kind, "harvest");
    assert.equal(rows[0]?.txHash, keccak256(state.broadcasts[0] as Hex));
    assert.equal(state.signed[0]?.gas, 240_000n, "the estimate plus 20 %");
  });

  it("asks beforeBroadcast after journaling and before every broadcast: a refusal sends nothing", async () => {
    let leader = true;
    const lost = new Error("lost the leader lock");
    const { sender, events, rows, state } = setup({
      beforeBroadcast: async () => {
        events.push("check leader");
        if (!leader) throw lost;
      },
    });
    await sender.send({ ...harvest });
    assert.deepEqual(events.slice(5, 8), ["journal signed", "check leader", "broadcast"]);
    leader = false;
    events.length = 0;
    await assert.rejects(sender.send({ ...harvest }), lost);
    assert.deepEqual(
      events.slice(-2),
      ["journal signed", "check leader"],
      "signed and journaled, never broadcast",
    );
    assert.equal(state.broadcasts.length, 1);
    assert.equal(rows[1]?.status, "signed", "left open for the new leader to settle");
    // Settling (a rebroadcast) is a send too.
    await assert.rejects(sender.settle(), lost);
    assert.equal(state.broadcasts.length, 1);
  });

  it("gives up a receipt wait at once when stop aborts (a lost leader lock), leaving the entry open", async () => {
    const stop = new AbortController();
    const lost = new Error("lost the leader lock");
    const { sender, chain, rows } = setup({ stop: stop.signal });
    // The node never mines it: the wait would last receiptTimeoutMs.
    let waiting = false;
    chain.waitForReceipt = () => {
      waiting = true;
      return new Promise(() => {});
    };
    const sent = sender.send({ ...harvest });
    while (!waiting) await new Promise((resolve) => setImmediate(resolve));
    stop.abort(lost);
    await assert.rejects(sent, lost);
    assert.equal(rows[0]?.status, "sent", "left open for the new leader to settle");
  });

  it("journals a registration's keys and its first deposit index", async () => {
    const { sender, rows } = setup();
    await sender.send({
      kind: "registration",
      to: VAULT,
      data: "0x01",
      publicKeys: ["0xaa"],
      firstDepositIndex: 4,
    });
    assert.deepEqual([rows[0]?.kind, rows[0]?.publicKeys], ["registration", ["0xaa"]]);
  });

  it("judges the receipt: a reverted transaction is recorded failed and thrown", async () => {
    const { sender, rows, state } = setup();
    state.minedStatus = "reverted";
    await assert.rejects(sender.send({ ...harvest }), (error: unknown) => {
      assert.ok(error instanceof TransactionRevertedError);
      assert.match(error.message, /^harvest transaction 0x[0-9a-f]{64} reverted$/);
      return true;
    });
    assert.equal(rows[0]?.status, "failed");
  });

  it("signs nothing above the fee cap or without the funds for gas and value", async () => {
    const high = setup({ maxFeePerGas: 150n * GWEI });
    await assert.rejects(high.sender.send({ ...harvest }), GasPriceTooHighError);
    await assert.rejects(
      high.sender.send({ ...harvest }),
      /gas price 150\.00 gwei is above --max-fee-per-gas-gwei 100\.00: waiting/,
    );
    assert.deepEqual(high.state.signed, []);

    const poor = setup({ balance: 1000n });
    await assert.rejects(poor.sender.send({ ...harvest }), (error: unknown) => {
      assert.ok(error instanceof HotWalletFundsError);
      assert.equal(error.retryable, true);
      assert.match(
        error.message,
        /the hot wallet 0x0+aa has 0\.000000000000001 ETH, needs about 0\.0048 ETH to pay for the harvest transaction's gas: send funds to it/,
      );
      return true;
    });
    const valued = setup({ balance: ETH });
    await assert.rejects(valued.sender.send({ ...harvest, value: ETH }), HotWalletFundsError, "value counts");
    assert.deepEqual([...poor.rows, ...valued.rows], [], "nothing journaled");
  });

  it("checks fees and funds from what the caller already read, before any work", () => {
    const { sender, events } = setup();
    const fees = { maxFeePerGas: 20n * GWEI, maxPriorityFeePerGas: GWEI };
    sender.checkCanPay({ fees, balance: ETH }, 150_000n, "registration");
    assert.throws(
      () => sender.checkCanPay({ fees, balance: 1n }, 150_000n, "registration"),
      HotWalletFundsError,
    );
    assert.throws(
      () => sender.checkCanPay({ fees: { ...fees, maxFeePerGas: 101n * GWEI }, balance: ETH }, 1n, "harvest"),
      GasPriceTooHighError,
    );
    assert.deepEqual(events, [], "no node call");
  });

  it("keeps a transaction the node refuses for funds open, and says to fund the wallet", async () => {
    const { sender, rows, state } = setup();
    state.broadcast = "insufficient";
    await assert.rejects(sender.send({ ...harvest }), HotWalletFundsError);
    assert.equal(rows[0]?.status, "signed", "settled by a later slot");
  });

  it("takes the node's 'already known' as sent: the receipt decides", async () => {
    const { sender, rows, state } = setup();
    state.broadcast = "known";
    await sender.send({ ...harvest });
    assert.equal(rows[0]?.status, "mined");
  });

  describe("settling what a previous run left open", () => {
    it("records mined and reverted ones, drops one whose nonce another used, rebroadcasts the same bytes", async () => {
      const { sender, rows, state, events } = setup();
      // Three entries a crashed run left: one mined, one whose nonce was used, one still pending.
      state.broadcast = "boom";
      for (let i = 0; i < 3; i++) await assert.rejects(sender.send({ ...harvest, data: toHex(`call ${i}`) }));
      assert.deepEqual(
        rows.map((r) => r.status),
        ["signed", "signed", "signed"],
      );
      const [mined, dropped, pending] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
      state.receipts.set(mined.txHash, { transactionHash: mined.txHash, blockNumber: 3n, status: "success" });
      dropped.nonce = -1; // a transaction of another run used its nonce
      pending.nonce = 5;
      state.latestNonce = 0;
      state.broadcast = "sent";
      events.length = 0;
      assert.equal(await sender.settle(), true);
      assert.deepEqual(
        rows.map((r) => r.status),
        ["mined", "dropped", "mined"],
      );
      assert.equal(state.broadcasts.at(-1), pending.rawTx, "the same bytes, so the same hash");
      assert.equal(await sender.settle(), true);
    });

    it("records a transaction mined while it is being settled as mined, never dropped", async () => {
      const { sender, rows, state, chain } = setup();
      state.broadcast = "boom";
      await assert.rejects(sender.send({ ...harvest }));
      const [entry] = rows as [(typeof rows)[0]];
      // The node holds it and mines it right after the settling's first read, whichever that is.
      const receipt = chain.receipt.bind(chain);
      const nonce = chain.nonce.bind(chain);
      let reads = 0;
      const mineAfterFirstRead = <T>(value: T): T => {
        if (++reads === 1) {
          state.receipts.set(entry.txHash, {
            transactionHash: entry.txHash,
            blockNumber: 4n,
            status: "success",
          });
          state.latestNonce = entry.nonce + 1;
        }
        return value;
      };
      chain.receipt = async (hash) => mineAfterFirstRead(await receipt(hash));
      chain.nonce = async (tag) => mineAfterFirstRead(await nonce(tag));
      assert.equal(await sender.settle(), true);
      assert.equal(rows[0]?.status, "mined");
    });

    it("never takes a failed receipt lookup for a dropped transaction", async () => {
      const { sender, rows, state } = setup();
      state.broadcast = "boom";
      await assert.rejects(sender.send({ ...harvest }));
      state.receiptError = new Error("HTTP 502");
      state.latestNonce = 9;
      await assert.rejects(sender.settle(), /HTTP 502/);
      assert.equal(rows[0]?.status, "signed");
    });
  });
});
