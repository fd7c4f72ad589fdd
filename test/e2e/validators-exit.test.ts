/**
 * `operator validators-exit` against the devnet: three validators registered through the
 * registration core and active on the beacon simulator, their keystores in a vault data dir; the
 * real CLI signs their exits and the simulator accepts them only under the Capella domain.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Hex } from "viem";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { toPrefixedHex } from "../../src/lib/hex.ts";
import { writeCheapKeystores } from "../support/cheap-key-files.ts";
import { runCli, TEST_MNEMONIC, tempDir } from "../support/cli.ts";
import { registerValidators } from "../support/devnet-registration.ts";
import { assertCleanError, assertSuccess, waitFor, writeVaultConfig } from "../support/e2e.ts";

const KEYS = 3;
const seed = mnemonicToSeed(TEST_MNEMONIC);

describe("operator validators-exit on the devnet", () => {
  let devnet: Devnet;
  let dataDir: string;
  let cleanup: () => Promise<void>;
  let vault: Hex;
  /** Beacon indexes of keys 0, 1, 2. */
  let indexes: number[];

  const status = (index: number) => devnet.beacon.validatorAt(devnet.beacon.currentSlot(), { index })?.status;
  const waitForStatus = (index: number, wanted: string) =>
    waitFor(() => (status(index) === wanted ? true : undefined), {
      timeoutMs: 20_000,
      what: `validator ${index} ${wanted} (is ${status(index)})`,
    });
  const exit = (extra: readonly string[] = []) =>
    runCli([
      "validators-exit",
      "--vault",
      vault,
      "--data-dir",
      dataDir,
      "--consensus-endpoints",
      devnet.consensusUrl,
      ...extra,
    ]);

  before(async () => {
    ({ path: dataDir, cleanup } = await tempDir("vault-operator-exit-"));
    devnet = await startDevnet({
      blockTime: "automine",
      slotsPerEpoch: 2,
      activationDelaySlots: 0,
      outputDir: join(dataDir, "devnet"),
    });
    vault = devnet.vault.address;
    const vaultDir = await writeVaultConfig(dataDir, vault, "devnet", KEYS);
    // A cheap KDF: the exit path is under test here, not the keystore format.
    await writeCheapKeystores(join(vaultDir, "keystores"), TEST_MNEMONIC, KEYS);
    await registerValidators(devnet, 0, KEYS);
    indexes = await waitFor(
      async () => {
        await devnet.beacon.sync();
        const views = Array.from({ length: KEYS }, (_, i) =>
          devnet.beacon.validatorAt(devnet.beacon.currentSlot(), {
            pubkey: toPrefixedHex(deriveValidatorKey(seed, i).publicKey),
          }),
        );
        return views.every((v) => v?.status === "active_ongoing")
          ? views.map((v) => v?.index ?? -1)
          : undefined;
      },
      { timeoutMs: 20_000, what: "the three validators active" },
    );
  });
  after(async () => {
    await devnet?.stop();
    await cleanup?.();
  });

  it("refuses to run without a terminal and without --yes", async () => {
    assertCleanError(await exit(), /no terminal/, /--yes/);
  });

  it("--count 1 exits the lowest index only", async () => {
    const result = await exit(["--yes", "--count", "1"]);
    assertSuccess(result);
    const [first, second, third] = indexes as [number, number, number];
    assert.match(result.stdout, new RegExp(`^Validators ${first} exits successfully initiated$`, "m"));
    await waitForStatus(first, "active_exiting");
    assert.equal(status(second), "active_ongoing");
    assert.equal(status(third), "active_ongoing");
  });

  it("skips the exiting validator and reports a rejected exit with a non-zero exit", async () => {
    const [first, second, third] = indexes as [number, number, number];
    devnet.beacon.refuseExits([third]);
    try {
      const result = await exit(["--yes"]);
      const error = assertCleanError(
        result,
        /1 of 2 exits were rejected/,
        new RegExp(`validators ${third}\\)`),
      );
      assert.ok(error);
      assert.match(result.stdout, new RegExp(`^Validators ${second} exits successfully initiated$`, "m"));
      const rejected = result.stdout.split("\n").filter((l) => l.includes("rejected"));
      assert.equal(rejected.length, 1, result.stdout);
      assert.match(rejected[0] ?? "", new RegExp(`^The exit of validator ${third} was rejected: .*HTTP 400`));
      assert.doesNotMatch(result.stdout, new RegExp(`\\b${first}\\b.*(rejected|initiated)`));
    } finally {
      devnet.beacon.refuseExits(null);
    }
    await waitForStatus(second, "active_exiting");
    assert.equal(status(third), "active_ongoing");
  });

  it("exits the rest, then finds no active validator", async () => {
    const third = indexes[2] as number;
    const result = await exit(["--yes"]);
    assertSuccess(result);
    assert.match(result.stdout, new RegExp(`^Validators ${third} exits successfully initiated$`, "m"));
    await waitForStatus(third, "active_exiting");
    const again = await exit(["--yes"]);
    assertSuccess(again);
    assert.match(again.stdout, /There are no active validators to exit/);
  });
});
