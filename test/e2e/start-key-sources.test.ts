/**
 * `operator start` with its validator keys away from the data dir (seeds "Remote signer" and
 * "Hashi Vault"), on one devnet, one funded validator per case: a Web3Signer holding the Shamir
 * key shares remote-signer-setup imported (the oracles reassemble a valid exit signature from
 * them), then HashiCorp Vault holding the keys as one bundled KV v2 secret. Neither the signer
 * URL's credentials nor the Vault token show in the service's output.
 */
import assert from "node:assert/strict";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { type Hex, parseEther } from "viem";
import { exitSigningRoot } from "../../src/crypto/exit-message.ts";
import {
  readRemoteSignerConfig,
  remoteSignerConfigFile,
  writeRemoteSignerConfig,
} from "../../src/keys/remote-signer/config-file.ts";
import { parseHex } from "../../src/lib/hex.ts";
import { runCli, TEST_MNEMONIC } from "../support/cli.ts";
import { assertNoSecrets, listKeystores, publicKeyHexOf, secretKeyHexOf } from "../support/e2e.ts";
import { type HashiVaultDouble, startHashiVault } from "../support/hashi-vault.ts";
import { startWeb3Signer, type Web3SignerDouble } from "../support/web3signer.ts";
import {
  depositDataPubkeys,
  type LogLine,
  poll,
  type ServiceRun,
  type StartFixture,
  setupStart,
  startService,
  storedExitSignatures,
} from "./start-fixture.ts";

/** Key 0 goes through the remote signer, key 1 through HashiCorp Vault. */
const KEYS = 2;
const SIGNER_USER = "operator-e2e";
const SIGNER_PASSWORD = "signer-pass-7f3a9c";
const VAULT_TOKEN = "hvs.e2e-vault-token-51d0c2";

