import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPublicClient, custom, type EIP1193RequestFn, numberToHex, type PublicClient } from "viem";
import {
  CONSOLIDATION_REQUESTS,
  fakeExponential,
  RequestFeeError,
  readRequestFee,
  requestFeeForExcess,
  WITHDRAWAL_REQUESTS,
} from "./request-fees.ts";

/** A client whose eth_call answers with `answer` (or throws it) and records the calls. */
function clientAnswering(answer: (call: { to: string; data?: string }) => unknown): {
  client: PublicClient;
  calls: { to: string; data?: string }[];
} {
  const calls: { to: string; data?: string }[] = [];
  const request = (async ({ method, params }: { method: string; params?: unknown }) => {
    if (method === "eth_chainId") return "0x1";
    if (method !== "eth_call") throw new Error(`unexpected ${method}`);
    const call = (params as [{ to: string; data?: string }])[0];
    calls.push(call);
    return answer(call);
  }) as EIP1193RequestFn;
  return { client: createPublicClient({ transport: custom({ request }, { retryCount: 0 }) }), calls };
}

describe("fakeExponential", () => {
  it("gives the EIP-4844 reference values", () => {
    // (factor, numerator, denominator) → result, the table execution clients test fake_exponential with.
    const cases: [bigint, bigint, bigint, bigint][] = [
      [1n, 0n, 1n, 1n],
      [38493n, 0n, 1000n, 38493n],
      [0n, 1234n, 2345n, 0n],
      [1n, 2n, 1n, 6n],
      [1n, 4n, 2n, 6n],
      [1n, 3n, 1n, 16n],
      [1n, 6n, 2n, 18n],
      [1n, 4n, 1n, 49n],
      [1n, 8n, 2n, 50n],
      [10n, 8n, 2n, 542n],
      [11n, 8n, 2n, 596n],
      [1n, 5n, 1n, 136n],
      [1n, 5n, 2n, 11n],
      [2n, 5n, 2n, 23n],
    ];
    for (const [factor, numerator, denominator, expected] of cases)
      assert.equal(
        fakeExponential(factor, numerator, denominator),
        expected,
        `${factor}, ${numerator}, ${denominator}`,
      );
  });

  it("prices requests with the EIPs' constants: 1 wei at no excess, about e times more every 17", () => {
    // EIP-7002: MIN_WITHDRAWAL_REQUEST_FEE = 1, WITHDRAWAL_REQUEST_FEE_UPDATE_FRACTION = 17;
    // EIP-7251: MIN_CONSOLIDATION_REQUEST_FEE = 1, CONSOLIDATION_REQUEST_FEE_UPDATE_FRACTION = 17.
    for (const contract of [WITHDRAWAL_REQUESTS, CONSOLIDATION_REQUESTS]) {
      assert.equal(requestFeeForExcess(contract, 0n), 1n);
      // Values of the EIPs' Python fake_exponential, run separately.
      assert.equal(requestFeeForExcess(contract, 16n), 2n);
      assert.equal(requestFeeForExcess(contract, 17n), 2n);
      assert.equal(requestFeeForExcess(contract, 34n), 7n);
      assert.equal(requestFeeForExcess(contract, 170n), 22019n);
    }
    assert.throws(() => fakeExponential(1n, 1n, 0n), RangeError);
  });

  it("knows the system contracts' addresses and request sizes", () => {
    // v3-core v4.0.1 script/Network.sol:28 `address internal constant VALIDATORS_WITHDRAWALS = 0x00000961Ef480Eb55e80D19ad83579A64c007002;`
    assert.equal(WITHDRAWAL_REQUESTS.address, "0x00000961Ef480Eb55e80D19ad83579A64c007002");
    // v3-core v4.0.1 script/Network.sol:29 `address internal constant VALIDATORS_CONSOLIDATIONS = 0x0000BBdDc7CE488642fb579F8B00f3a590007251;`
    assert.equal(CONSOLIDATION_REQUESTS.address, "0x0000BBdDc7CE488642fb579F8B00f3a590007251");
    assert.equal(WITHDRAWAL_REQUESTS.requestLength, 56);
    assert.equal(CONSOLIDATION_REQUESTS.requestLength, 96);
  });
});

describe("readRequestFee", () => {
  it("reads the fee with an empty-calldata eth_call", async () => {
    const { client, calls } = clientAnswering(() => numberToHex(22026n, { size: 32 }));
    const fee = await readRequestFee({ client, address: WITHDRAWAL_REQUESTS.address, kind: "withdrawal" });
    assert.equal(fee, 22026n);
    assert.equal(calls[0]?.to.toLowerCase(), WITHDRAWAL_REQUESTS.address.toLowerCase());
    assert.ok(calls[0]?.data === undefined || calls[0].data === "0x");
  });

  it("says when nothing is deployed there", async () => {
    const { client } = clientAnswering(() => "0x");
    await assert.rejects(
      readRequestFee({ client, address: CONSOLIDATION_REQUESTS.address, kind: "consolidation" }),
      (e: unknown) => e instanceof RequestFeeError && /answered nothing/.test(e.message) && !e.retryable,
    );
  });

  it("says when the contract refuses (before the fork is active)", async () => {
    const { client } = clientAnswering(() => {
      throw Object.assign(new Error("execution reverted"), { code: 3, data: "0x" });
    });
    await assert.rejects(
      readRequestFee({ client, address: WITHDRAWAL_REQUESTS.address, kind: "withdrawal" }),
      (e: unknown) => e instanceof RequestFeeError && /refused the fee query/.test(e.message),
    );
  });

  it("leaves transport failures to the caller", async () => {
    const { client } = clientAnswering(() => {
      throw new Error("socket hang up");
    });
    await assert.rejects(
      readRequestFee({ client, address: WITHDRAWAL_REQUESTS.address, kind: "withdrawal" }),
      (e: unknown) => !(e instanceof RequestFeeError),
    );
  });
});
