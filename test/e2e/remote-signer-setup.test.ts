/**
 * `operator remote-signer-setup` end to end (seeds "Remote signer"): the real CLI against the
 * devnet (whose Keeper config names 3 oracles, recover threshold 2) and an in-process Web3Signer.
 * The shares it imports sign exits through `openRemoteSigner`, and the oracles' own checks
 * accept them.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { eciesEncrypt, eciesRecipient } from "../../src/crypto/ecies.ts";
import { exitSigningRoot } from "../../src/crypto/exit-message.ts";
import {
  createKeystore,
  type KdfParams,
  keystoreFileName,
  serializeKeystore,
} from "../../src/crypto/keystore.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { readRemoteSignerConfig, remoteSignerConfigFile } from "../../src/keys/remote-signer/config-file.ts";
import { openRemoteSigner } from "../../src/keys/remote-signer/open.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";
import { runCli, TEST_MNEMONIC, tempDir } from "../support/cli.ts";
import { assertCleanError, writeVaultConfig } from "../support/e2e.ts";
import {
  blsVerifies,
  combineSignatureShares,
  decryptShard,
  publicKeySharesInterpolate,
  verifyShard,
} from "../support/oracle-side.ts";
import { startWeb3Signer, type Web3SignerDouble } from "../support/web3signer.ts";
import { deadPort } from "./start-fixture.ts";

/** The keystores the user made with create-keys; a fast KDF, as the KDF is not under test here. */
const FAST_KDF: KdfParams = { function: "pbkdf2", c: 2 };
const PASSWORD = "Keystores-Password-1!";
const ORACLES = { count: 3, threshold: 2 };

