/**
 * `operator start` serves a version-5 vault's exit queue through EIP-7002 (issue 12, must-be-true
 * 3): a user's exit request → with the request fee above --max-withdrawal-request-fee-gwei the
 * service waits and says so; once the fee falls, one `withdrawValidators` with a partial
 * withdrawal of the 0x02 validator's excess, the fee paid; the beacon simulator queues it; no
 * second request while it is pending.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { requestFeeForExcess, WITHDRAWAL_REQUESTS } from "../../src/chain/request-fees.ts";
import { setRequestExcess, WITHDRAWAL_REQUESTS_ADDRESS } from "../../src/devnet/system-contracts.ts";
import { poll, type StartFixture, setupStart, sleep, startService } from "./start-fixture.ts";

const GWEI = 1_000_000_000n;
/** An excess whose fee (about 16 gwei) is above the cap the test passes (1 gwei). */
const HIGH_EXCESS = 400n;

async function submitted(f: StartFixture) {
  const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
  return parseEventLogs({ abi: vaultV5Abi, logs, eventName: "ValidatorWithdrawalSubmitted" }).map((l) => ({
    publicKey: l.args.publicKey.toLowerCase() as Hex,
    amountGwei: l.args.amount / GWEI,
    feePaid: l.args.feePaid,
  }));
}

describe("start serves the exit queue with EIP-7002 withdrawals", { timeout: 180_000 }, () => {
  let f: StartFixture;
  before(async () => {
    f = await setupStart({ keys: 2, devnet: { vaultVersion: 5 } });
    await rm(f.depositDataFile);
  });
  after(async () => {
    await f?.stop();
  });

  it("waits while the fee is above the cap, then withdraws the queue's 5 ETH once, fee paid", async (t) => {
    const { devnet } = f;
    await devnet.depositToVault(parseEther("100"));
    await setRequestExcess(devnet.clients.deployer, WITHDRAWAL_REQUESTS_ADDRESS, HIGH_EXCESS);
    const run = startService(
      f.startArgs(["--harvest-vault", "--max-withdrawal-request-fee-gwei", "1"]),
      f.env({ WITHDRAWALS_INTERVAL: "3" }),
    );
    try {
      await run.waitForLog((l) => l.msg === "validators registered", {
        timeoutMs: 60_000,
        what: "registration",
      });
      await devnet.beacon.sync();
      const [validator] = devnet.beacon.validatorsAt(devnet.beacon.currentSlot());
      // The vault takes exit requests into its queue once it is collateralized (its first harvest).
      await devnet.publishRewards([
        { vault: f.vault, consensusReward: 0n, unlockedMevReward: 0n, lockedMevReward: 0n },
      ]);
      await poll(
        async () =>
          (await devnet.clients.sender.readContract({
            address: devnet.protocol.keeper.address,
            abi: keeperAbi,
            functionName: "isCollateralized",
            args: [f.vault],
          }))
            ? true
            : undefined,
        { what: () => `the vault harvested\n${run.output()}` },
      );
      const shares = await devnet.clients.sender.readContract({
        address: f.vault,
        abi: vaultV5Abi,
        functionName: "convertToShares",
        args: [parseEther("5")],
      });
      const enter = await devnet.clients.depositor.writeContract({
        address: f.vault,
        abi: vaultV5Abi,
        functionName: "enterExitQueue",
        args: [shares, devnet.clients.depositor.account.address],
      });
      await devnet.clients.depositor.waitForTransactionReceipt({ hash: enter });

      const waiting = await run.waitForLog((l) => l.msg === "waiting for a lower withdrawal request fee", {
        timeoutMs: 60_000,
        what: "the fee wait",
      });
      assert.match(String(waiting.reason), /above --max-withdrawal-request-fee-gwei 1; withdrawals wait/);
      assert.deepEqual(await submitted(f), []);

      await setRequestExcess(devnet.clients.deployer, WITHDRAWAL_REQUESTS_ADDRESS, 0n);
      const done = await run.waitForLog((l) => l.msg === "withdrawals submitted", {
        timeoutMs: 30_000,
        what: "the withdrawal",
      });
      t.diagnostic(JSON.stringify(done));
      // Two more WITHDRAWALS_INTERVALs: the pending partial withdrawal covers the queue.
      await sleep(7_000);
      const events = await submitted(f);
      assert.equal(events.length, 1, run.output());
      assert.equal(events[0]?.publicKey, validator?.pubkey.toLowerCase());
      // The queue misses 5 ETH (rounded up to the gwei); the validator's excess covers it.
      assert.ok(
        events[0] && events[0].amountGwei >= 5n * GWEI && events[0].amountGwei <= 5n * GWEI + 1n,
        String(events[0]?.amountGwei),
      );
      assert.equal(events[0]?.feePaid, requestFeeForExcess(WITHDRAWAL_REQUESTS, 0n));

      await devnet.beacon.sync();
      const pending = devnet.beacon
        .pendingPartialWithdrawalsAt(devnet.beacon.currentSlot())
        .filter((w) => w.validatorIndex === validator?.index);
      assert.equal(pending.length, 1, "the beacon queued the partial withdrawal");
    } finally {
      const exit = await run.stop();
      assert.equal(exit.code, 0, run.output());
    }
  });
});
