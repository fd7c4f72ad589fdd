/**
 * `operator validators-exit` against the devnet: three validators registered through the
 * registration core and active on the beacon simulator, their keystores in a vault data dir; the
 * real CLI signs their exits and the simulator accepts them only under the Capella domain.
 */
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther } from "viem";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { createKeystore, keystoreFileName, serializeKeystore } from "../../src/crypto/keystore.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { oracleAddress } from "../../src/crypto/secp256k1-keys.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { parseDepositData, serializeDepositData } from "../../src/keys/deposit-data-file.ts";
import { SecretKeySigner } from "../../src/keys/sources/secret-key-signer.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";
import { prepareRegistration } from "../../src/operator/registration/register-validators.ts";
import { type RegistrationJournal, sendRegistration } from "../../src/operator/registration/tx-sender.ts";
import { prepareOracleRecipients } from "../../src/oracles/exit-shares.ts";
import { vaultDepositData } from "../contracts/fixtures.ts";
import { runCli, TEST_MNEMONIC, tempDir } from "../support/cli.ts";
import { assertCleanError, assertSuccess, waitFor, writeVaultConfig } from "../support/e2e.ts";

const KEYS = 3;
const PASSWORD = "exit-test-password";
const seed = mnemonicToSeed(TEST_MNEMONIC);

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

/** Registers keys 0..count-1 of TEST_MNEMONIC on the devnet vault in one transaction. */
async function registerValidators(devnet: Devnet, count: number): Promise<void> {
  const vault = devnet.vault.address;
  const data = await vaultDepositData(vault, count);
  const entries = parseDepositData(serializeDepositData(data.entries), "deposit_data.json", { vault });
  const set = await devnet.clients.keysManager.writeContract({
    address: vault,
    abi: vaultAbi,
    functionName: "setValidatorsRoot",
    args: [toPrefixedHex(data.tree.root)],
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
    signer: mnemonicSigner(0, count),
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
}

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
    const keystoresDir = join(vaultDir, "keystores");
    await mkdir(keystoresDir, { recursive: true });
    await writeFile(join(keystoresDir, "password.txt"), PASSWORD);
    for (let i = 0; i < KEYS; i++) {
      const key = deriveValidatorKey(seed, i);
      // A cheap KDF: the exit path is under test here, not the keystore format.
      const keystore = await createKeystore({
        secretKey: key.secretKey.toBytes(),
        publicKey: key.publicKey,
        path: key.path,
        password: PASSWORD,
        kdf: { function: "pbkdf2", c: 16 },
      });
      await writeFile(
        join(keystoresDir, keystoreFileName(key.path, 1700000000)),
        serializeKeystore(keystore),
      );
    }
    await registerValidators(devnet, KEYS);
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
