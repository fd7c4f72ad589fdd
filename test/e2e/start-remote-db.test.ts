/**
 * `operator start` with the keys in a remote database of the Python operator's v1.1+ layout, on
 * the devnet and the local PostgreSQL, the way a Kubernetes fleet runs it: remote-db setup and
 * upload-keypairs (whole keys, no key shares), setup-web3signer's key files loaded into a
 * Web3Signer (the in-process double), setup-operator, then `start --remote-signer-url` with no
 * keystores and no remote_signer_config.json. The signer signs the validator's whole exit; the
 * oracles' shares are split from that signature, and the threshold of them reassembles an exit
 * signature that verifies under the double's own signing root (spec §4.3).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import postgres from "postgres";
import { type Hex, parseEther } from "viem";
import { runCli } from "../support/cli.ts";
import { assertSuccess, listKeystores } from "../support/e2e.ts";
import { startWeb3Signer, voluntaryExitSigningRoot, type Web3SignerDouble } from "../support/web3signer.ts";
import {
  depositDataPubkeys,
  poll,
  type StartFixture,
  setupStart,
  startService,
  storedExitSignatures,
} from "./start-fixture.ts";

const ADMIN_URL = process.env.REMOTE_DB_TEST_ADMIN_URL ?? "postgresql://postgres:@127.0.0.1:5432/postgres";
const SIGNER_USER = "operator-e2e";
const SIGNER_PASSWORD = "signer-pass-29c4e1";

describe("operator start with a v1.1+ remote database: whole keys in the remote signer", () => {
  let f: StartFixture;
  let signer: Web3SignerDouble;
  let admin: postgres.Sql;
  let dbName: string;
  let dbUrl: string;
  let pubkey: Hex;

  const remoteDb = (args: readonly string[]) =>
    runCli(["remote-db", "--db-url", dbUrl, "--vault", f.vault, "--data-dir", f.dataDir, ...args], {
      env: f.env(),
      timeoutMs: 60_000,
    });
  const signerUrl = () => signer.url.replace("http://", `http://${SIGNER_USER}:${SIGNER_PASSWORD}@`);

  before(async () => {
    dbName = `vault_operator_start_rdb_${randomBytes(6).toString("hex")}`;
    admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    dbUrl = ADMIN_URL.replace(/\/postgres$/, `/${dbName}`);
    signer = await startWeb3Signer();
    f = await setupStart({ keys: 1 });
    [pubkey] = (await depositDataPubkeys(f.depositDataFile)) as [Hex];
  });
  after(async () => {
    await signer?.close();
    await f?.stop();
    await admin?.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin?.end();
  });

  it("remote-db in the v1.1+ layout hands the whole key to Web3Signer and the deposit data to start", async () => {
    const setup = await remoteDb(["setup"]);
    assertSuccess(setup);
    assert.match(setup.stderr, /^Remote database layout: v1\.1\+ \(created devnet_keypairs without/);
    const key = /Encryption key: (\S+)/.exec(setup.stdout)?.[1] as string;
    assertSuccess(
      await remoteDb([
        "upload-keypairs",
        "--encrypt-key",
        key,
        "--execution-endpoints",
        f.devnet.executionUrl,
      ]),
    );
    const keysDir = join(f.dataDir, "web3signer");
    assertSuccess(await remoteDb(["setup-web3signer", "--encrypt-key", key, "--output-dir", keysDir]));
    assert.deepEqual(await readdir(keysDir), ["key_0.yaml"], "the whole key, no key shares");
    const yaml = await readFile(join(keysDir, "key_0.yaml"), "utf8");
    const secret = /privateKey: '0x([0-9a-f]{64})'/.exec(yaml)?.[1] as string;
    // Web3Signer reads the key files at start; the double is given the same key.
    assert.equal(signer.addKey(Buffer.from(secret, "hex")), pubkey);

    const operator = await remoteDb(["setup-operator"]);
    assertSuccess(operator);
    assert.equal(
      operator.stdout,
      `Operator deposit data saved to ${f.depositDataFile} file.\nSuccessfully created operator configuration file.\n`,
    );
    assert.equal(existsSync(join(f.vaultDir, "remote_signer_config.json")), false);
    // The operator host keeps no keystore: the key lives in the database and the signer only.
    const keystoresDir = join(f.vaultDir, "keystores");
    for (const name of await listKeystores(keystoresDir)) await rm(join(keystoresDir, name));
    await rm(keysDir, { recursive: true });
  });

  it("start asks the signer for the validator's whole exit signature and splits it for the oracles", async () => {
    await f.devnet.depositToVault(parseEther("32"));
    const run = startService(f.startArgs(["--remote-signer-url", signerUrl()]), f.env());
    try {
      await poll(
        async () => {
          assert.equal(run.child.exitCode, null, `the service exited\n${run.output()}`);
          return (await f.vaultIndex()) >= 1 ? true : undefined;
        },
        { timeoutMs: 60_000, what: () => `validator 0 registered\n${run.output()}` },
      );
    } finally {
      const { code } = await run.stop();
      assert.equal(code, 0, run.output());
    }
    assert.deepEqual(await f.depositedPubkeys(), [pubkey]);
    const loaded = run.lines.find((l) => /^Using .* for \d+ public keys$/.test(l.msg));
    assert.match(
      loaded?.msg ?? "",
      /^Using remote signer at http:\/\/\*\*\*@127\.0\.0\.1:\d+ for 1 public keys$/,
    );
    assert.ok(!run.output().includes(SIGNER_PASSWORD), "the signer URL's credentials stay hidden");

    // Every exit signature came from the validator key itself, none from a key share.
    const signs = signer.requests.filter(
      (r) => r.method === "POST" && r.path.startsWith("/api/v1/eth2/sign/"),
    );
    assert.ok(signs.length > 0, "the signer signed");
    for (const request of signs) {
      assert.equal(request.path.toLowerCase(), `/api/v1/eth2/sign/${pubkey}`);
      assert.equal((request.body as { type?: string }).type, "VOLUNTARY_EXIT");
    }

    // The oracles' threshold of shares reassembles a signature that verifies under the root the
    // double computes with its own code, for the validator's beacon index.
    const { index, signatures } = await storedExitSignatures(f, pubkey);
    assert.ok(index >= 0, "validator 0 on the beacon chain");
    assert.equal(signatures.length, 1, "one stored exit signature for validator 0");
    const root = voluntaryExitSigningRoot({
      forkVersion: f.devnet.network.capellaForkVersion,
      genesisValidatorsRoot: f.devnet.network.genesisValidatorsRoot,
      epoch: BigInt(f.devnet.network.capellaEpoch),
      validatorIndex: BigInt(index),
    });
    assert.ok(
      verify(
        root,
        PublicKey.fromBytes(Buffer.from(pubkey.slice(2), "hex"), true),
        Signature.fromBytes(signatures[0] as Uint8Array, true),
      ),
      "the reassembled exit signature verifies",
    );
  });
});
