/**
 * `operator start` tops up an existing 0x02 validator (issue 12, must-be-true 1, second half): a
 * version-5 devnet vault whose validators manager is the hot wallet; 100 ETH → one 0x02 validator;
 * 50 ETH more → while the validator's registration is younger than --min-deposit-delay the top-up
 * waits (and registration does not take its 50 ETH for a new validator); then it is topped up to
 * 150 ETH with one fundValidators call, and the beacon simulator's balance shows it.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { topUpGasFloor } from "../../src/operator/funding/top-up-task.ts";
import { TEST_MNEMONIC } from "../support/cli.ts";
import { publicKeyHexOf } from "../support/e2e.ts";
import { poll, type StartFixture, setupStart, startService } from "./start-fixture.ts";

const GWEI = 1_000_000_000n;
/** Long enough to see the guard hold after the registration, short enough for the test. */
const DELAY_SECONDS = 20;

const keyOf = (i: number) => `0x${publicKeyHexOf(TEST_MNEMONIC, i).replace(/^0x/, "")}`.toLowerCase() as Hex;

async function vaultEvents(f: StartFixture) {
  const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
  const events = parseEventLogs({ abi: vaultV5Abi, logs });
  return {
    registered: events.flatMap((e) =>
      e.eventName === "V2ValidatorRegistered"
        ? [{ publicKey: e.args.publicKey, amountGwei: e.args.amount / GWEI }]
        : [],
    ),
    funded: events.flatMap((e) =>
      e.eventName === "ValidatorFunded"
        ? [{ publicKey: e.args.publicKey, amountGwei: e.args.amount / GWEI }]
        : [],
    ),
  };
}

async function beaconBalanceGwei(f: StartFixture, publicKey: Hex): Promise<bigint | undefined> {
  await f.devnet.beacon.sync();
  return f.devnet.beacon
    .validatorsAt(f.devnet.beacon.currentSlot())
    .find((v) => v.pubkey.toLowerCase() === publicKey)?.balanceGwei;
}

describe("start tops up a 0x02 validator of a version-5 vault", { timeout: 240_000 }, () => {
  let f: StartFixture;
  before(async () => {
    f = await setupStart({ keys: 2, devnet: { vaultVersion: 5 } });
    await rm(f.depositDataFile);
  });
  after(async () => {
    await f?.stop();
  });

  it("registers 100 ETH, holds the 50 ETH top-up for the delay, then tops the validator up to 150 ETH", async () => {
    await f.devnet.depositToVault(parseEther("100"));
    const run = startService(f.startArgs(["--min-deposit-delay", String(DELAY_SECONDS)]), f.env());
    try {
      await run.waitForLog((l) => l.msg === "validators registered", {
        timeoutMs: 90_000,
        what: "the registration",
      });
      await f.devnet.depositToVault(parseEther("50"));
      const held = await run.waitForLog(
        (l) => l.msg === "waiting for the deposit delay" && l.task === "top-up",
        {
          timeoutMs: 30_000,
          what: "the top-up held by the deposit delay",
        },
      );
      assert.match(String(held.reason), /--min-deposit-delay/);
      const topped = await run.waitForLog((l) => l.msg === "validators topped up", {
        timeoutMs: 60_000,
        what: "the top-up",
      });
      assert.equal(topped.count, 1);
      assert.deepEqual(topped.amountsGwei, ["50000000000"]);
      const receipt = await f.devnet.clients.sender.getTransactionReceipt({ hash: topped.txHash as Hex });
      // The funds check before the call is built counts gas from below.
      assert.ok(receipt.gasUsed >= topUpGasFloor(1), `gas used ${receipt.gasUsed}`);
      console.log(`# top-up of one validator used ${receipt.gasUsed} gas`);
      // A few slots more: nothing else is funded or registered with what is left (nothing).
      await new Promise((r) => setTimeout(r, 3_000));
    } finally {
      const exit = await run.stop();
      assert.equal(exit.code, 0, run.output());
    }

    const { registered, funded } = await vaultEvents(f);
    // The vault's 1 gwei security deposit went in with the first 100 ETH.
    assert.deepEqual(
      registered.map((r) => ({ publicKey: r.publicKey.toLowerCase(), amountGwei: r.amountGwei })),
      [{ publicKey: keyOf(0), amountGwei: 100_000_000_001n }],
      "no second validator took the top-up's 50 ETH",
    );
    assert.deepEqual(
      funded.map((r) => ({ publicKey: r.publicKey.toLowerCase(), amountGwei: r.amountGwei })),
      [{ publicKey: keyOf(0), amountGwei: 50_000_000_000n }],
    );
    const balance = await poll(
      async () => {
        const gwei = await beaconBalanceGwei(f, keyOf(0));
        return gwei === 150_000_000_001n ? gwei : undefined;
      },
      { timeoutMs: 30_000, what: "the beacon balance of 150 ETH" },
    );
    assert.equal(balance, 150_000_000_001n);
  });
});
