import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { UserInputError } from "../lib/errors.ts";
import {
  devnetNetworkFile,
  expandHome,
  readVaultConfig,
  type VaultConfig,
  type VaultPaths,
  vaultPaths,
  writeVaultConfig,
} from "./data-dir.ts";
import { DEFAULT_DATA_DIR } from "./default-data-dir.ts";

const VAULT = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const VAULT_LOWER = VAULT.toLowerCase();
const PUBKEY = `0x${"a1".repeat(48)}` as const;

async function assertUserError(promise: Promise<unknown>, ...fragments: string[]): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UserInputError, `expected a UserInputError, got ${String(error)}`);
    for (const fragment of fragments)
      assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  });
}

describe("expandHome", () => {
  it("expands ~ and ~/ only", () => {
    assert.equal(expandHome("~"), homedir());
    assert.equal(expandHome("~/data"), join(homedir(), "data"));
    assert.equal(expandHome("/abs/~/x"), "/abs/~/x");
    assert.equal(expandHome("~other/x"), "~other/x");
    assert.equal(expandHome("relative"), "relative");
  });

  it("has ~/.stakewise as the default data dir", () => {
    assert.equal(DEFAULT_DATA_DIR, join(homedir(), ".stakewise"));
  });
});

describe("vaultPaths", () => {
  it("lays out the vault dir like the Python operator, with the vault lower-cased", () => {
    const paths = vaultPaths("/data", VAULT);
    const vaultDir = join("/data", VAULT_LOWER);
    assert.deepEqual(paths, {
      vaultDir,
      configFile: join(vaultDir, "config.json"),
      depositDataFile: join(vaultDir, "deposit_data.json"),
      keystoresDir: join(vaultDir, "keystores"),
      keystoresPasswordFile: join(vaultDir, "keystores", "password.txt"),
      walletDir: join(vaultDir, "wallet"),
      walletFile: join(vaultDir, "wallet", "wallet.json"),
      walletPasswordFile: join(vaultDir, "wallet", "password.txt"),
      databaseFile: join(vaultDir, "operator.db"),
      tmpDir: join(vaultDir, ".tmp"),
    } satisfies VaultPaths);
  });

  it("expands a leading ~ in the data dir", () => {
    assert.equal(vaultPaths("~/.stakewise", VAULT).vaultDir, join(homedir(), ".stakewise", VAULT_LOWER));
    assert.equal(vaultPaths("~", VAULT).vaultDir, join(homedir(), VAULT_LOWER));
  });
});

describe("devnetNetworkFile", () => {
  it("defaults to <data dir>/devnet/network.json", () => {
    assert.equal(devnetNetworkFile("/data", {}), join("/data", "devnet", "network.json"));
    assert.equal(devnetNetworkFile("~/d", {}), join(homedir(), "d", "devnet", "network.json"));
  });

  it("honours DEVNET_CONFIG_FILE", () => {
    assert.equal(
      devnetNetworkFile("/data", { DEVNET_CONFIG_FILE: "/elsewhere/net.json" }),
      "/elsewhere/net.json",
    );
  });
});

describe("vault config file", () => {
  let dataDir: string;
  let paths: VaultPaths;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "data-dir-test-"));
    paths = vaultPaths(dataDir, VAULT);
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function writeConfigText(text: string): Promise<void> {
    await mkdir(paths.vaultDir, { recursive: true });
    await writeFile(paths.configFile, text);
  }

  it("writes exactly the Python operator's config.json", async () => {
    await writeVaultConfig(paths, { network: "hoodi", mnemonic_next_index: 3, first_public_key: PUBKEY });
    assert.equal(
      await readFile(paths.configFile, "utf8"),
      `{"network": "hoodi", "mnemonic_next_index": 3, "first_public_key": "${PUBKEY}"}`,
    );
  });

  it("writes the fields in the Python order whatever the object's order", async () => {
    const config = { first_public_key: PUBKEY, mnemonic_next_index: 0, network: "mainnet" } as VaultConfig;
    await writeVaultConfig(paths, config);
    assert.equal(
      await readFile(paths.configFile, "utf8"),
      `{"network": "mainnet", "mnemonic_next_index": 0, "first_public_key": "${PUBKEY}"}`,
    );
  });

  it("does not write extra fields", async () => {
    const config = {
      network: "hoodi",
      mnemonic_next_index: 1,
      first_public_key: PUBKEY,
      extra: 1,
    } as VaultConfig;
    await writeVaultConfig(paths, config);
    assert.doesNotMatch(await readFile(paths.configFile, "utf8"), /extra/);
  });

  it("round-trips through readVaultConfig", async () => {
    const config: VaultConfig = { network: "gnosis", mnemonic_next_index: 42, first_public_key: PUBKEY };
    await writeVaultConfig(paths, config);
    assert.deepEqual(await readVaultConfig(paths, VAULT), config);
    assert.equal((await stat(paths.configFile)).isFile(), true);
  });

  it("reads a devnet config", async () => {
    await writeConfigText(`{"network": "devnet", "mnemonic_next_index": 0, "first_public_key": "${PUBKEY}"}`);
    assert.equal((await readVaultConfig(paths, VAULT)).network, "devnet");
  });

  it("rejects a missing config, pointing at operator init", async () => {
    await assertUserError(readVaultConfig(paths, VAULT), paths.configFile, "operator init", VAULT);
  });

  it("rejects a config that is not JSON, naming the file", async () => {
    await writeConfigText("{network: hoodi");
    await assertUserError(readVaultConfig(paths, VAULT), paths.configFile, "not valid JSON");
  });

  it("rejects a bad first_public_key, naming the file and the field", async () => {
    await writeConfigText(`{"network": "hoodi", "mnemonic_next_index": 0, "first_public_key": "0x1234"}`);
    await assertUserError(readVaultConfig(paths, VAULT), paths.configFile, '"first_public_key"');
  });

  it("rejects a first_public_key without 0x", async () => {
    await writeConfigText(
      `{"network": "hoodi", "mnemonic_next_index": 0, "first_public_key": "${"a1".repeat(48)}"}`,
    );
    await assertUserError(readVaultConfig(paths, VAULT), paths.configFile, '"first_public_key"');
  });

  it("rejects an unknown network, naming the file and the field", async () => {
    await writeConfigText(`{"network": "goerli", "mnemonic_next_index": 0, "first_public_key": "${PUBKEY}"}`);
    await assertUserError(readVaultConfig(paths, VAULT), paths.configFile, '"network"');
  });

  it("rejects a negative or fractional mnemonic_next_index", async () => {
    await writeConfigText(`{"network": "hoodi", "mnemonic_next_index": -1, "first_public_key": "${PUBKEY}"}`);
    await assertUserError(readVaultConfig(paths, VAULT), paths.configFile, '"mnemonic_next_index"');
    await writeConfigText(
      `{"network": "hoodi", "mnemonic_next_index": 1.5, "first_public_key": "${PUBKEY}"}`,
    );
    await assertUserError(readVaultConfig(paths, VAULT), paths.configFile, '"mnemonic_next_index"');
  });

  it("rejects a config that is not an object", async () => {
    await writeConfigText("[]");
    await assertUserError(readVaultConfig(paths, VAULT), paths.configFile, "(root)");
  });

  it("rejects an unreadable config path (a directory), naming it", async () => {
    await mkdir(paths.configFile, { recursive: true });
    await assertUserError(readVaultConfig(paths, VAULT), paths.configFile);
  });
});
