/**
 * `operator consolidate` on a version-5 devnet vault whose validators manager is the wallet
 * (issue 12, must-be-true 4): four 0x01 validators registered by `start --validator-type 0x01`;
 * one switched to 0x02 with the oracles' approval, another merged into it by the command's own
 * choice (no keys; the other two excluded by file), and the beacon simulator moves the balance. Each refusal is one line and sends nothing: a source not of the
 * vault, an exiting source (a re-run of the merge), a 0x01 target that is not switched, a fee above
 * the cap. Then the vault's manager becomes a DVT relayer's wallet: the wallet alone is refused, and
 * with --relayer-endpoint the relayer's POST /consolidate signature carries the merge.
 */
import assert from "node:assert/strict";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { depositContractAbi } from "../../src/chain/abi/deposit-contract.ts";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import type { ValidatorView } from "../../src/devnet/beacon/validator-status.ts";
import { CONSOLIDATION_REQUESTS_ADDRESS, setRequestExcess } from "../../src/devnet/system-contracts.ts";
import { buildDepositDatum } from "../../src/keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";
import { testKeys } from "../support/beacon-fixtures.ts";
import { type CliResult, runCli, TEST_MNEMONIC } from "../support/cli.ts";
import { startManagerRelayer } from "../support/dvt-flow.ts";
import { publicKeyHexOf } from "../support/e2e.ts";
import { type StartFixture, setupStart, startService } from "./start-fixture.ts";

const GWEI = 1_000_000_000n;
const keyOf = (i: number) => `0x${publicKeyHexOf(TEST_MNEMONIC, i).replace(/^0x/, "")}`.toLowerCase() as Hex;
const hex = (value: string): Hex => toPrefixedHex(parseHex(value) as Uint8Array);

