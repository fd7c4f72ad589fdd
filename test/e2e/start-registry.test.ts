/**
 * `operator start` on a version-5 devnet vault whose validators manager is the DepositDataRegistry
 * (issue 12, must-be-true 2; spec §3, §5.3 v2.0.0–v3.x): the deposit data file's root set in the
 * registry with `set-deposit-data-root --send` → validators registered through the registry in
 * deposit-data order; with a rewards update published, the harvest goes in the same transaction;
 * a root that does not match → one line at startup and a non-zero exit.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { depositDataRegistryAbi } from "../../src/chain/abi/deposit-data-registry.ts";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { runCli } from "../support/cli.ts";
import { assertCleanError } from "../support/e2e.ts";
import { depositDataPubkeys, type StartFixture, setupStart, startService } from "./start-fixture.ts";

describe("start on a version-5 vault whose validators manager is the DepositDataRegistry", {
  timeout: 300_000,
}, () => {
  let f: StartFixture;
  let registry: `0x${string}`;
  let fileKeys: Hex[];
  const registryRead = (functionName: "depositDataIndexes" | "depositDataRoots") =>
    f.devnet.clients.sender.readContract({
      address: registry,
      abi: depositDataRegistryAbi,
      functionName,
      args: [f.vault],
    });
  /** The vault's ValidatorRegistered keys, in chain order, with the transaction of each. */
  const registered = async () => {
    const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
    return parseEventLogs({ abi: vaultV5Abi, logs, eventName: "ValidatorRegistered" }).map((l) => ({
      publicKey: l.args.publicKey.toLowerCase() as Hex,
      tx: l.transactionHash,
    }));
  };
  /** Runs the service until `count` validators are registered, then stops it (exit 0). */
  const runUntil = async (count: number) => {
    const run = startService(f.startArgs(), f.env());
    try {
      const chosen = await run.waitForLog((l) => l.msg === "vault flow chosen", { what: "the flow line" });
      assert.equal(chosen.flow, "deposit-data-registry");
      const deadline = Date.now() + 90_000;
      while ((await registered()).length < count) {
        assert.ok(Date.now() < deadline, `registered in time\n${run.output()}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      const exit = await run.stop();
      assert.equal(exit.code, 0, run.output());
    }
  };

  before(async () => {
    f = await setupStart({ keys: 3, devnet: { vaultVersion: 5 } });
    registry = f.devnet.protocol.depositDataRegistry.address;
    fileKeys = await depositDataPubkeys(f.depositDataFile);
    await f.devnet.setValidatorsManager(registry);
  });
  after(async () => {
    await f?.stop();
  });

  it("refuses at startup, in one line naming set-deposit-data-root, while the registry holds another root", async () => {
    const result = await runCli(f.startArgs(), { env: f.env(), timeoutMs: 60_000 });
    assertCleanError(
      result,
      /the deposit data file's root 0x[0-9a-f]{64} is not the vault's root 0x0{64} in the DepositDataRegistry/,
      /set-deposit-data-root/,
    );
    assert.equal(result.code, 1);
    assert.equal(await f.nonce("pending"), 0, "no transaction sent");
  });

  it("set-deposit-data-root prints the call; --send refuses a wallet that is not the deposit-data manager, then sets the root", async () => {
    const base = ["set-deposit-data-root", "--vault", f.vault, "--data-dir", f.dataDir];
    const printed = await runCli(base);
    assert.equal(printed.code, 0, printed.stderr);
    const root = /root: (0x[0-9a-f]{64})/.exec(printed.stdout)?.[1];
    assert.ok(root, printed.stdout);
    assert.match(printed.stdout, new RegExp(`DepositDataRegistry: ${registry}`));
    assert.match(
      printed.stdout,
      /Call data of setDepositDataRoot\(0x[0-9a-fA-F]{40}, 0x[0-9a-f]{64}\): 0x[0-9a-f]+/,
    );
    const send = [...base, "--send", "--execution-endpoints", f.devnet.executionUrl];
    // The deposit-data manager is the vault admin until it names another: the wallet is refused.
    assertCleanError(
      await runCli(send),
      new RegExp(`the wallet ${f.wallet} is not the deposit-data manager of`, "i"),
      /setDepositDataManager/,
    );
    const hash = await f.devnet.clients.admin.writeContract({
      address: registry,
      abi: depositDataRegistryAbi,
      functionName: "setDepositDataManager",
      args: [f.vault, f.wallet],
    });
    await f.devnet.clients.admin.waitForTransactionReceipt({ hash });
    const sent = await runCli(send);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(await registryRead("depositDataRoots"), root);
    assert.equal(await registryRead("depositDataIndexes"), 0n);
  });

  it("registers 64 ETH as two validators through the registry, in deposit data order", async () => {
    await f.devnet.depositToVault(parseEther("64"));
    await runUntil(2);
    const done = await registered();
    assert.deepEqual(
      done.map((d) => d.publicKey),
      fileKeys.slice(0, 2),
    );
    assert.equal(done[0]?.tx, done[1]?.tx, "both in one registerValidators with the multiproof");
    assert.equal(await registryRead("depositDataIndexes"), 2n);
  });

  it("harvests in the same transaction as the next registration when a rewards update is due", async () => {
    await f.devnet.publishRewards([
      { vault: f.vault, consensusReward: parseEther("0.1"), unlockedMevReward: 0n, lockedMevReward: 0n },
    ]);
    const canHarvest = () =>
      f.devnet.clients.sender.readContract({
        address: f.devnet.protocol.keeper.address,
        abi: keeperAbi,
        functionName: "canHarvest",
        args: [f.vault],
      });
    assert.equal(await canHarvest(), true);
    await f.devnet.depositToVault(parseEther("32"));
    await runUntil(3);
    const third = (await registered())[2];
    assert.equal(third?.publicKey, fileKeys[2]);
    const receipt = await f.devnet.clients.sender.getTransactionReceipt({ hash: third?.tx as Hex });
    assert.equal(receipt.to?.toLowerCase(), registry.toLowerCase(), "sent to the registry");
    const harvested = parseEventLogs({ abi: keeperAbi, logs: receipt.logs, eventName: "Harvested" });
    assert.equal(harvested.length, 1, "the Keeper's Harvested event is in the registration's transaction");
    assert.equal(await canHarvest(), false);
    assert.equal(await registryRead("depositDataIndexes"), 3n);
  });

  it("with --harvest-vault harvests alone through the registry's updateVaultState when nothing is to register", async () => {
    await f.devnet.publishRewards([
      { vault: f.vault, consensusReward: parseEther("0.2"), unlockedMevReward: 0n, lockedMevReward: 0n },
    ]);
    const run = startService(f.startArgs(["--harvest-vault"]), f.env());
    try {
      await run.waitForLog((l) => l.msg === "vault harvested", { timeoutMs: 60_000, what: "the harvest" });
    } finally {
      const exit = await run.stop();
      assert.equal(exit.code, 0, run.output());
    }
    const logs = await f.devnet.clients.sender.getContractEvents({
      address: f.devnet.protocol.keeper.address,
      abi: keeperAbi,
      eventName: "Harvested",
      fromBlock: 0n,
    });
    const last = logs.at(-1);
    assert.ok(last, "a Harvested event");
    const receipt = await f.devnet.clients.sender.getTransactionReceipt({ hash: last.transactionHash });
    assert.equal(receipt.to?.toLowerCase(), registry.toLowerCase(), "sent to the registry");
    assert.equal((await registered()).length, 3, "nothing else registered");
  });
});