describe("operator start with keys in a remote signer or HashiCorp Vault", () => {
  let f: StartFixture;
  let signer: Web3SignerDouble;
  let hashiVault: HashiVaultDouble;
  let depositData: Hex[];
  /** Everything the service runs wrote, for the secrets check. */
  const outputs: string[] = [];

  before(async () => {
    signer = await startWeb3Signer();
    hashiVault = await startHashiVault({ token: VAULT_TOKEN });
    f = await setupStart({ keys: KEYS });
    depositData = await depositDataPubkeys(f.depositDataFile);
  });
  after(async () => {
    await signer?.close();
    await hashiVault?.close();
    await f?.stop();
  });

  /** The signer URL as a user with basic auth passes it. */
  const signerUrl = () => signer.url.replace("http://", `http://${SIGNER_USER}:${SIGNER_PASSWORD}@`);
  const keysLoaded = (l: LogLine) => /^Using .* for \d+ public keys$/.test(l.msg);

  /** Funds one more validator, runs `start` with `extra` until the vault registers it, stops it. */
  const registersOne = async (extra: string[]): Promise<ServiceRun> => {
    const target = (await f.vaultIndex()) + 1;
    await f.devnet.depositToVault(parseEther("32"));
    const run = startService(f.startArgs(extra), f.env());
    try {
      await poll(
        async () => {
          assert.equal(run.child.exitCode, null, `the service exited\n${run.output()}`);
          return (await f.vaultIndex()) >= target ? true : undefined;
        },
        { timeoutMs: 60_000, what: () => `validator ${target} registered\n${run.output()}` },
      );
    } finally {
      const { code } = await run.stop();
      outputs.push(run.output());
      assert.equal(code, 0, run.output());
    }
    assert.equal(await f.vaultIndex(), target, "exactly one validator registered");
    assert.deepEqual(await f.depositedPubkeys(), depositData.slice(0, target), "in deposit-data order");
    return run;
  };

  it("remote signer: registers from the key shares remote-signer-setup imported", async () => {
    // Only validator 0's keystore is split (every share is a deposit-CLI scrypt keystore, slow);
    // validator 1's key goes to HashiCorp Vault below.
    const keystoresDir = join(f.vaultDir, "keystores");
    const keystores = await listKeystores(keystoresDir);
    assert.equal(keystores.length, KEYS);
    await rm(join(keystoresDir, keystores[1] as string));
    const setup = await runCli(
      [
        "remote-signer-setup",
        "--vault",
        f.vault,
        "--remote-signer-url",
        signerUrl(),
        "--data-dir",
        f.dataDir,
        "--execution-endpoints",
        f.devnet.executionUrl,
      ],
      { env: f.env(), timeoutMs: 60_000 },
    );
    assert.equal(setup.code, 0, setup.stderr);
    outputs.push(`${setup.stdout}\n${setup.stderr}`);
    assert.deepEqual(await listKeystores(keystoresDir), [], "local keystores removed");
    const config = await readRemoteSignerConfig(remoteSignerConfigFile(f.vaultDir));
    assert.deepEqual([...config.keys()], [depositData[0]]);
    const shareKeys = config.get(depositData[0] as Hex) ?? [];
    assert.equal(shareKeys.length, f.devnet.committee.oracles.length, "one key share per oracle");

    // Shares made for another oracle set stop the service at startup, in one line.
    const configFile = remoteSignerConfigFile(f.vaultDir);
    const original = await readFile(configFile, "utf8");
    await writeRemoteSignerConfig(configFile, new Map([[depositData[0] as Hex, shareKeys.slice(1)]]));
    const outdated = await runCli(f.startArgs(["--remote-signer-url", signerUrl()]), { env: f.env() });
    await writeFile(configFile, original);
    outputs.push(outdated.stdout + outdated.stderr);
    assert.equal(outdated.code, 1, outdated.stderr);
    assert.match(
      outdated.stderr.trim(),
      /^Error: the key shares of validator 0x[0-9a-f]{96} in .*remote_signer_config\.json are outdated for the current oracle set \(\d+ shares for \d+ oracles, recover threshold \d+\): .*remote-signer-setup/,
    );

    const run = await registersOne(["--remote-signer-url", signerUrl()]);

    // The seed's "Using remote signer at http://remote-signer:9000 for 10 public keys".
    const loaded = run.lines.find(keysLoaded);
    assert.ok(loaded, run.output());
    assert.match(loaded.msg, /^Using remote signer at http:\/\/\*\*\*@127\.0\.0\.1:\d+ for 1 public keys$/);
    assert.match(String(loaded.source), /^remote signer at http:\/\/\*\*\*@127\.0\.0\.1:\d+$/);
    assert.equal(loaded.keys, 1);

    const exitRequests = signer.requests.filter(
      (r) => r.method === "POST" && r.path.startsWith("/api/v1/eth2/sign/"),
    );
    for (const share of shareKeys) {
      assert.ok(
        exitRequests.some(
          (r) =>
            r.path.toLowerCase().endsWith(share) && (r.body as { type?: string }).type === "VOLUNTARY_EXIT",
        ),
        `VOLUNTARY_EXIT signed with key share ${share}`,
      );
    }

    // The oracles reassemble the exit signature from the threshold shares; it verifies.
    const pubkey = depositData[0] as Hex;
    const { index, signatures } = await storedExitSignatures(f, pubkey);
    assert.ok(index >= 0, "validator 0 on the beacon chain");
    assert.equal(signatures.length, 1, "one stored exit signature for validator 0");
    assert.ok(
      verify(
        exitSigningRoot(f.devnet.network, index),
        PublicKey.fromBytes(parseHex(pubkey, 48) as Uint8Array, true),
        Signature.fromBytes(signatures[0] as Uint8Array, true),
      ),
      "the reassembled exit signature verifies under the Capella domain",
    );
  });

  it("HashiCorp Vault: registers with the keys of a bundled KV v2 secret and no keystores", async () => {
    assert.deepEqual(
      (await readdir(join(f.vaultDir, "keystores"))).filter((n) => n.endsWith(".json")),
      [],
      "no local keystores",
    );
    hashiVault.put(
      "secret",
      "operator/validators",
      Object.fromEntries(
        Array.from({ length: KEYS }, (_, i) => [
          publicKeyHexOf(TEST_MNEMONIC, i),
          secretKeyHexOf(TEST_MNEMONIC, i),
        ]),
      ),
    );
    const run = await registersOne([
      "--hashi-vault-url",
      hashiVault.url,
      "--hashi-vault-token",
      VAULT_TOKEN,
      "--hashi-vault-key-path",
      "operator/validators",
    ]);
    const loaded = run.lines.find(keysLoaded);
    assert.ok(loaded, run.output());
    assert.match(String(loaded.source), /^HashiCorp Vault at http:\/\/127\.0\.0\.1:\d+ \(2 keys\)$/);
    assert.ok(
      hashiVault.requests.some((r) => r.headers["x-vault-token"] === VAULT_TOKEN),
      "the token went in the X-Vault-Token header",
    );
  });

  it("refuses to start, in one line, when the keys are not the deposit data's or the Vault is down", async () => {
    hashiVault.put(
      "secret",
      "operator/other-keys",
      Object.fromEntries(
        [7, 8].map((i) => [publicKeyHexOf(TEST_MNEMONIC, i), secretKeyHexOf(TEST_MNEMONIC, i)]),
      ),
    );
    const vaultFlags = (url: string, path: string) => [
      "--hashi-vault-url",
      url,
      "--hashi-vault-token",
      VAULT_TOKEN,
      "--hashi-vault-key-path",
      path,
    ];
    const mismatch = await runCli(f.startArgs(vaultFlags(hashiVault.url, "operator/other-keys")), {
      env: f.env(),
    });
    assert.equal(mismatch.code, 1, mismatch.stderr);
    assert.match(
      mismatch.stderr.trim(),
      /^Error: none of the 2 deposit data keys is in the HashiCorp Vault at http:\/\/127\.0\.0\.1:\d+ \(2 keys\): load the keys of this deposit data there$/,
    );
    const down = await runCli(f.startArgs(vaultFlags("http://127.0.0.1:9", "operator/validators")), {
      env: f.env(),
    });
    assert.notEqual(down.code, 0, down.stderr);
    assert.equal(down.stderr.trim().split("\n").length, 1, down.stderr);
    assert.match(down.stderr, /^Error: .*127\.0\.0\.1:9/);
    outputs.push(mismatch.stdout + mismatch.stderr, down.stdout + down.stderr);
  });

  it("shows neither the Vault token nor the signer URL's credentials", () => {
    assert.equal(
      outputs.length,
      6,
      "remote-signer-setup, the outdated-shares refusal, both service runs and both refusals ran",
    );
    for (const output of outputs) {
      for (const secret of [VAULT_TOKEN, SIGNER_PASSWORD, `${SIGNER_USER}:`]) {
        assert.ok(!output.includes(secret), `a secret in the output:\n${output}`);
      }
      assertNoSecrets(output, {
        mnemonic: TEST_MNEMONIC,
        secretKeysHex: Array.from({ length: KEYS }, (_, i) => secretKeyHexOf(TEST_MNEMONIC, i)),
      });
    }
  });
});
