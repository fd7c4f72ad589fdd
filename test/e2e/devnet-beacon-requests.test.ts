/**
 * The devnet's beacon simulator follows the whole Pectra path on a real chain: a 0x02 deposit of
 * 40 ETH and a top-up to the deposit contract, then EIP-7002 requests sent to the devnet's request
 * contract by the validator's withdrawal address: a partial withdrawal (only the excess above
 * 32 ETH), then a full exit. The deposits are made by a plain account, so the account is the
 * withdrawal address the requests must come from.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import type { Hex } from "viem";
import { depositContractAbi } from "../../src/chain/abi/deposit-contract.ts";
import type { ValidatorView } from "../../src/devnet/beacon/validator-status.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { WITHDRAWAL_REQUESTS_ADDRESS } from "../../src/devnet/system-contracts.ts";
import { buildDepositDatum } from "../../src/keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";
import { testKeys } from "../support/beacon-fixtures.ts";

const GWEI = 1_000_000_000n;
/** Deposit data JSON writes hex without the 0x the contract call wants. */
const hex = (value: string): Hex => toPrefixedHex(parseHex(value) as Uint8Array);

describe("devnet beacon: deposits, top-ups and EIP-7002 requests end to end", () => {
  let devnet: Devnet;
  const [key] = testKeys(1);
  assert.ok(key);
  const pubkey = toPrefixedHex(key.publicKey);

  before(async () => {
    devnet = await startDevnet({
      blockTime: "automine",
      slotsPerEpoch: 2,
      activationDelaySlots: 0,
      depositDelaySlots: 1,
      withdrawabilityDelayEpochs: 1,
    });
  });
  after(async () => {
    await devnet?.stop();
  });

  const depositor = () => devnet.clients.sender;
  const deposit = async (amountGwei: bigint) => {
    const datum = buildDepositDatum({
      secretKey: key.secretKey,
      publicKey: key.publicKey,
      withdrawalCredentials: vaultWithdrawalCredentials(depositor().account.address, 0x02),
      amountGwei: Number(amountGwei),
      genesisForkVersion: parseHex(devnet.network.genesisForkVersion) as Uint8Array,
      networkName: "devnet",
    });
    const hash = await depositor().writeContract({
      address: devnet.network.depositContract.address,
      abi: depositContractAbi,
      functionName: "deposit",
      args: [pubkey, hex(datum.withdrawal_credentials), hex(datum.signature), hex(datum.deposit_data_root)],
      value: amountGwei * GWEI,
    });
    await depositor().waitForTransactionReceipt({ hash });
  };
  const request = async (amountGwei: bigint) => {
    const amount = amountGwei.toString(16).padStart(16, "0");
    const hash = await depositor().sendTransaction({
      to: WITHDRAWAL_REQUESTS_ADDRESS,
      data: `${pubkey}${amount}` as Hex,
      value: 1n,
    });
    await depositor().waitForTransactionReceipt({ hash });
  };
  const waitFor = async (what: string, ok: (view: ValidatorView | undefined) => boolean) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await devnet.beacon.sync();
      const view = devnet.beacon.validatorAt(devnet.beacon.currentSlot(), { pubkey });
      if (ok(view)) return view as ValidatorView;
      if (Date.now() > deadline)
        assert.fail(`timed out waiting for ${what}: ${JSON.stringify(view?.status)}`);
      await delay(200);
    }
  };

  it("credits a 0x02 deposit and its top-up, withdraws only the excess, then exits", async () => {
    await deposit(40n * GWEI);
    await devnet.beacon.sync();
    assert.equal(devnet.beacon.knownValidatorCount(), 1);
    const active = await waitFor("activation", (v) => v?.status === "active_ongoing");
    assert.equal(active.withdrawalCredentials[0], 0x02);

    await deposit(10n * GWEI);
    const toppedUp = await waitFor("the top-up", (v) => v?.balanceGwei === 50n * GWEI);
    assert.equal(toppedUp.effectiveBalanceGwei, 50n * GWEI);

    await request(100n * GWEI);
    await waitFor("the partial withdrawal", (v) => v?.balanceGwei === 32n * GWEI);
    await request(0n);
    const exiting = await waitFor(
      "the exit",
      (v) => v?.status === "active_exiting" || v?.status === "exited_unslashed",
    );
    assert.notEqual(exiting.exitEpoch, 2n ** 64n - 1n);
  });
});
