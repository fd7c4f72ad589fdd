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
import { type Hex, parseEther, parseEventLogs } from "viem";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { decryptKeystore, type Keystore } from "../../src/crypto/keystore.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { oracleAddress } from "../../src/crypto/secp256k1-keys.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { parseDepositData, serializeDepositData } from "../../src/keys/deposit-data-file.ts";
import { SecretKeySigner } from "../../src/keys/sources/secret-key-signer.ts";
import { parseHex, toHex, toPrefixedHex } from "../../src/lib/hex.ts";
import { prepareRegistration } from "../../src/operator/registration/register-validators.ts";
import { type RegistrationJournal, sendRegistration } from "../../src/operator/registration/tx-sender.ts";
import { prepareOracleRecipients } from "../../src/oracles/exit-shares.ts";
import { vaultDepositData } from "../contracts/fixtures.ts";
import { runCli, TEST_MNEMONIC, tempDir } from "../support/cli.ts";
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

/** The keys first..first+count-1 of TEST_MNEMONIC as an ExitSigner. */
function mnemonicSigner(first: number, count: number): SecretKeySigner {
  const keys = new Map(
    Array.from({ length: count }, (_, k) => {
      const key = deriveValidatorKey(seed, first + k);
      return [toPrefixedHex(key.publicKey), key.secretKey] as const;
    }),
  );
  return new SecretKeySigner(
    {
      size: keys.size,
      has: (publicKey) => keys.has(publicKey),
      publicKeys: () => [...keys.keys()],
      getSecretKey: async (publicKey) => {
        const secretKey = keys.get(publicKey);
        if (!secretKey) throw new Error(`no test key ${publicKey}`);
        return secretKey;
      },
    },
    "TEST_MNEMONIC keys",
  );
}

const noJournal = (): RegistrationJournal => ({
  recordSigned: () => 1,
  markSent: () => {},
  markMined: () => {},
  markFailed: () => {},
  markDropped: () => {},
  openRegistrations: () => [],
});

/**
 * Registers keys first..first+count-1 of TEST_MNEMONIC on the devnet vault in one transaction,
 * after setting their deposit data root with the keys manager; returns that root.
 */
async function registerValidators(devnet: Devnet, first: number, count: number): Promise<Hex> {
  const vault = devnet.vault.address;
  const data = await vaultDepositData(vault, count, first);
  const entries = parseDepositData(serializeDepositData(data.entries), "deposit_data.json", { vault });
  const root = toPrefixedHex(data.tree.root);
  const set = await devnet.clients.keysManager.writeContract({
    address: vault,
    abi: vaultAbi,
    functionName: "setValidatorsRoot",
    args: [root],
  });
  await devnet.clients.keysManager.waitForTransactionReceipt({ hash: set });
  await devnet.depositToVault(parseEther(String(32 * count)));
  const config = devnet.committee.config();
  const reader = devnet.clients.hotWallet;
  const prepared = await prepareRegistration({
    network: devnet.network,
    keeper: devnet.protocol.keeper.address,
    vault,
    entries,
    startIndex: 0,
    tree: data.tree,
    oracles: {
      targets: config.oracles.map((o) => ({
        address: oracleAddress(parseHex(o.public_key, 64) as Uint8Array),
        endpoints: o.endpoints,
      })),
      recipients: prepareOracleRecipients(config.oracles.map((o) => ({ publicKey: o.public_key }))),
      recoverThreshold: config.exit_signature_recover_threshold,
      validatorsMinOracles: devnet.protocol.validatorsMinOracles,
      signatureValidityPeriod: config.signature_validity_period,
    },
    registryRoot: () =>
      reader.readContract({
        address: devnet.protocol.depositContract.address,
        abi: [
          {
            type: "function",
            name: "get_deposit_root",
            stateMutability: "view",
            inputs: [],
            outputs: [{ type: "bytes32" }],
          },
        ] as const,
        functionName: "get_deposit_root",
      }),
    nextValidatorIndex: async () => {
      await devnet.beacon.sync();
      return devnet.beacon.validatorsAt(devnet.beacon.currentSlot()).length;
    },
    now: async () => Number((await reader.getBlock()).timestamp),
    signer: mnemonicSigner(first, count),
    harvest: undefined,
    oracleTimeoutMs: 5_000,
  });
  const receipt = await sendRegistration({
    client: reader,
    to: vault,
    data: prepared.data,
    journal: noJournal(),
    publicKeys: prepared.publicKeys,
    firstDepositIndex: 0,
    maxFeePerGasWei: parseEther("0.0000001"),
    receiptTimeoutMs: 30_000,
  });
  assert.equal(receipt.status, "success");
  const registered = parseEventLogs({ abi: vaultAbi, logs: receipt.logs, eventName: "ValidatorRegistered" });
  assert.deepEqual(
    registered.map((e) => e.args.publicKey.toLowerCase()),
    Array.from({ length: count }, (_, k) => publicKeyOf(first + k)),
  );
  return root;
}

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
