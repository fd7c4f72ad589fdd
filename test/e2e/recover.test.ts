/**
 * `operator recover` against the devnet: the vault's registered validators come back as
 * keystores from the mnemonic alone, with the right mnemonic_next_index; an existing vault dir
 * is only replaced with --force; and the recovered dir carries on: create-keys makes the next
 * key, whose root the keys manager sets, and the registration registers it.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Hex } from "viem";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { signExit } from "../../src/crypto/exit-message.ts";
import { decryptKeystore, type Keystore } from "../../src/crypto/keystore.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { toHex, toPrefixedHex } from "../../src/lib/hex.ts";
import { runCli, TEST_MNEMONIC, tempDir } from "../support/cli.ts";
import { registerValidators } from "../support/devnet-registration.ts";
import {
  assertCleanError,
  assertNoSecrets,
  assertSameSnapshot,
  assertSuccess,
  firstPublicKeyOf,
  keystoreIndex,
  listKeystores,
  readVaultConfigJson,
  snapshotDir,
  waitFor,
} from "../support/e2e.ts";

const seed = mnemonicToSeed(TEST_MNEMONIC);
const publicKeyOf = (index: number) => toPrefixedHex(deriveValidatorKey(seed, index).publicKey);

/** `recover` of the devnet's vault into `dataDir`, on the devnet network. */
const recoverArgs = (devnet: Devnet, dataDir: string) => [
  "recover",
  "--vault",
  devnet.vault.address,
  "--data-dir",
  dataDir,
  "--network",
  "devnet",
  "--execution-endpoints",
  devnet.executionUrl,
  "--consensus-endpoints",
  devnet.consensusUrl,
];

describe("operator recover on the devnet", () => {
  let devnet: Devnet;
  let dataDir: string;
  let vaultDir: string;
  let cleanup: () => Promise<void>;
  let vault: Hex;

  const recover = (extra: readonly string[] = []) =>
    runCli([...recoverArgs(devnet, dataDir), ...extra], { env: { MNEMONIC: TEST_MNEMONIC } });
  const keystoresDir = () => join(vaultDir, "keystores");
  const keystorePubkeys = async () =>
    Promise.all(
      (await listKeystores(keystoresDir())).map(async (name) => {
        const keystore = JSON.parse(await readFile(join(keystoresDir(), name), "utf8")) as Keystore;
        return { index: keystoreIndex(name), pubkey: `0x${keystore.pubkey}`, path: keystore.path };
      }),
    );

  before(async () => {
    ({ path: dataDir, cleanup } = await tempDir("vault-operator-recover-"));
    devnet = await startDevnet({ blockTime: "automine", outputDir: join(dataDir, "devnet") });
    vault = devnet.vault.address;
    vaultDir = join(dataDir, vault.toLowerCase());
  });
  after(async () => {
    await devnet?.stop();
    await cleanup?.();
  });

  it("says so when the vault has no registered validators, and writes nothing", async () => {
    const before = await snapshotDir(dataDir);
    assertCleanError(await recover(), /no registered validators/, new RegExp(vault));
    assertSameSnapshot(await snapshotDir(dataDir), before);
  });

  it("recovers keystores for exactly the registered keys and the next index", async () => {
    await registerValidators(devnet, 0, 2);
    const result = await recover();
    assertSuccess(result);
    assert.match(result.stdout, /^Found 2 registered validators, recovering\.\.\.$/m);
    assert.match(result.stdout, /^Generating keystores/m);
    assert.match(
      result.stdout,
      /^Of the vault's 2 registered validators, 2 derive from this mnemonic \(keys 0-1\)\.\nKeystores written: 2\.$/m,
    );
    assert.match(
      result.stdout,
      new RegExp(
        `^Keystores for vault ${vault} recovered to ${keystoresDir()} \\(mnemonic_next_index 2 in `,
        "m",
      ),
    );
    assertNoSecrets(result.stdout + result.stderr, { mnemonic: TEST_MNEMONIC });

    const keys = await keystorePubkeys();
    assert.deepEqual(
      keys,
      [0, 1].map((i) => ({ index: i, pubkey: publicKeyOf(i), path: `m/12381/3600/${i}/0/0` })),
    );
    assert.deepEqual(await readVaultConfigJson(vaultDir), {
      network: "devnet",
      mnemonic_next_index: 2,
      first_public_key: firstPublicKeyOf(TEST_MNEMONIC),
    });
    const password = (await readFile(join(keystoresDir(), "password.txt"), "utf8")).trim();
    const [firstFile] = await listKeystores(keystoresDir());
    const keystore = JSON.parse(await readFile(join(keystoresDir(), firstFile ?? ""), "utf8")) as Keystore;
    const secret = await decryptKeystore(keystore, password);
    assert.equal(toHex(secret), toHex(deriveValidatorKey(seed, 0).secretKey.toBytes()));
    assert.deepEqual(
      (await readdir(dataDir)).filter((n) => n.startsWith(".recover")),
      [],
      "no staging dir left",
    );
  });

  it("refuses to replace an existing vault dir without --force", async () => {
    const before = await snapshotDir(dataDir);
    assertCleanError(await recover(), new RegExp(`vault dir ${vaultDir} already exists`), /--force/);
    assertSameSnapshot(await snapshotDir(dataDir), before);
  });

  it("--force replaces the keystores and config, keeping the old ones in a backup dir", async () => {
    const oldKeystores = await listKeystores(keystoresDir());
    const result = await recover(["--force", "--per-keystore-password"]);
    assertSuccess(result);
    const backup = /moved to (\S+)$/m.exec(result.stdout)?.[1];
    assert.ok(backup && existsSync(backup), result.stdout);
    assert.deepEqual(await listKeystores(join(backup, "keystores")), oldKeystores);
    assert.ok(existsSync(join(backup, "config.json")));
    const names = await readdir(keystoresDir());
    assert.equal(names.includes("password.txt"), false);
    assert.equal(names.filter((n) => n.endsWith(".txt")).length, 2);
    assert.deepEqual(
      (await keystorePubkeys()).map((k) => k.pubkey),
      [0, 1].map(publicKeyOf),
    );
    assert.equal((await readVaultConfigJson(vaultDir)).mnemonic_next_index, 2);
  });

  it("the recovered dir makes and registers the next validator", async () => {
    const common = ["--vault", vault, "--data-dir", dataDir];
    const keys = await runCli([
      "create-keys",
      ...common,
      "--count",
      "1",
      "--per-keystore-password",
      "--mnemonic",
      TEST_MNEMONIC,
    ]);
    assertSuccess(keys);
    assert.equal((await readVaultConfigJson(vaultDir)).mnemonic_next_index, 3);
    assert.ok((await keystorePubkeys()).some((k) => k.index === 2 && k.pubkey === publicKeyOf(2)));
    const root = await runCli(["get-validators-root", ...common]);
    assertSuccess(root);
    const printed = /root: (0x[0-9a-f]{64})/.exec(root.stdout)?.[1];
    // The keys manager sets this root; the registration registers key 2 against it.
    const registeredRoot = await registerValidators(devnet, 2, 1);
    assert.equal(printed, registeredRoot);
  });
});

