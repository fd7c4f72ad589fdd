import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bytesOf,
  createManualSimClock,
  ETH,
  TEST_GENESIS_TIME,
  TEST_NETWORK,
  testKeys,
} from "../../../test/support/beacon-fixtures.ts";
import {
  createMemoryDepositSource,
  type MemoryDeposit,
} from "../../../test/support/memory-deposit-source.ts";
import { createMemoryRequestSource } from "../../../test/support/memory-request-source.ts";
import { buildDepositDatum } from "../../keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { createBeaconState } from "./beacon-state.ts";

const VAULT = "0x8A94e1d22D83990205843cda08376d16F150c9bb";
const STRANGER = "0x00000000000000000000000000000000DeaDBeef";
const KEYS = testKeys(3);

function deposit(keyIndex: number, amountGwei: bigint, prefix: 0x01 | 0x02): MemoryDeposit {
  const key = KEYS[keyIndex];
  assert.ok(key);
  const datum = buildDepositDatum({
    secretKey: key.secretKey,
    publicKey: key.publicKey,
    withdrawalCredentials: vaultWithdrawalCredentials(VAULT, prefix),
    amountGwei: Number(amountGwei),
    genesisForkVersion: bytesOf(TEST_NETWORK.genesisForkVersion),
    networkName: "devnet",
  });
  return {
    pubkey: bytesOf(datum.pubkey),
    withdrawalCredentials: bytesOf(datum.withdrawal_credentials),
    amountGwei,
    signature: bytesOf(datum.signature),
  };
}

/**
 * 4 slots an epoch; a deposit waits 2 slots in the queue; activation and exit 4 slots after
 * (rounded up to an epoch); withdrawable 1 epoch after the exit. A deposit seen at slot 0 makes
 * a validator active from slot 8.
 */
function setup() {
  const deposits = createMemoryDepositSource();
  const requests = createMemoryRequestSource(deposits.mine);
  const clock = createManualSimClock(TEST_GENESIS_TIME * 1000);
  const state = createBeaconState({
    network: TEST_NETWORK,
    depositSource: deposits,
    requestSource: requests,
    genesisTime: TEST_GENESIS_TIME,
    clock,
    activationDelaySlots: 4,
    exitDelaySlots: 4,
    withdrawabilityDelayEpochs: 1,
    depositDelaySlots: 2,
  });
  const toSlot = (slot: number) => clock.set((TEST_GENESIS_TIME + slot * TEST_NETWORK.secondsPerSlot) * 1000);
  const pubkey = (i: number) => (KEYS[i] as (typeof KEYS)[number]).publicKey;
  const view = (slot: number, i: number) => state.validatorAt(slot, { index: i });
  return { state, deposits, requests, toSlot, pubkey, view };
}

const vault = bytesOf(VAULT);

describe("pending deposits and top-ups", () => {
  it("queues a 0x02 deposit of any amount, then credits it and its top-up after the delay", async () => {
    const { state, deposits, toSlot, view } = setup();
    deposits.deposit(deposit(0, 100n * ETH, 0x02));
    await state.sync();
    assert.equal(view(0, 0), undefined, "no validator before its deposit leaves the queue");
    const [pending] = state.pendingDepositsAt(0);
    assert.equal(pending?.amountGwei, 100n * ETH);
    assert.equal(pending?.withdrawalCredentials[0], 0x02);
    assert.equal(state.knownValidatorCount(), 1, "the index is taken when the deposit is seen");
    assert.equal(view(2, 0)?.balanceGwei, 100n * ETH);
    assert.equal(view(2, 0)?.effectiveBalanceGwei, 100n * ETH);
    assert.equal(state.pendingDepositsAt(2).length, 0);
    assert.equal(view(8, 0)?.status, "active_ongoing");

    toSlot(9);
    deposits.deposit({ ...deposit(0, 50n * ETH, 0x02) });
    await state.sync();
    assert.equal(state.pendingDepositsAt(9)[0]?.slot, 9);
    assert.equal(view(10, 0)?.balanceGwei, 100n * ETH);
    assert.equal(view(11, 0)?.balanceGwei, 150n * ETH);
    assert.equal(view(11, 0)?.effectiveBalanceGwei, 150n * ETH);
  });

  it("caps a 0x01 validator's effective balance at 32 ETH", async () => {
    const { state, deposits, view } = setup();
    deposits.deposit(deposit(0, 40n * ETH, 0x01));
    await state.sync();
    assert.equal(view(2, 0)?.balanceGwei, 40n * ETH);
    assert.equal(view(2, 0)?.effectiveBalanceGwei, 32n * ETH);
  });
});

