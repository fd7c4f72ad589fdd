import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createDryRunSender, type DryRunRecord, NOT_SENT_HASH } from "./dry-run-sender.ts";
import { GasPriceTooHighError, HotWalletFundsError } from "./transaction-sender.ts";

const FEES = { maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
const TO = "0x3320ad928c20187602a2b2c04eeaa813fa899468" as const;

/** A chain that answers reads and logs them; anything else would be a TypeError (not on it). */
function readOnlyChain(calls: string[], estimate: () => Promise<bigint> = async () => 210_000n) {
  return {
    account: "0x58A57ed9d8d624cBD12e2C467D34787555bB1b25" as const,
    gasToken: "ETH",
    estimateGas: async () => {
      calls.push("estimateGas");
      return estimate();
    },
    fees: async () => {
      calls.push("fees");
      return FEES;
    },
    balance: async () => {
      calls.push("balance");
      return 10n ** 18n;
    },
  };
}

describe("createDryRunSender", () => {
  it("records a send with its gas and fees, and answers as if mined without signing", async () => {
    const calls: string[] = [];
    const record: DryRunRecord = { registrations: [], sends: [] };
    const sender = createDryRunSender({
      chain: readOnlyChain(calls),
      openTransactions: async () => [],
      maxFeePerGasWei: 10_000_000_000n,
      record,
    });
    assert.deepEqual(await sender.send({ kind: "harvest", to: TO, data: "0x1234abcd", value: 5n }), {
      transactionHash: NOT_SENT_HASH,
      blockNumber: 0n,
      status: "success",
    });
    assert.deepEqual(calls, ["fees", "estimateGas"]);
    assert.deepEqual(record.sends, [
      {
        kind: "harvest",
        to: TO,
        data: "0x1234abcd",
        value: 5n,
        publicKeys: [],
        gas: 210_000n,
        gasError: undefined,
        fees: FEES,
      },
    ]);
  });

  it("records a call the node would revert, with the reason instead of its gas", async () => {
    const record: DryRunRecord = { registrations: [], sends: [] };
    const sender = createDryRunSender({
      chain: readOnlyChain([], async () => {
        throw Object.assign(new Error("long"), { shortMessage: "execution reverted: AccessDenied" });
      }),
      openTransactions: async () => [],
      maxFeePerGasWei: 10_000_000_000n,
      record,
    });
    await sender.send({ kind: "registration", to: TO, data: "0x", publicKeys: ["0xab"] });
    assert.equal(record.sends[0]?.gas, undefined);
    assert.equal(record.sends[0]?.gasError, "execution reverted: AccessDenied");
    assert.deepEqual(record.sends[0]?.publicKeys, ["0xab"]);
  });

  it("checks the fee cap and the funds as the service does", () => {
    const sender = createDryRunSender({
      chain: readOnlyChain([]),
      openTransactions: async () => [],
      maxFeePerGasWei: 1_000_000_000n,
      record: { registrations: [], sends: [] },
    });
    assert.throws(
      () => sender.checkCanPay({ fees: FEES, balance: 10n ** 18n }, 100_000n, "registration"),
      GasPriceTooHighError,
    );
    const capped = createDryRunSender({
      chain: readOnlyChain([]),
      openTransactions: async () => [],
      maxFeePerGasWei: 10_000_000_000n,
      record: { registrations: [], sends: [] },
    });
    assert.throws(
      () => capped.checkCanPay({ fees: FEES, balance: 1n }, 100_000n, "registration"),
      HotWalletFundsError,
    );
    capped.checkCanPay({ fees: FEES, balance: 10n ** 18n }, 100_000n, "registration");
  });

  it("settles nothing: a round waits while the journal holds an open transaction", async () => {
    let open: unknown[] = [{ id: 1 }];
    const sender = createDryRunSender({
      chain: readOnlyChain([]),
      openTransactions: async () => open,
      maxFeePerGasWei: 10_000_000_000n,
      record: { registrations: [], sends: [] },
    });
    assert.equal(await sender.settle(), false);
    open = [];
    assert.equal(await sender.settle(), true);
  });
});
