import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bytesOf,
  createManualSimClock,
  ETH,
  SLOT_MS,
  TEST_GENESIS_TIME,
  TEST_NETWORK,
  testKeys,
} from "../../../test/support/beacon-fixtures.ts";
import {
  createMemoryDepositSource,
  type MemoryDeposit,
  type MemoryDepositSource,
} from "../../../test/support/memory-deposit-source.ts";
import { buildDepositDatum } from "../../keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { type BeaconStateOptions, createBeaconState } from "./beacon-state.ts";
import type { DepositLog, DepositSource } from "./deposit-source.ts";
import { DepositFeedError } from "./errors.ts";
import { FAR_FUTURE_EPOCH } from "./validator-status.ts";

const VAULT = "0x8A94e1d22D83990205843cda08376d16F150c9bb";
const KEYS = testKeys(4);

/** A deposit as the operator makes it: deposit data from buildDepositDatum. */
function deposit(
  keyIndex: number,
  amountGwei = 32n * ETH,
  forkVersion = TEST_NETWORK.genesisForkVersion,
): MemoryDeposit {
  const key = KEYS[keyIndex];
  assert.ok(key);
  const datum = buildDepositDatum({
    secretKey: key.secretKey,
    publicKey: key.publicKey,
    withdrawalCredentials: vaultWithdrawalCredentials(VAULT),
    amountGwei: Number(amountGwei),
    genesisForkVersion: bytesOf(forkVersion),
    networkName: "devnet",
  });
  return {
    pubkey: bytesOf(datum.pubkey),
    withdrawalCredentials: bytesOf(datum.withdrawal_credentials),
    amountGwei,
    signature: bytesOf(datum.signature),
  };
}

function setup(
  overrides: Partial<BeaconStateOptions> = {},
  source: DepositSource = createMemoryDepositSource(),
) {
  const clock = createManualSimClock(TEST_GENESIS_TIME * 1000);
  const state = createBeaconState({
    network: TEST_NETWORK,
    depositSource: source,
    genesisTime: TEST_GENESIS_TIME,
    clock,
    ...overrides,
  });
  const toSlot = (slot: number) => clock.set((TEST_GENESIS_TIME + slot * TEST_NETWORK.secondsPerSlot) * 1000);
  return { state, clock, toSlot };
}

