/**
 * `operator start` against the devnet, as a user runs it: a data dir made by init/create-keys/
 * create-wallet, the deposit data root set on the vault, 96 ETH deposited → exactly three
 * validators registered in deposit-data order, their exit signatures recoverable by the oracles.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { exitSigningRoot } from "../../src/crypto/exit-message.ts";
import { deriveOracleKeys } from "../../src/devnet/accounts.ts";
import type { Devnet } from "../../src/devnet/devnet.ts";
import { parseHex } from "../../src/lib/hex.ts";
import { collect, runCli, startCli, TEST_MNEMONIC } from "../support/cli.ts";
import { assertNoSecrets, publicKeyHexOf, secretKeyHexOf } from "../support/e2e.ts";
import { type StartFixture, setupStart } from "./start-fixture.ts";

describe("operator start on the devnet", () => {
  let f: StartFixture;
  let devnet: Devnet;
  let dataDir: string;
  let vault: Hex;

  before(async () => {
    f = await setupStart({ keys: 4 });
    ({ devnet, dataDir, vault } = f);
  });
  after(async () => {
    await f?.stop();
  });

  const startArgs = () => f.startArgs();
  const env = () => f.env();
  const vaultIndex = () => f.vaultIndex();

  it("refuses to start against endpoints of another network, with one clear line", async () => {
    const result = await runCli([...startArgs(), "--network", "hoodi"], { env: env() });
    assert.equal(result.code, 1);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] as string, /^Error: /);
  });

  it("stops quietly when its stdout is a closed pipe (exit 141, nothing on stderr)", async () => {
    const child = startCli(startArgs(), { env: env() });
    // `operator start | head -1`, the reader gone: the first log line fails with EPIPE.
    child.stdout?.destroy();
    const result = await collect(child, { timeoutMs: 60_000 });
    assert.equal(result.stderr, "");
    assert.equal(result.code, 141);
  });

  it("registers exactly three validators for 96 ETH, in deposit-data order", async () => {
    await devnet.depositToVault(parseEther("96"));
    const child = startCli(startArgs(), { env: env() });
    const done = collect(child, { timeoutMs: 120_000 });
    const deadline = Date.now() + 90_000;
    while ((await vaultIndex()) < 3) {
      assert.ok(Date.now() < deadline, "three validators registered in time");
      await new Promise((r) => setTimeout(r, 500));
    }
    // A few more slots: nothing more is registered (the fourth key has no funds).
    await new Promise((r) => setTimeout(r, 3_000));
    child.kill("SIGTERM");
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await vaultIndex(), 3);

    await devnet.beacon.sync();
    const onBeacon = devnet.beacon.validatorsAt(devnet.beacon.currentSlot()).map((v) => v.pubkey);
    assert.deepEqual(
      onBeacon,
      [0, 1, 2].map((i) => `0x${publicKeyHexOf(TEST_MNEMONIC, i).replace(/^0x/, "")}`),
    );

    const logs = await devnet.clients.sender.getContractEvents({
      address: devnet.protocol.keeper.address,
      abi: keeperAbi,
      eventName: "ValidatorsApproval",
      fromBlock: 0n,
    });
    const hashes = parseEventLogs({ abi: keeperAbi, logs, eventName: "ValidatorsApproval" }).map(
      (l) => l.args.exitSignaturesIpfsHash,
    );
    for (const [index, pubkey] of onBeacon.entries()) {
      const hash = hashes.find((h) => {
        try {
          devnet.committee.reconstructExitSignature(h, pubkey);
          return true;
        } catch {
          return false;
        }
      });
      assert.ok(hash, `exit signature of validator ${index} stored`);
      const signature = devnet.committee.reconstructExitSignature(hash, pubkey);
      assert.ok(
        verify(
          exitSigningRoot(devnet.network, index),
          PublicKey.fromBytes(parseHex(pubkey, 48) as Uint8Array, true),
          Signature.fromBytes(signature, true),
        ),
        `validator ${index}: the reassembled exit signature verifies under the Capella domain`,
      );
    }
    assert.match(result.stdout, /validators registered/);
    const password = readFileSync(join(dataDir, vault.toLowerCase(), "keystores", "password.txt"), "utf8");
    const walletPassword = readFileSync(join(dataDir, vault.toLowerCase(), "wallet", "password.txt"), "utf8");
    assertNoSecrets(`${result.stdout}\n${result.stderr}`, {
      mnemonic: TEST_MNEMONIC,
      passwords: [password, walletPassword],
      secretKeysHex: [0, 1, 2, 3].map((i) => secretKeyHexOf(TEST_MNEMONIC, i)),
    });
    assert.ok((await readdir(join(dataDir, vault.toLowerCase()))).includes("operator.db"));
  });

  it("re-shares outdated exit signatures after an oracle-set change, and harvests with --harvest-vault", async () => {
    await devnet.replaceOracles(deriveOracleKeys({ count: 3, seed: "start test rotated oracles" }));
    const escrow = await devnet.clients.depositor.sendTransaction({
      to: devnet.protocol.sharedMevEscrow.address,
      value: parseEther("1"),
    });
    await devnet.clients.depositor.waitForTransactionReceipt({ hash: escrow });
    await devnet.publishRewards([
      {
        vault,
        consensusReward: parseEther("0.2"),
        unlockedMevReward: parseEther("0.1"),
        lockedMevReward: 0n,
      },
    ]);
    const child = startCli([...startArgs(), "--harvest-vault"], { env: env() });
    const done = collect(child, { timeoutMs: 120_000 });
    const keeperRead = (functionName: "canHarvest") =>
      devnet.clients.sender.readContract({
        address: devnet.protocol.keeper.address,
        abi: keeperAbi,
        functionName,
        args: [vault],
      });
    const deadline = Date.now() + 60_000;
    let rotated = false;
    let harvested = false;
    while (!(rotated && harvested)) {
      assert.ok(Date.now() < deadline, `rotated ${rotated}, harvested ${harvested}`);
      await new Promise((r) => setTimeout(r, 500));
      const outdated = await fetch(`${devnet.committee.oracles[0]?.server.url}/signatures/${vault}`);
      rotated = ((await outdated.json()) as { validators: unknown[] }).validators.length === 0;
      harvested = !(await keeperRead("canHarvest"));
    }
    child.kill("SIGINT");
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /exit signatures updated/);
  });
});
