import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createPublicClient,
  custom,
  encodeAbiParameters,
  encodeEventTopics,
  type Hex,
  numberToHex,
} from "viem";
import { DEPOSIT_EVENT } from "../../chain/deposit-events.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { DepositFeedError } from "./errors.ts";
import { decodeDepositEvent, viemDepositSource } from "./viem-deposit-source.ts";

const CONTRACT = "0x4242424242424242424242424242424242424242";
const PUBKEY = toPrefixedHex(new Uint8Array(48).fill(0xaa));
const CREDENTIALS = toPrefixedHex(new Uint8Array(32).fill(0x01));
const SIGNATURE = toPrefixedHex(new Uint8Array(96).fill(0xbb));
// 32 ETH in gwei and deposit index 5, 8-byte little-endian as the deposit contract emits them.
const AMOUNT_32_ETH: Hex = "0x0040597307000000";
const INDEX_5: Hex = "0x0500000000000000";

function rpcLog(blockNumber: number, logIndex: number, index: Hex, removed = false) {
  return {
    address: CONTRACT,
    topics: encodeEventTopics({ abi: [DEPOSIT_EVENT], eventName: "DepositEvent" }),
    data: encodeAbiParameters(DEPOSIT_EVENT.inputs, [PUBKEY, CREDENTIALS, AMOUNT_32_ETH, SIGNATURE, index]),
    blockNumber: numberToHex(blockNumber),
    blockHash: `0x${"cc".repeat(32)}`,
    transactionHash: `0x${"dd".repeat(32)}`,
    transactionIndex: "0x0",
    logIndex: numberToHex(logIndex),
    removed,
  };
}

/** An EIP-1193 provider that answers the two calls and checks what it is asked. */
function provider(logs: unknown[]) {
  const calls: Array<{ method: string; params: unknown }> = [];
  const request = async ({ method, params }: { method: string; params?: unknown }) => {
    calls.push({ method, params });
    if (method === "eth_getLogs") {
      const [filter] = params as [{ address: string; topics: string[]; fromBlock: string; toBlock: string }];
      assert.equal(filter.address.toLowerCase(), CONTRACT);
      assert.deepEqual(filter.topics, encodeEventTopics({ abi: [DEPOSIT_EVENT], eventName: "DepositEvent" }));
      return logs;
    }
    if (method === "eth_getBlockByNumber") {
      assert.deepEqual(params, ["latest", false]);
      return {
        number: "0x10",
        hash: `0x${"ee".repeat(32)}`,
        parentHash: `0x${"ef".repeat(32)}`,
        timestamp: "0x6553f100",
        transactions: [],
        uncles: [],
        logsBloom: `0x${"00".repeat(256)}`,
        gasLimit: "0x1c9c380",
        gasUsed: "0x0",
        miner: `0x${"00".repeat(20)}`,
        extraData: "0x",
        baseFeePerGas: "0x7",
      };
    }
    throw new Error(`unexpected RPC call ${method}`);
  };
  return { client: createPublicClient({ transport: custom({ request }) }), calls };
}

describe("viemDepositSource", () => {
  it("the event signature is the deposit contract's", () => {
    assert.equal(
      encodeEventTopics({ abi: [DEPOSIT_EVENT], eventName: "DepositEvent" })[0],
      "0x649bbc62d0e31342afea4e5cd82d4049e7e1ee912fc0889aa790803be39038c5",
    );
  });

  it("reads DepositEvent logs with eth_getLogs and decodes little-endian amount and index", async () => {
    const { client, calls } = provider([rpcLog(7, 2, INDEX_5), rpcLog(8, 0, INDEX_5, true)]);
    const source = viemDepositSource(client, CONTRACT);
    const logs = await source.fetchDeposits(5n, 9n);
    assert.equal(logs.length, 1);
    assert.deepEqual(logs[0], {
      blockNumber: 7n,
      logIndex: 2,
      transactionHash: `0x${"dd".repeat(32)}`,
      pubkey: new Uint8Array(48).fill(0xaa),
      withdrawalCredentials: new Uint8Array(32).fill(0x01),
      amountGwei: 32_000_000_000n,
      signature: new Uint8Array(96).fill(0xbb),
      index: 5n,
    });
    const [filter] = (calls[0]?.params ?? []) as Array<{ fromBlock: string; toBlock: string }>;
    assert.ok(filter);
    assert.equal(filter.fromBlock, "0x5");
    assert.equal(filter.toBlock, "0x9");
  });

  it("reads the latest block", async () => {
    const { client } = provider([]);
    assert.deepEqual(await viemDepositSource(client, CONTRACT).latestBlock(), {
      number: 16n,
      hash: `0x${"ee".repeat(32)}`,
      parentHash: `0x${"ef".repeat(32)}`,
      timestamp: 0x6553f100n,
    });
  });

  it("refuses fields of the wrong length", () => {
    const args = {
      pubkey: PUBKEY,
      withdrawal_credentials: CREDENTIALS,
      amount: AMOUNT_32_ETH,
      signature: SIGNATURE,
      index: INDEX_5,
    };
    assert.equal(decodeDepositEvent(args).index, 5n);
    assert.throws(() => decodeDepositEvent({ ...args, amount: "0x00405973" }), DepositFeedError);
    assert.throws(() => decodeDepositEvent({ ...args, pubkey: "0xaa" }), DepositFeedError);
  });
});