describe("beacon state: deposits", () => {
  it("derives the current slot from genesis time and the injected clock", () => {
    const { state, clock } = setup();
    assert.equal(state.currentSlot(), 0);
    clock.advance(SLOT_MS * 5 + SLOT_MS / 2);
    assert.equal(state.currentSlot(), 5);
    clock.set(0);
    assert.equal(state.currentSlot(), 0);
  });

  it("creates validators with consecutive indexes that activate after the delay", async () => {
    const source = createMemoryDepositSource();
    const { state, toSlot } = setup({}, source);
    source.deposit(deposit(0));
    source.deposit(deposit(1));
    toSlot(1);
    const result = await state.sync();
    assert.deepEqual(result.outcomes, ["created", "created"]);

    const views = state.validatorsAt(1);
    assert.deepEqual(
      views.map((v) => [v.index, v.pubkey, v.status, v.balanceGwei]),
      [
        [0, toPrefixedHex(KEYS[0]?.publicKey as Uint8Array), "pending_initialized", 32n * ETH],
        [1, toPrefixedHex(KEYS[1]?.publicKey as Uint8Array), "pending_initialized", 32n * ETH],
      ],
    );
    assert.equal(views[0]?.activationEpoch, FAR_FUTURE_EPOCH);
    assert.deepEqual(views[0]?.withdrawalCredentials, vaultWithdrawalCredentials(VAULT));
    // Not visible in the state before the slot it was processed in.
    assert.deepEqual(state.validatorsAt(0), []);

    // Eligible at the next epoch transition (epoch 1); active from the first epoch boundary at
    // or after slot 1 + activationDelaySlots (8) = slot 9 → epoch 3.
    toSlot(4);
    assert.equal(state.validatorsAt(4)[0]?.status, "pending_queued");
    assert.equal(state.validatorsAt(4)[0]?.activationEligibilityEpoch, 1n);
    assert.equal(state.validatorsAt(4)[0]?.activationEpoch, 3n);
    assert.equal(state.validatorsAt(11)[0]?.status, "pending_queued");
    assert.equal(state.validatorsAt(12)[0]?.status, "active_ongoing");
    assert.equal(state.validatorsAt(12)[1]?.status, "active_ongoing");
  });

  it("ignores a first deposit with an invalid signature, as process_deposit does", async () => {
    const source = createMemoryDepositSource();
    const { state } = setup({}, source);
    // Signed for another fork version: a valid BLS signature, but not under this chain's domain.
    source.deposit(deposit(0, 32n * ETH, "0x00000000"));
    const garbage = deposit(1);
    source.deposit({ ...garbage, signature: new Uint8Array(96) });
    const result = await state.sync();
    assert.deepEqual(result.outcomes, ["invalid-signature", "invalid-signature"]);
    assert.deepEqual(state.validatorsAt(0), []);
    assert.equal(state.depositCountAt(0), 2);

    // A later valid deposit for the same key creates the validator, with only its own amount.
    source.deposit(deposit(0));
    await state.sync();
    assert.deepEqual(
      state.validatorsAt(0).map((v) => [v.index, v.balanceGwei]),
      [[0, 32n * ETH]],
    );
  });

  it("adds a top-up to the balance without checking its signature", async () => {
    const source = createMemoryDepositSource();
    const { state, toSlot } = setup({}, source);
    source.deposit(deposit(0));
    await state.sync();
    toSlot(2);
    source.deposit({ ...deposit(0, 2n * ETH), signature: new Uint8Array(96) });
    assert.deepEqual((await state.sync()).outcomes, ["topped-up"]);
    assert.equal(state.validatorsAt(1)[0]?.balanceGwei, 32n * ETH);
    const view = state.validatorsAt(2)[0];
    assert.equal(view?.balanceGwei, 34n * ETH);
    assert.equal(view?.effectiveBalanceGwei, 32n * ETH);
  });

  it("keeps a partial deposit pending_initialized until a top-up reaches 32 ETH", async () => {
    const source = createMemoryDepositSource();
    const { state, toSlot } = setup({}, source);
    source.deposit(deposit(0, 1n * ETH));
    await state.sync();
    toSlot(40);
    assert.equal(state.validatorsAt(40)[0]?.status, "pending_initialized");
    assert.equal(state.validatorsAt(40)[0]?.effectiveBalanceGwei, 1n * ETH);
    source.deposit({ ...deposit(0, 31n * ETH), signature: new Uint8Array(96) });
    await state.sync();
    toSlot(44);
    assert.equal(state.validatorsAt(44)[0]?.status, "pending_queued");
    toSlot(52);
    assert.equal(state.validatorsAt(52)[0]?.status, "active_ongoing");
  });

  it("refuses a deposit feed with a gap in deposit indexes and changes nothing", async () => {
    const valid = deposit(0);
    const log = (index: bigint, blockNumber: bigint): DepositLog => ({
      ...valid,
      blockNumber,
      logIndex: 0,
      index,
    });
    const source: DepositSource = {
      fetchDeposits: async () => [log(0n, 1n), log(2n, 2n)],
      latestBlock: async () => ({ number: 2n, hash: `0x${"11".repeat(32)}`, timestamp: 0n }),
    };
    const { state } = setup({}, source);
    await assert.rejects(state.sync(), DepositFeedError);
    assert.equal(state.depositCountAt(0), 0);
    assert.equal(state.elOffline, false);
  });

  it("refuses logs outside the asked range", async () => {
    const log: DepositLog = { ...deposit(0), blockNumber: 99n, logIndex: 0, index: 0n };
    const source: DepositSource = {
      fetchDeposits: async () => [log],
      latestBlock: async () => ({ number: 5n, hash: `0x${"11".repeat(32)}`, timestamp: 0n }),
    };
    await assert.rejects(setup({}, source).state.sync(), /outside the requested block range/);
  });

  it("scans in ranges of logsBlockRange, from the deposit contract's block, behind the follow distance", async () => {
    const source = createMemoryDepositSource({ startBlock: 100n });
    for (let i = 0; i < 25; i++) source.mine();
    source.deposit(deposit(0)); // block 126
    const { state } = setup(
      { depositFromBlock: 100n, logsBlockRange: 10n, followDistanceBlocks: 2n },
      source,
    );
    const first = await state.sync();
    assert.equal(first.processedToBlock, 124n);
    assert.deepEqual(
      source.requests.map((r) => [r.fromBlock, r.toBlock]),
      [
        [100n, 109n],
        [110n, 119n],
        [120n, 124n],
      ],
    );
    assert.deepEqual(state.validatorsAt(0), []);
    source.mine();
    source.mine();
    await state.sync();
    assert.equal(state.validatorsAt(0).length, 1);
  });

  it("maps slots to the execution blocks followed by then; finality trails by two epochs", async () => {
    const source = createMemoryDepositSource({ startTimestamp: BigInt(TEST_GENESIS_TIME) });
    const { state, toSlot } = setup({}, source);
    assert.equal(state.executionBlockAt(0), undefined);
    await state.sync();
    const first = state.executionBlockAt(0);
    assert.equal(first?.number, 0n);
    toSlot(9);
    const mined = source.mine();
    await state.sync();
    assert.deepEqual(state.executionBlockAt(9), mined);
    assert.deepEqual(state.executionBlockAt(8), first);
    // Epoch 2 → finalized epoch 0, justified epoch 1.
    assert.deepEqual(state.namedSlots(), { head: 9, finalized: 0, justified: 4 });
    toSlot(13);
    assert.deepEqual(state.namedSlots(), { head: 13, finalized: 4, justified: 8 });
    assert.equal(state.finalityAt(13).finalized.epoch, 1);
    assert.equal(state.finalityAt(5).finalized.root, `0x${"00".repeat(32)}`);
  });

  it("refuses an execution chain that went backwards", async () => {
    const heads = [5n, 3n];
    const source: DepositSource = {
      fetchDeposits: async () => [],
      latestBlock: async () => ({ number: heads.shift() ?? 0n, hash: `0x${"22".repeat(32)}`, timestamp: 0n }),
    };
    const { state } = setup({}, source);
    await state.sync();
    await assert.rejects(state.sync(), /went backwards/);
  });

  it("shares one step between concurrent sync calls", async () => {
    const source = createMemoryDepositSource();
    source.deposit(deposit(0));
    const { state } = setup({}, source);
    const [a, b] = await Promise.all([state.sync(), state.sync()]);
    assert.equal(a, b);
    assert.equal(source.requests.length, 1);
  });
});

describe("beacon state: start loop", () => {
  it("keeps following through failures, reports el_offline, and stops on abort", async () => {
    const source: MemoryDepositSource = createMemoryDepositSource();
    const { state } = setup({}, source);
    const errors: unknown[] = [];
    const controller = new AbortController();
    source.failWith(new Error("connection refused"));
    const loop = state.start(controller.signal, {
      intervalMs: 10,
      onError: (error) => {
        errors.push(error);
        throw new Error("a throwing callback must not end the loop");
      },
    });
    await waitFor(() => errors.length >= 2);
    assert.equal(state.elOffline, true);
    source.failWith(null);
    source.deposit(deposit(0));
    await waitFor(() => state.validatorsAt(0).length === 1);
    assert.equal(state.elOffline, false);
    controller.abort();
    await loop;
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