describe("operator remote-signer-setup", () => {
  let devnet: Devnet;
  let signer: Web3SignerDouble;
  let dataDir: string;
  let vaultDir: string;
  let keystoresDir: string;
  let cleanup: () => Promise<void>;
  const seed = mnemonicToSeed(TEST_MNEMONIC);

  before(async () => {
    const dir = await tempDir("vault-operator-remote-signer-");
    dataDir = dir.path;
    cleanup = dir.cleanup;
    devnet = await startDevnet({ blockTime: "automine", outputDir: join(dataDir, "devnet") });
    signer = await startWeb3Signer();
    vaultDir = await writeVaultConfig(dataDir, devnet.vault.address, "devnet", 0);
    keystoresDir = join(vaultDir, "keystores");
  });
  after(async () => {
    await signer?.close();
    await devnet?.stop();
    await cleanup?.();
  });

  async function writeKeystores(indexes: readonly number[]): Promise<`0x${string}`[]> {
    await mkdir(keystoresDir, { recursive: true });
    await writeFile(join(keystoresDir, "password.txt"), PASSWORD);
    const publicKeys: `0x${string}`[] = [];
    for (const index of indexes) {
      const key = deriveValidatorKey(seed, index);
      const keystore = await createKeystore({
        secretKey: key.secretKey.toBytes(),
        publicKey: key.publicKey,
        path: `m/12381/3600/${index}/0/0`,
        password: PASSWORD,
        kdf: FAST_KDF,
      });
      await writeFile(
        join(keystoresDir, keystoreFileName(keystore.path, 1700000000)),
        serializeKeystore(keystore),
      );
      publicKeys.push(toPrefixedHex(key.publicKey));
    }
    return publicKeys;
  }

  const keystoreFiles = async () =>
    existsSync(keystoresDir) ? (await readdir(keystoresDir)).filter((n) => n.startsWith("keystore")) : [];

  const setup = (url: string, extra: readonly string[] = []) =>
    runCli(
      [
        "remote-signer-setup",
        "--vault",
        devnet.vault.address,
        "--remote-signer-url",
        url,
        "--data-dir",
        dataDir,
        "--execution-endpoints",
        devnet.executionUrl,
        ...extra,
      ],
      { env: { IPFS_FETCH_ENDPOINTS: devnet.ipfsUrl }, timeoutMs: 60_000 },
    );

  it("an unreachable signer: one line, nothing written, nothing removed", async () => {
    await writeKeystores([0]);
    const result = await setup(`http://operator:secret-token@127.0.0.1:${await deadPort()}`);
    const line = assertCleanError(
      result,
      /cannot reach the remote signer at http:\/\/\*\*\*@127\.0\.0\.1:\d+/,
    );
    assert.doesNotMatch(result.stderr + result.stdout, /secret-token/);
    assert.match(line, /--remote-signer-url/);
    assert.equal(existsSync(remoteSignerConfigFile(vaultDir)), false);
    assert.equal((await keystoreFiles()).length, 1);
  });

  it("a signer without the Keymanager API: the --enable-key-manager-api=true hint", async () => {
    signer.setFault("no-keymanager");
    try {
      const result = await setup(signer.url);
      assertCleanError(result, /--enable-key-manager-api=true/);
    } finally {
      signer.setFault(null);
    }
    assert.equal(existsSync(remoteSignerConfigFile(vaultDir)), false);
    assert.equal((await keystoreFiles()).length, 1);
  });

  let validator0: `0x${string}`;
  it("imports the key shares, removes stale signer keys, writes the config, removes the keystores", async () => {
    validator0 = deriveKey(0);
    // A key share of an earlier oracle set, still in the signer.
    const stale = signer.addKey(deriveValidatorKey(seed, 50).secretKey.toBytes());
    const result = await setup(signer.url, ["--remove-existing-keys"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        "Successfully generated 3 key shares for 1 private key(s)!",
        "Successfully imported 3 key shares into remote signer.",
        "Removed 1 outdated key(s) from remote signer.",
        "Removed keystores from local filesystem.",
        "Done. Successfully configured operator to use remote signer for 1 public key(s)!",
        "",
      ].join("\n"),
    );
    const config = await readRemoteSignerConfig(remoteSignerConfigFile(vaultDir));
    assert.deepEqual([...config.keys()], [validator0]);
    const shares = config.get(validator0);
    assert.equal(shares?.length, ORACLES.count);
    assert.equal(signer.keys().includes(stale), false);
    assert.deepEqual(new Set(signer.keys()), new Set(shares));
    assert.deepEqual(await keystoreFiles(), []);
    // The import went through the Keymanager API with the keystores password.
    const post = signer.requests.find((r) => r.method === "POST" && r.path === "/eth/v1/keystores");
    assert.deepEqual((post?.body as { passwords?: string[] } | undefined)?.passwords, [
      PASSWORD,
      PASSWORD,
      PASSWORD,
    ]);
    const removal = signer.requests.find((r) => r.method === "DELETE");
    assert.deepEqual(removal?.body, { pubkeys: [stale] });
  });

  it("openRemoteSigner signs exit shares the devnet oracles accept", async () => {
    const remote = await openRemoteSigner({ url: signer.url, configFile: remoteSignerConfigFile(vaultDir) });
    try {
      await remote.check([validator0], ORACLES);
      const index = 7;
      const result = await remote.signExitForOracles(validator0, index, devnet.network, ORACLES);
      assert.equal(result.kind, "shares");
      if (result.kind !== "shares") return;
      const root = exitSigningRoot(devnet.network, index);
      const publicKeyShards = result.shares.map((s) => s.publicKey);
      assert.ok(publicKeySharesInterpolate(publicKeyShards, ORACLES.threshold, validator0));
      result.shares.forEach((share, j) => {
        const oracle = devnet.oracleKeys[j];
        assert.ok(oracle);
        const encrypted = eciesEncrypt(
          eciesRecipient(parseHex(oracle.publicKey) as Uint8Array),
          share.signature,
        );
        const decrypted = decryptShard(parseHex(oracle.privateKey) as Uint8Array, encrypted);
        assert.ok(verifyShard(decrypted, share.publicKey, root), `oracle ${j} rejects its share`);
      });
      const validatorKey = parseHex(validator0, 48) as Uint8Array;
      for (const pair of [
        [0, 1],
        [0, 2],
        [1, 2],
      ]) {
        const picked = pair.map((j) => result.shares[j]).filter((s) => s !== undefined);
        const signature = combineSignatureShares(picked);
        assert.ok(blsVerifies(validatorKey, root, signature), `shares ${pair}`);
      }
      const full = await remote.signExit(validator0, index, devnet.network);
      assert.ok(blsVerifies(validatorKey, root, full));
      // Web3Signer received what it needs to recompute the root under the Capella fork.
      const sign = signer.requests.find((r) => r.path.startsWith("/api/v1/eth2/sign/"));
      assert.deepEqual((sign?.body as { voluntary_exit?: unknown } | undefined)?.voluntary_exit, {
        epoch: String(devnet.network.capellaEpoch),
        validator_index: "7",
      });
    } finally {
      await remote.close();
    }
  });

  it("setup-remote-signer (v4): the keystores themselves into a signer; start's whole-key signer signs with them", async () => {
    const whole = await startWeb3Signer();
    try {
      const publicKeys = await writeKeystores([1, 2]);
      const files = await keystoreFiles();
      const configFile = remoteSignerConfigFile(vaultDir);
      assert.ok(existsSync(configFile), "the key-share set-up above left its config");
      const run = (extra: readonly string[] = []) =>
        runCli([
          "setup-remote-signer",
          "--vault",
          devnet.vault.address,
          "--remote-signer-url",
          whole.url,
          "--data-dir",
          dataDir,
          ...extra,
        ]);
      const first = await run();
      assert.equal(first.code, 0, first.stderr);
      assert.equal(
        first.stdout,
        [
          "Successfully imported 2 keys into remote signer.",
          `Removed ${configFile}: the remote signer holds whole validator keys, and start signs with them.`,
          `Kept the local keystores in ${keystoresDir} (pass --remove-keystores to remove them once they are in the remote signer).`,
          "Done. Successfully configured operator to use remote signer for 2 public key(s)!",
          "",
        ].join("\n"),
      );
      assert.equal(existsSync(configFile), false);
      assert.deepEqual(new Set(whole.keys()), new Set(publicKeys));
      // The keystore files went as they are, with the keystores password: nothing decrypted here.
      const post = whole.requests.find((r) => r.method === "POST");
      const body = post?.body as { keystores: string[]; passwords: string[] };
      assert.deepEqual(
        body.keystores,
        await Promise.all(files.map((name) => readFile(join(keystoresDir, name), "utf8"))),
      );
      assert.deepEqual(body.passwords, [PASSWORD, PASSWORD]);

      const remote = await openRemoteSigner({ url: whole.url, configFile });
      try {
        const root = exitSigningRoot(devnet.network, 9);
        const [key] = publicKeys as [`0x${string}`];
        const full = await remote.signExit(key, 9, devnet.network);
        assert.ok(blsVerifies(parseHex(key, 48) as Uint8Array, root, full));
      } finally {
        await remote.close();
      }

      const again = await run(["--remove-keystores"]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(
        again.stdout,
        /\(2 of them it held already\.\)\nRemoved keystores from local filesystem\.\n/,
      );
      assert.deepEqual(await keystoreFiles(), []);
    } finally {
      await whole.close();
    }
  });

  function deriveKey(index: number): `0x${string}` {
    return toPrefixedHex(deriveValidatorKey(seed, index).publicKey);
  }
});
