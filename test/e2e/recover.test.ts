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
} from "../support/e2e.ts";

const seed = mnemonicToSeed(TEST_MNEMONIC);
const publicKeyOf = (index: number) => toPrefixedHex(deriveValidatorKey(seed, index).publicKey);

describe("operator recover on the devnet", () => {
  let devnet: Devnet;
  let dataDir: string;
  let vaultDir: string;
  let cleanup: () => Promise<void>;
  let vault: Hex;

  const recover = (extra: readonly string[] = []) =>
    runCli(
      [
        "recover",
        "--vault",
        vault,
        "--data-dir",
        dataDir,
        "--network",
        "devnet",
        "--execution-endpoints",
        devnet.executionUrl,
        "--consensus-endpoints",
        devnet.consensusUrl,
        ...extra,
      ],
      { env: { MNEMONIC: TEST_MNEMONIC } },
    );
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
    assert.match(result.stdout, /^Found 2 validators, recovering\.\.\.$/m);
    assert.match(result.stdout, /^Generating keystores/m);
    assert.match(
      result.stdout,
      new RegExp(`^Keystores for vault ${vault} successfully recovered to ${keystoresDir()}$`, "m"),
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