describe("operator recover: what it says it wrote, and what it leaves when it fails", () => {
  /** A valid mnemonic none of whose keys the vault registered. */
  const OTHER_MNEMONIC =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
  let devnet: Devnet;
  let dir: string;
  let cleanup: () => Promise<void>;
  const status = () =>
    devnet.beacon.validatorAt(devnet.beacon.currentSlot(), { pubkey: publicKeyOf(0) })?.status;
  const waitForStatus = (wanted: string) =>
    waitFor(
      async () => {
        await devnet.beacon.sync();
        return status() === wanted ? true : undefined;
      },
      { timeoutMs: 20_000, what: `validator 0 ${wanted} (is ${status()})` },
    );
  /** recover into a data dir that does not exist yet; the devnet's network file by DEVNET_CONFIG_FILE. */
  const recoverInto = (dataDir: string, mnemonic: string) =>
    runCli(recoverArgs(devnet, dataDir), {
      env: { MNEMONIC: mnemonic, DEVNET_CONFIG_FILE: join(dir, "devnet", "network.json") },
    });

  before(async () => {
    ({ path: dir, cleanup } = await tempDir("vault-operator-recover-exited-"));
    // One-slot epochs and no activation delay: key 0 is active at once and exited 5 slots after its exit.
    devnet = await startDevnet({
      blockTime: "automine",
      slotsPerEpoch: 1,
      activationDelaySlots: 0,
      outputDir: join(dir, "devnet"),
    });
    await registerValidators(devnet, 0, 1);
  });
  after(async () => {
    await devnet?.stop();
    await cleanup?.();
  });

  it("a mnemonic with none of the vault's keys fails and creates nothing, not even the data dir", async () => {
    const before = await snapshotDir(dir);
    const dataDir = join(dir, "fresh");
    const result = await recoverInto(dataDir, OTHER_MNEMONIC);
    assertCleanError(result, /none of the 1 validators/, /derive from this mnemonic/);
    assertNoSecrets(result.stdout + result.stderr, { mnemonic: OTHER_MNEMONIC });
    assert.equal(existsSync(dataDir), false);
    assertSameSnapshot(await snapshotDir(dir), before);
  });

  it("says plainly that no keystore was written when the mnemonic's only key has exited", async () => {
    await waitForStatus("active_ongoing");
    const view = devnet.beacon.validatorAt(devnet.beacon.currentSlot(), { pubkey: publicKeyOf(0) });
    assert.ok(view);
    devnet.beacon.submitVoluntaryExit({
      epoch: 0n,
      validatorIndex: BigInt(view.index),
      signature: signExit(deriveValidatorKey(seed, 0).secretKey, devnet.network, view.index).toBytes(),
    });
    await waitForStatus("exited_unslashed");

    const dataDir = join(dir, "exited");
    const result = await recoverInto(dataDir, TEST_MNEMONIC);
    assertSuccess(result);
    assert.match(
      result.stdout,
      /^Of the vault's 1 registered validators, 1 derive from this mnemonic \(key 0\)\.$/m,
    );
    assert.match(result.stdout, /^Keystores written: 0; skipped: 1 \(key 0: exited or withdrawn/m);
    assert.match(
      result.stdout,
      /^No keystore was written: every validator of this mnemonic in vault .* has exited/m,
    );
    assert.doesNotMatch(result.stdout, /recovered to|successfully/i);
    const vaultDir = join(dataDir, devnet.vault.address.toLowerCase());
    assert.deepEqual(await listKeystores(join(vaultDir, "keystores")), []);
    assert.equal(existsSync(join(vaultDir, "keystores", "password.txt")), false);
    assert.equal((await readVaultConfigJson(vaultDir)).mnemonic_next_index, 1);
  });
});
