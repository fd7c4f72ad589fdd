import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  bytesOf,
  createManualSimClock,
  ETH,
  TEST_GENESIS_TIME,
  TEST_NETWORK,
  testKeys,
} from "../../../test/support/beacon-fixtures.ts";
import { createMemoryDepositSource } from "../../../test/support/memory-deposit-source.ts";
import { createMemoryRequestSource } from "../../../test/support/memory-request-source.ts";
import { buildDepositDatum } from "../../keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { createBeaconState } from "./beacon-state.ts";
import { type BeaconServer, startBeaconServer } from "./server.ts";

const VAULT = "0x8A94e1d22D83990205843cda08376d16F150c9bb";
const [KEY_A, KEY_B] = testKeys(2);

function deposit(key: NonNullable<typeof KEY_A>, amountGwei: bigint) {
  const datum = buildDepositDatum({
    secretKey: key.secretKey,
    publicKey: key.publicKey,
    withdrawalCredentials: vaultWithdrawalCredentials(VAULT, 0x02),
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

describe("pending queue routes", () => {
  assert.ok(KEY_A && KEY_B);
  const clock = createManualSimClock(TEST_GENESIS_TIME * 1000);
  const deposits = createMemoryDepositSource();
  const requests = createMemoryRequestSource(deposits.mine);
  const state = createBeaconState({
    network: TEST_NETWORK,
    depositSource: deposits,
    requestSource: requests,
    genesisTime: TEST_GENESIS_TIME,
    clock,
    activationDelaySlots: 4,
    exitDelaySlots: 4,
    withdrawabilityDelayEpochs: 1,
    depositDelaySlots: 3,
  });
  const toSlot = (slot: number) => clock.set((TEST_GENESIS_TIME + slot * TEST_NETWORK.secondsPerSlot) * 1000);
  let server: BeaconServer;
  // biome-ignore lint/suspicious/noExplicitAny: the assertions check every value they read
  const get = async (path: string): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, body: await response.json() };
  };

  before(async () => {
    server = await startBeaconServer({ state });
  });
  after(() => server.close());

  it("serves pending deposits with string numbers, and each validator's balance", async () => {
    deposits.deposit(deposit(KEY_A, 100n * ETH));
    await state.sync();
    const pending = await get("/eth/v1/beacon/states/head/pending_deposits");
    assert.equal(pending.status, 200);
    assert.equal(pending.body.version, "electra");
    assert.deepEqual(pending.body.data, [
      {
        pubkey: toPrefixedHex(KEY_A.publicKey),
        withdrawal_credentials: toPrefixedHex(vaultWithdrawalCredentials(VAULT, 0x02)),
        amount: "100000000000",
        signature: pending.body.data[0].signature,
        slot: "0",
      },
    ]);
    assert.match(pending.body.data[0].signature, /^0x[0-9a-f]{192}$/);
    assert.equal((await get("/eth/v1/beacon/states/head/validators/0")).status, 404);

    toSlot(3);
    assert.deepEqual((await get("/eth/v1/beacon/states/head/pending_deposits")).body.data, []);
    const validator = await get("/eth/v1/beacon/states/head/validators/0");
    assert.equal(validator.body.data.balance, "100000000000");
    assert.equal(validator.body.data.validator.effective_balance, "100000000000");
    assert.equal(validator.body.data.validator.withdrawal_credentials.slice(0, 4), "0x02");
  });

  it("serves pending partial withdrawals and consolidations", async () => {
    deposits.deposit(deposit(KEY_B, 64n * ETH));
    await state.sync();
    toSlot(12);
    const vault = bytesOf(VAULT);
    requests.withdraw({ sourceAddress: vault, validatorPubkey: KEY_B.publicKey, amountGwei: 2n * ETH });
    requests.consolidate({
      sourceAddress: vault,
      sourcePubkey: KEY_A.publicKey,
      targetPubkey: KEY_B.publicKey,
    });
    const result = await state.sync();
    assert.deepEqual(
      result.requests.map((r) => r.applied),
      [true, true],
    );
    const withdrawals = await get("/eth/v1/beacon/states/head/pending_partial_withdrawals");
    // Requested at slot 12 (epoch 3): exit epoch max(4, ceil(16 / 4)) = 4, withdrawable 1 epoch later.
    assert.deepEqual(withdrawals.body.data, [
      { validator_index: "1", amount: "2000000000", withdrawable_epoch: "5" },
    ]);
    const consolidations = await get("/eth/v1/beacon/states/head/pending_consolidations");
    assert.deepEqual(consolidations.body.data, [{ source_index: "0", target_index: "1" }]);
    const earlier = await get("/eth/v1/beacon/states/11/pending_consolidations");
    assert.deepEqual(earlier.body.data, []);
  });
});
