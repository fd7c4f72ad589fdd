import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import { OperatorError } from "../lib/errors.ts";
import {
  type DepositLog,
  decodeDepositLog,
  littleEndianUint64,
  scanDepositEvents,
} from "./deposit-events.ts";

const le64 = (value: bigint): Hex => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return `0x${bytes.toString("hex")}`;
};

function log(block: bigint, index: bigint, overrides: Partial<DepositLog["args"]> = {}): DepositLog {
  return {
    args: {
      pubkey: `0x${"AA".repeat(48)}`,
      withdrawal_credentials: `0x01${"00".repeat(11)}${"bb".repeat(20)}`,
      amount: le64(32_000_000_000n),
      signature: `0x${"cc".repeat(96)}`,
      index: le64(index),
      ...overrides,
    },
    blockNumber: block,
    transactionHash: `0x${block.toString(16).padStart(64, "0")}`,
    logIndex: 0,
  };
}

describe("decodeDepositLog", () => {
  it("decodes little-endian amount and index and lower-cases the bytes", () => {
    const event = decodeDepositLog(log(7n, 258n));
    assert.equal(event.pubkey, `0x${"aa".repeat(48)}`);
    assert.equal(event.amountGwei, 32_000_000_000n);
    assert.equal(event.index, 258n);
    assert.equal(event.blockNumber, 7n);
    assert.equal(littleEndianUint64("0x0040597307000000"), 32_000_000_000n);
    assert.equal(littleEndianUint64(`0x${"ff".repeat(8)}`), 2n ** 64n - 1n);
  });

  it("refuses fields of the wrong length and logs not yet mined", () => {
    assert.throws(() => decodeDepositLog(log(1n, 0n, { pubkey: "0xaa" })), /pubkey is not 48 bytes/);
    assert.throws(() => decodeDepositLog(log(1n, 0n, { amount: "0x00" })), /amount is not 8 bytes/);
    assert.throws(() => decodeDepositLog({ ...log(1n, 0n), blockNumber: null }), OperatorError);
  });
});

describe("scanDepositEvents", () => {
  it("asks the deposit contract in adaptive chunks and returns the events in order", async () => {
    const chain = [log(3n, 0n), log(9n, 1n), log(9n, 2n), log(20n, 3n)];
    const asked: Array<[bigint, bigint]> = [];
    const client = {
      getLogs: async (args: {
        address: Hex;
        fromBlock: bigint;
        toBlock: bigint;
        event: { name: string };
      }) => {
        assert.equal(args.event.name, "DepositEvent");
        assert.equal(args.address, "0x00000000219ab540356cBB839Cbe05303d7705Fa");
        asked.push([args.fromBlock, args.toBlock]);
        if (args.toBlock - args.fromBlock + 1n > 8n) throw new Error("too many results");
        return chain.filter(
          (l) => (l.blockNumber ?? 0n) >= args.fromBlock && (l.blockNumber ?? 0n) <= args.toBlock,
        );
      },
    };
    const events = await scanDepositEvents({
      client: client as never,
      depositContract: "0x00000000219ab540356cBB839Cbe05303d7705Fa",
      fromBlock: 0n,
      toBlock: 25n,
      initialChunk: 16n,
      retryDelayMs: 0,
    });
    assert.deepEqual(
      events.map((e) => e.index),
      [0n, 1n, 2n, 3n],
    );
    assert.deepEqual(asked, [
      [0n, 15n],
      [0n, 7n],
      [8n, 15n],
      [16n, 23n],
      [24n, 25n],
    ]);
  });
});