describe("consolidate on a version-5 vault whose validators manager is the wallet", {
  timeout: 240_000,
}, () => {
  let f: StartFixture;

  const view = async (pubkey: Hex): Promise<ValidatorView | undefined> => {
    await f.devnet.beacon.sync();
    return f.devnet.beacon.validatorAt(f.devnet.beacon.currentSlot(), { pubkey });
  };
  const waitFor = async (what: string, ok: () => Promise<boolean>, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await ok())) {
      assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
      await delay(250);
    }
  };
  /** `consolidate --no-confirm` with `keys` (none: the command chooses). */
  const run = (keys: readonly string[], extra: readonly string[] = []): Promise<CliResult> =>
    runCli([
      "consolidate",
      "--vault",
      f.vault,
      "--data-dir",
      f.dataDir,
      "--execution-endpoints",
      f.devnet.executionUrl,
      "--consensus-endpoints",
      f.devnet.consensusUrl,
      ...keys,
      "--no-confirm",
      ...extra,
    ]);
  const consolidate = (sources: readonly Hex[], target: Hex, extra: readonly string[] = []) =>
    run(["--source-public-keys", sources.join(","), "--target-public-key", target], extra);
  const submitted = async () => {
    const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
    return parseEventLogs({ abi: vaultV5Abi, logs, eventName: "ValidatorConsolidationSubmitted" });
  };
  /** A refusal: exit code 1, one line on stderr, no consolidation sent. */
  const assertRefused = async (result: CliResult, pattern: RegExp) => {
    const before = (await submitted()).length;
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? "", pattern);
    assert.equal((await submitted()).length, before);
  };

  before(async () => {
    f = await setupStart({
      keys: 4,
      devnet: { vaultVersion: 5, slotsPerEpoch: 2, activationDelaySlots: 2, withdrawabilityDelayEpochs: 1 },
    });
    await rm(f.depositDataFile);
    await f.devnet.depositToVault(parseEther("128"));
    const run = startService(f.startArgs(["--validator-type", "0x01"]), f.env());
    try {
      await waitFor(
        "four 0x01 validators registered",
        async () => {
          const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
          return parseEventLogs({ abi: vaultV5Abi, logs, eventName: "ValidatorRegistered" }).length >= 4;
        },
        90_000,
      );
    } finally {
      const exit = await run.stop();
      assert.equal(exit.code, 0, run.output());
    }
    for (const i of [0, 1, 2, 3]) {
      await waitFor(`validator ${i} active`, async () => (await view(keyOf(i)))?.status === "active_ongoing");
    }
  });
  after(async () => {
    await f?.stop();
  });

  it("switches a 0x01 validator to 0x02 with the oracles' approval", async () => {
    const result = await consolidate([keyOf(0)], keyOf(0));
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Switching validator with index \d+ to compounding/);
    assert.match(result.stdout, /successfully consolidated: 1 request/);
    const events = await submitted();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.args.fromPublicKey, keyOf(0));
    assert.equal(events[0]?.args.toPublicKey, keyOf(0));
    await waitFor(
      "the switch to 0x02",
      async () => (await view(keyOf(0)))?.withdrawalCredentials[0] === 0x02,
    );
  });

  it("chooses, without keys: merges the oldest 0x01 validator not excluded into the 0x02 one; the beacon moves its balance", async () => {
    // Validators 2 and 3 are kept for the refusals below: the choice is validator 1 into 0.
    const exclude = join(f.dataDir, "exclude.txt");
    await writeFile(exclude, `${keyOf(2)}\n${keyOf(3)}\n`);
    const result = await run([], ["--exclude-public-keys-file", exclude]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Consolidating from validator with index \d+ to validator with index \d+/);
    const events = await submitted();
    assert.equal(events.length, 2);
    assert.equal(events[1]?.args.fromPublicKey, keyOf(1));
    assert.equal(events[1]?.args.toPublicKey, keyOf(0));
    await waitFor("the source's balance moved to the target", async () => {
      const target = await view(keyOf(0));
      return (target?.balanceGwei ?? 0n) >= 64n * GWEI;
    });
    assert.equal((await view(keyOf(1)))?.balanceGwei, 0n);
  });

  it("refuses an exiting source: running the merge again sends nothing", async () => {
    await assertRefused(
      await consolidate([keyOf(1)], keyOf(0)),
      /source 0x[0-9a-f]+….*\(index \d+\) is (active_exiting|exited_unslashed|withdrawal_possible|withdrawal_done), not active/,
    );
  });

  it("refuses a 0x01 target that is not being switched", async () => {
    await assertRefused(
      await consolidate([keyOf(2)], keyOf(3)),
      /target .* has 0x01 credentials and is not being switched: switch it first/,
    );
  });

  it("refuses a source that is not the vault's", async () => {
    // A validator of another withdrawal address, deposited straight to the deposit contract.
    const key = testKeys(11)[10];
    assert.ok(key);
    const depositor = f.devnet.clients.sender;
    const datum = buildDepositDatum({
      secretKey: key.secretKey,
      publicKey: key.publicKey,
      withdrawalCredentials: vaultWithdrawalCredentials(depositor.account.address, 0x01),
      amountGwei: 32_000_000_000,
      genesisForkVersion: parseHex(f.devnet.network.genesisForkVersion) as Uint8Array,
      networkName: "devnet",
    });
    const pubkey = toPrefixedHex(key.publicKey);
    const hash = await depositor.writeContract({
      address: f.devnet.network.depositContract.address,
      abi: depositContractAbi,
      functionName: "deposit",
      args: [pubkey, hex(datum.withdrawal_credentials), hex(datum.signature), hex(datum.deposit_data_root)],
      value: parseEther("32"),
    });
    await depositor.waitForTransactionReceipt({ hash });
    await waitFor("the other validator known", async () => (await view(pubkey)) !== undefined);
    await assertRefused(
      await consolidate([pubkey], keyOf(0)),
      /source .* is not a validator of vault 0x[0-9a-fA-F]{40} .*consolidate only this vault's validators/,
    );
  });

  it("refuses a fee above the cap", async () => {
    // Excess 600: fake_exponential(1, 600, 17) ≈ 2·10^15 wei, above the default cap of 1000 gwei.
    await setRequestExcess(f.devnet.clients.sender, CONSOLIDATION_REQUESTS_ADDRESS, 600n);
    try {
      await assertRefused(
        await consolidate([keyOf(2)], keyOf(0)),
        /the EIP-7251 consolidation fee is [\d.]+ gwei per request, above --max-consolidation-request-fee-gwei 1000: wait until the fee falls, or raise the cap/,
      );
    } finally {
      await setRequestExcess(f.devnet.clients.sender, CONSOLIDATION_REQUESTS_ADDRESS, 0n);
    }
  });

  it("a vault whose validators manager is a DVT relayer's wallet: the relayer signs POST /consolidate", async () => {
    const relayer = await startManagerRelayer({ devnet: f.devnet, file: join(f.dataDir, "relayer.db") });
    try {
      await assertRefused(
        await consolidate([keyOf(2)], keyOf(0)),
        /not the wallet 0x[0-9a-fA-F]{40}: .* or --relayer-endpoint of the DVT relayer that holds its key/,
      );
      const result = await consolidate([keyOf(2)], keyOf(0), ["--relayer-endpoint", relayer.url]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const events = await submitted();
      assert.equal(events.at(-1)?.args.fromPublicKey, keyOf(2));
      assert.equal(events.at(-1)?.args.toPublicKey, keyOf(0));
    } finally {
      await relayer.close();
    }
  });
});
