/**
 * Crash safety of `operator consolidate` (issue 12, must-be-true 5): the command is killed with
 * SIGKILL right after it broadcast a 0x01 → 0x02 switch, with mining paused so the transaction
 * sits in the mempool. A re-run then refuses (a transaction of the wallet is not mined yet) and
 * sends nothing; once it is mined and the beacon chain applied it, a re-run refuses again (the
 * validator already has 0x02 credentials). One ValidatorConsolidationSubmitted in all.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { type CliResult, runCli, startCli, TEST_MNEMONIC } from "../support/cli.ts";
import { publicKeyHexOf } from "../support/e2e.ts";
import { setMining } from "./crash-support.ts";
import { poll, type StartFixture, setupStart, startService } from "./start-fixture.ts";

const key = `0x${publicKeyHexOf(TEST_MNEMONIC, 0).replace(/^0x/, "")}`.toLowerCase() as Hex;

describe("consolidate killed with its transaction in the mempool", { timeout: 180_000 }, () => {
  let f: StartFixture;

  const view = async () => {
    await f.devnet.beacon.sync();
    return f.devnet.beacon.validatorAt(f.devnet.beacon.currentSlot(), { pubkey: key });
  };
  const submitted = async () => {
    const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
    return parseEventLogs({ abi: vaultV5Abi, logs, eventName: "ValidatorConsolidationSubmitted" }).length;
  };
  const args = () => [
    "consolidate",
    "--vault",
    f.vault,
    "--data-dir",
    f.dataDir,
    "--execution-endpoints",
    f.devnet.executionUrl,
    "--consensus-endpoints",
    f.devnet.consensusUrl,
    "--source-public-keys",
    key,
    "--target-public-key",
    key,
    "--no-confirm",
  ];
  const assertRefused = (result: CliResult, pattern: RegExp) => {
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? "", pattern);
  };

  before(async () => {
    f = await setupStart({
      keys: 1,
      devnet: { vaultVersion: 5, slotsPerEpoch: 2, activationDelaySlots: 2, withdrawabilityDelayEpochs: 1 },
    });
    await rm(f.depositDataFile);
    await f.devnet.depositToVault(parseEther("32"));
    const run = startService(f.startArgs(["--validator-type", "0x01"]), f.env());
    try {
      await run.waitForLog((l) => l.msg === "validators registered", {
        timeoutMs: 90_000,
        what: "registration",
      });
    } finally {
      const exit = await run.stop();
      assert.equal(exit.code, 0, run.output());
    }
    await poll(async () => ((await view())?.status === "active_ongoing" ? true : undefined), {
      what: "the validator active",
    });
  });
  after(async () => {
    await setMining(f, true).catch(() => {});
    await f?.stop();
  });

  it("refuses a re-run while the killed run's switch is unmined, and after it is applied", async () => {
    const nonce = await f.nonce("latest");
    await setMining(f, false);
    const child = startCli(args(), { env: {} });
    child.stdin?.end();
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise((r) => child.on("close", r));
    try {
      await poll(async () => ((await f.nonce("pending")) > nonce ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 20,
        what: () => `the switch in the mempool\n${output}`,
      });
    } finally {
      child.kill("SIGKILL");
      await exited;
    }

    // Mining still paused: the beacon state cannot show the switch, the wallet's nonce can.
    assertRefused(await runCli(args()), /transaction\(s\) not mined yet.*run consolidate again/);
    assert.equal(await f.nonce("pending"), nonce + 1, "nothing more sent");

    await setMining(f, true);
    await poll(async () => ((await submitted()) === 1 ? true : undefined), { what: "the switch mined" });
    await poll(async () => ((await view())?.withdrawalCredentials[0] === 0x02 ? true : undefined), {
      what: "the switch applied",
    });
    assertRefused(await runCli(args()), /already has 0x02 credentials: there is nothing to switch/);
    assert.equal(await submitted(), 1);
    assert.equal(await f.nonce("pending"), nonce + 1);
  });
});
