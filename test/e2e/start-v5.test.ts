/**
 * `operator start` on a version-5 devnet vault whose validators manager is the hot wallet (issue
 * 12, must-be-true 1): no deposit data file; 100 ETH → one 0x02 validator of 100 ETH; with
 * --validator-type 0x01, 96 ETH → three 0x01 validators of 32 ETH. Each registration's exit
 * signature, reassembled by the oracles from their shares, verifies under the Capella domain.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { scanDepositEvents } from "../../src/chain/deposit-events.ts";
import { exitSigningRoot } from "../../src/crypto/exit-message.ts";
import { parseHex } from "../../src/lib/hex.ts";
import { runCli, TEST_MNEMONIC } from "../support/cli.ts";
import { publicKeyHexOf } from "../support/e2e.ts";
import { type StartFixture, setupStart, startService, storedExitSignatures } from "./start-fixture.ts";

const GWEI = 1_000_000_000n;

async function registered(
  f: StartFixture,
): Promise<Array<{ publicKey: Hex; amountGwei: bigint | undefined }>> {
  const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
  const found: Array<{ publicKey: Hex; amountGwei: bigint | undefined }> = [];
  for (const log of parseEventLogs({ abi: vaultV5Abi, logs })) {
    if (log.eventName === "V2ValidatorRegistered") {
      found.push({ publicKey: log.args.publicKey, amountGwei: log.args.amount / GWEI });
    } else if (log.eventName === "ValidatorRegistered") {
      found.push({ publicKey: log.args.publicKey, amountGwei: undefined });
    }
  }
  return found;
}

async function assertExitSignaturesVerify(f: StartFixture, pubkeys: readonly Hex[]): Promise<void> {
  for (const pubkey of pubkeys) {
    const { index, signatures } = await storedExitSignatures(f, pubkey.toLowerCase() as Hex);
    assert.ok(index >= 0, `${pubkey} is on the beacon chain`);
    assert.ok(signatures.length > 0, `the oracles hold the exit signature of ${pubkey}`);
    for (const signature of signatures) {
      assert.ok(
        verify(
          exitSigningRoot(f.devnet.network, index),
          PublicKey.fromBytes(parseHex(pubkey, 48) as Uint8Array, true),
          Signature.fromBytes(signature, true),
        ),
        `the reassembled exit signature of validator ${index} verifies under the Capella domain`,
      );
    }
  }
}

const keyOf = (i: number) => `0x${publicKeyHexOf(TEST_MNEMONIC, i).replace(/^0x/, "")}`.toLowerCase();

describe("start on a version-5 vault whose validators manager is the wallet", { timeout: 300_000 }, () => {
  let f: StartFixture;
  before(async () => {
    f = await setupStart({ keys: 4, devnet: { vaultVersion: 5 } });
    // No deposit data file: this flow makes deposit data on the fly from the keystores.
    await rm(f.depositDataFile);
  });
  after(async () => {
    await f?.stop();
  });

  it("registers one 0x02 validator of 100 ETH for 100 ETH, with its exit signature shared", async () => {
    await f.devnet.depositToVault(parseEther("100"));
    const run = startService(f.startArgs(), f.env());
    try {
      const chosen = await run.waitForLog((l) => l.msg === "vault flow chosen", { what: "the flow line" });
      assert.equal(chosen.flow, "validators-manager");
      assert.equal(chosen.version, 5);
      await run.waitForLog((l) => l.msg === "validators registered", {
        timeoutMs: 90_000,
        what: "the registration",
      });
    } finally {
      const exit = await run.stop();
      assert.equal(exit.code, 0, run.output());
    }
    const done = await registered(f);
    // Everything the vault holds goes in: the 100 ETH and the vault's 1 gwei security deposit.
    assert.deepEqual(done, [{ publicKey: keyOf(0), amountGwei: 100_000_000_001n }]);
    const deposits = await scanDepositEvents({
      client: f.devnet.clients.sender,
      depositContract: f.devnet.network.depositContract.address,
      fromBlock: 0n,
      toBlock: await f.devnet.clients.sender.getBlockNumber(),
    });
    const mine = deposits.filter((d) => d.pubkey.toLowerCase() === keyOf(0));
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.amountGwei, 100_000_000_001n);
    assert.match(
      mine[0]?.withdrawalCredentials ?? "",
      new RegExp(`^0x02${"0".repeat(22)}${f.vault.slice(2)}$`, "i"),
    );
    await assertExitSignaturesVerify(f, [keyOf(0) as Hex]);
  });

  it("with --validator-type 0x01 registers three 0x01 validators for 96 ETH", async () => {
    await f.devnet.depositToVault(parseEther("96"));
    const run = startService(f.startArgs(["--validator-type", "0x01"]), f.env());
    try {
      await poll(async () => ((await registered(f)).length >= 4 ? true : undefined), run);
      await new Promise((r) => setTimeout(r, 3_000));
    } finally {
      const exit = await run.stop();
      assert.equal(exit.code, 0, run.output());
    }
    const done = await registered(f);
    assert.deepEqual(
      done.slice(1),
      [1, 2, 3].map((i) => ({ publicKey: keyOf(i), amountGwei: undefined })),
    );
    await assertExitSignaturesVerify(
      f,
      [1, 2, 3].map((i) => keyOf(i) as Hex),
    );
  });

  it("refuses in one line a vault whose validators manager is neither the wallet nor the registry", async () => {
    const other = f.devnet.accounts.sender.address;
    await f.devnet.setValidatorsManager(other);
    try {
      const result = await runCli(f.startArgs(), { env: f.env() });
      assert.notEqual(result.code, 0);
      const lines = result.stderr.trim().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0] as string, /^Error: /);
      assert.match(lines[0] as string, new RegExp(other, "i"));
      assert.match(lines[0] as string, /setValidatorsManager/);
    } finally {
      await f.devnet.setValidatorsManager(f.wallet);
    }
  });
});

async function poll(
  check: () => Promise<true | undefined>,
  run: ReturnType<typeof startService>,
): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `registered in time\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