describe("EIP-7002 withdrawal requests", () => {
  it("exits a validator on a full-exit request from its withdrawal address, once", async () => {
    const { state, deposits, requests, toSlot, pubkey, view } = setup();
    deposits.deposit(deposit(0, 32n * ETH, 0x01));
    await state.sync();
    toSlot(8);
    requests.withdraw({ sourceAddress: bytesOf(STRANGER), validatorPubkey: pubkey(0), amountGwei: 0n });
    requests.withdraw({ sourceAddress: vault, validatorPubkey: pubkey(0), amountGwei: 0n });
    requests.withdraw({ sourceAddress: vault, validatorPubkey: pubkey(0), amountGwei: 0n });
    const result = await state.sync();
    assert.deepEqual(
      result.requests.map((r) => r.applied),
      [false, true, false],
    );
    assert.match(result.requests[0]?.detail ?? "", /another address/);
    assert.match(result.requests[2]?.detail ?? "", /already exiting/);
    assert.equal(view(8, 0)?.status, "active_exiting");
    assert.equal(view(8, 0)?.exitEpoch, 3n);
    assert.equal(view(12, 0)?.status, "exited_unslashed");
    assert.equal(view(16, 0)?.status, "withdrawal_possible");
  });

  it("withdraws the excess above 32 ETH of a 0x02 validator through the pending queue", async () => {
    const { state, deposits, requests, toSlot, pubkey, view } = setup();
    deposits.deposit(deposit(0, 150n * ETH, 0x02));
    deposits.deposit(deposit(1, 40n * ETH, 0x01));
    await state.sync();
    toSlot(8);
    requests.withdraw({ sourceAddress: vault, validatorPubkey: pubkey(0), amountGwei: 100n * ETH });
    requests.withdraw({ sourceAddress: vault, validatorPubkey: pubkey(0), amountGwei: 100n * ETH });
    requests.withdraw({ sourceAddress: vault, validatorPubkey: pubkey(1), amountGwei: 5n * ETH });
    requests.withdraw({ sourceAddress: vault, validatorPubkey: pubkey(0), amountGwei: 0n });
    const result = await state.sync();
    assert.deepEqual(
      result.requests.map((r) => r.applied),
      [true, true, false, false],
    );
    assert.match(result.requests[2]?.detail ?? "", /no 0x02 credentials/);
    assert.match(result.requests[3]?.detail ?? "", /partial withdrawals pending/);
    // 100 ETH, then what is left above 32 ETH with 100 ETH already pending: 18 ETH.
    assert.deepEqual(
      state.pendingPartialWithdrawalsAt(8).map((w) => [w.validatorIndex, w.amountGwei, w.withdrawableEpoch]),
      [
        [0, 100n * ETH, 4],
        [0, 18n * ETH, 4],
      ],
    );
    assert.throws(
      () => state.submitVoluntaryExit({ epoch: 2n, validatorIndex: 0n, signature: new Uint8Array(96) }),
      /partial withdrawals pending/,
    );
    assert.equal(view(15, 0)?.balanceGwei, 150n * ETH);
    assert.equal(view(16, 0)?.balanceGwei, 32n * ETH);
    assert.equal(view(16, 0)?.status, "active_ongoing");
    assert.equal(state.pendingPartialWithdrawalsAt(16).length, 0);
  });
});

