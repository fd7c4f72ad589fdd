import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPublicClient, custom, numberToHex } from "viem";
import { toPrefixedHex } from "../../lib/hex.ts";
import { DepositFeedError } from "./errors.ts";
import {
  CONSOLIDATION_REQUEST_ADDRESS,
  decodeWithdrawalRequest,
  WITHDRAWAL_REQUEST_ADDRESS,
} from "./request-source.ts";
import { viemRequestSource } from "./viem-request-source.ts";

const VAULT = new Uint8Array(20).fill(0x11);
const PUBKEY_A = new Uint8Array(48).fill(0xaa);
const PUBKEY_B = new Uint8Array(48).fill(0xbb);

/** The EIP-7002 log data: source ‖ pubkey ‖ amount as 8 big-endian bytes. */
function withdrawalData(pubkey: Uint8Array, amountGwei: bigint): `0x${string}` {
  const amount = new Uint8Array(8);
  new DataView(amount.buffer).setBigUint64(0, amountGwei, false);
  return toPrefixedHex(Uint8Array.from([...VAULT, ...pubkey, ...amount]));
}

function rpcLog(
  address: string,
  data: `0x${string}`,
  blockNumber: number,
  logIndex: number,
  removed = false,
) {
  return {
    address: address.toLowerCase(),
    topics: [],
    data,
    blockNumber: numberToHex(blockNumber),
    blockHash: `0x${"cc".repeat(32)}`,
    transactionHash: `0x${"dd".repeat(32)}`,
    transactionIndex: "0x0",
    logIndex: numberToHex(logIndex),
    removed,
  };
}

function clientAnswering(logs: unknown[]) {
  const filters: unknown[] = [];
  const client = createPublicClient({
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        if (method !== "eth_getLogs") throw new Error(`unexpected ${method}`);
        filters.push((params as unknown[])[0]);
        return logs;
      },
    }),
  });
  return { client, filters };
}

describe("viemRequestSource", () => {
  it("asks both request contracts in one eth_getLogs and decodes each log by its address", async () => {
    const { client, filters } = clientAnswering([
      rpcLog(WITHDRAWAL_REQUEST_ADDRESS, withdrawalData(PUBKEY_A, 0n), 7, 0),
      rpcLog(
        CONSOLIDATION_REQUEST_ADDRESS,
        toPrefixedHex(Uint8Array.from([...VAULT, ...PUBKEY_A, ...PUBKEY_B])),
        7,
        1,
      ),
      rpcLog(WITHDRAWAL_REQUEST_ADDRESS, withdrawalData(PUBKEY_B, 1n), 8, 0, true),
    ]);
    const requests = await viemRequestSource(client).fetchRequests(5n, 9n);
    const filter = filters[0] as { address: string[]; fromBlock: string; toBlock: string };
    assert.deepEqual(
      filter.address.map((a) => a.toLowerCase()),
      [WITHDRAWAL_REQUEST_ADDRESS.toLowerCase(), CONSOLIDATION_REQUEST_ADDRESS.toLowerCase()],
    );
    assert.equal(filter.fromBlock, "0x5");
    assert.equal(filter.toBlock, "0x9");
    assert.equal(requests.length, 2, "the removed log is dropped");
    const [withdrawal, consolidation] = requests;
    assert.equal(withdrawal?.kind, "withdrawal");
    assert.equal(withdrawal?.kind === "withdrawal" && withdrawal.amountGwei, 0n);
    assert.deepEqual(withdrawal?.sourceAddress, VAULT);
    assert.equal(consolidation?.kind, "consolidation");
    assert.deepEqual(consolidation?.kind === "consolidation" && consolidation.targetPubkey, PUBKEY_B);
    assert.equal(consolidation?.logIndex, 1);
  });

  it("reads the amount as 8 big-endian bytes and refuses data of the wrong length", () => {
    const data = Buffer.from(withdrawalData(PUBKEY_A, 32_000_000_000n).slice(2), "hex");
    // 32 ETH in gwei = 0x0000000773594000, big-endian in the last 8 bytes.
    assert.equal(data.subarray(68).toString("hex"), "0000000773594000");
    const decoded = decodeWithdrawalRequest(data, { blockNumber: 1n, logIndex: 0 });
    assert.equal(decoded.amountGwei, 32_000_000_000n);
    assert.deepEqual(decoded.validatorPubkey, PUBKEY_A);
    assert.throws(
      () => decodeWithdrawalRequest(data.subarray(1), { blockNumber: 1n, logIndex: 0 }),
      DepositFeedError,
    );
  });
});