describe("EIP-7251 consolidation requests", () => {
  it("switches 0x01 to 0x02 when source equals target, queueing the excess", async () => {
    const { state, deposits, requests, toSlot, pubkey, view } = setup();
    deposits.deposit(deposit(0, 40n * ETH, 0x01));
    await state.sync();
    toSlot(8);
    requests.consolidate({ sourceAddress: vault, sourcePubkey: pubkey(0), targetPubkey: pubkey(0) });
    const result = await state.sync();
    assert.equal(result.requests[0]?.applied, true);
    assert.equal(view(8, 0)?.withdrawalCredentials[0], 0x02);
    assert.equal(view(8, 0)?.balanceGwei, 32n * ETH);
    const [excess] = state.pendingDepositsAt(8);
    assert.equal(excess?.amountGwei, 8n * ETH);
    assert.equal(excess?.slot, 0, "GENESIS_SLOT, as queue_excess_active_balance sets it");
    assert.equal(view(10, 0)?.balanceGwei, 40n * ETH);
    assert.equal(view(10, 0)?.effectiveBalanceGwei, 40n * ETH);
  });

  it("moves a source's balance into a 0x02 target once the source is withdrawable", async () => {
    const { state, deposits, requests, toSlot, pubkey, view } = setup();
    deposits.deposit(deposit(0, 32n * ETH, 0x01));
    deposits.deposit(deposit(1, 32n * ETH, 0x01));
    deposits.deposit(deposit(2, 64n * ETH, 0x02));
    await state.sync();
    toSlot(8);
    // Into a 0x01 target: ignored. Into the 0x02 one, from a stranger: ignored. Then the real one.
    requests.consolidate({ sourceAddress: vault, sourcePubkey: pubkey(0), targetPubkey: pubkey(1) });
    requests.consolidate({
      sourceAddress: bytesOf(STRANGER),
      sourcePubkey: pubkey(0),
      targetPubkey: pubkey(2),
    });
    requests.consolidate({ sourceAddress: vault, sourcePubkey: pubkey(0), targetPubkey: pubkey(2) });
    requests.consolidate({ sourceAddress: vault, sourcePubkey: pubkey(0), targetPubkey: pubkey(2) });
    const result = await state.sync();
    assert.deepEqual(
      result.requests.map((r) => r.applied),
      [false, false, true, false],
    );
    assert.match(result.requests[0]?.detail ?? "", /target validator 1 has no 0x02 credentials/);
    assert.match(result.requests[1]?.detail ?? "", /another address/);
    assert.match(result.requests[3]?.detail ?? "", /already exiting/);
    assert.equal(view(8, 0)?.status, "active_exiting");
    assert.deepEqual(
      state.pendingConsolidationsAt(8).map((c) => [c.sourceIndex, c.targetIndex]),
      [[0, 2]],
    );
    assert.equal(view(15, 2)?.balanceGwei, 64n * ETH);
    assert.equal(view(16, 2)?.balanceGwei, 96n * ETH);
    assert.equal(view(16, 0)?.balanceGwei, 0n);
    assert.equal(view(16, 0)?.status, "withdrawal_done");
    assert.equal(state.pendingConsolidationsAt(16).length, 0);
  });

  it("ignores requests for validators that are not active yet", async () => {
    const { state, deposits, requests, pubkey } = setup();
    deposits.deposit(deposit(0, 32n * ETH, 0x01));
    requests.consolidate({ sourceAddress: vault, sourcePubkey: pubkey(0), targetPubkey: pubkey(0) });
    const result = await state.sync();
    assert.equal(result.requests[0]?.applied, false);
    assert.match(result.requests[0]?.detail ?? "", /not a known validator/);
  });
});
