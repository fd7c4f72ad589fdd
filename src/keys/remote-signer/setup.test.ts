import assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { writeSeededKeystore } from "../../../test/support/cheap-key-files.ts";
import { startWeb3Signer, type Web3SignerDouble } from "../../../test/support/web3signer.ts";
import { decryptKeystore, type KdfParams } from "../../crypto/keystore.ts";
import { publicKeySharesConsistent } from "../../crypto/shamir.ts";
import { InterruptedError, OperatorError, UserInputError } from "../../lib/errors.ts";
import { parseHex } from "../../lib/hex.ts";
import type { KeystoreDecryptor } from "../sources/keystore-decryptor.ts";
import { LocalKeystores } from "../sources/local-keystores.ts";
import { readRemoteSignerConfig, writeRemoteSignerConfig } from "./config-file.ts";
import {
  assertKeymanagerReachable,
  type RemoteSignerSetupParameters,
  runRemoteSignerSetup,
} from "./setup.ts";
import { createShareKeystoreEncryptor } from "./share-keystores.ts";
import { SignerApi } from "./signer-api.ts";

/** Fast keystores: the KDF is not what these tests are about. */
const FAST_KDF: KdfParams = { function: "pbkdf2", c: 2 };
const PASSWORD = "correct-horse-battery";
const ORACLES = { count: 3, threshold: 2 };

/** Decrypts on the main thread: the worker decryptor is tested with LocalKeystores. */
const inProcessDecryptor: KeystoreDecryptor = {
  decrypt: async (entry) => decryptKeystore(JSON.parse(await readFile(entry.file, "utf8")), PASSWORD),
  close: async () => {},
};

const validatorKey = (seed: number) => SecretKey.fromKeygen(new Uint8Array(32).fill(seed));

describe("runRemoteSignerSetup", () => {
  let signer: Web3SignerDouble;
  let dir: string;
  let keystoresDir: string;
  let configFile: string;
  let lines: string[];

  /** One pool of share-encryption workers for the file (starting workers costs more than a fast KDF). */
  const encryptor = createShareKeystoreEncryptor({ kdf: FAST_KDF, concurrency: 2 });

  before(async () => {
    signer = await startWeb3Signer();
  });
  after(async () => {
    await signer.close();
    await encryptor.close();
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "remote-signer-setup-"));
    keystoresDir = join(dir, "keystores");
    configFile = join(dir, "remote_signer_config.json");
    lines = [];
    signer.setFault(null);
    await mkdir(keystoresDir);
    await writeFile(join(keystoresDir, "password.txt"), `${PASSWORD}\n`);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const writeKeystore = (seed: number, index: number) =>
    writeSeededKeystore(keystoresDir, seed, index, PASSWORD);

  async function setup(removeExistingKeys = false, extra: Partial<RemoteSignerSetupParameters> = {}) {
    const keystores = await LocalKeystores.load(
      { keystoresDir, passwordFile: join(keystoresDir, "password.txt") },
      { decryptor: inProcessDecryptor },
    );
    try {
      return await runRemoteSignerSetup({
        api: new SignerApi({ url: signer.url }),
        keystores,
        encryptor,
        oracles: ORACLES,
        configFile,
        sharedPasswordFile: join(keystoresDir, "password.txt"),
        removeExistingKeys,
        report: (line) => lines.push(line),
        ...extra,
      });
    } finally {
      await keystores.close();
    }
  }

  it("imports the key shares, writes the config, then removes the local keystores", async () => {
    const publicKey = await writeKeystore(1, 0);
    const result = await setup();
    assert.deepEqual(result, { validators: 1, shares: 3, removedFromSigner: 0 });
    assert.deepEqual(lines, [
      "Successfully generated 3 key shares for 1 private key(s)!",
      "Successfully imported 3 key shares into remote signer.",
      "Removed keystores from local filesystem.",
      "Done. Successfully configured operator to use remote signer for 1 public key(s)!",
    ]);
    const config = await readRemoteSignerConfig(configFile);
    const shares = config.get(publicKey);
    assert.ok(shares);
    assert.equal(shares.length, 3);
    for (const share of shares) assert.ok(signer.keys().includes(share));
    assert.ok(
      publicKeySharesConsistent(
        parseHex(publicKey, 48) as Uint8Array,
        shares.map((s) => parseHex(s, 48) as Uint8Array),
        ORACLES.threshold,
      ),
    );
    const posts = signer.requests.filter((r) => r.method === "POST" && r.path === "/eth/v1/keystores");
    assert.ok(posts.length >= 1);
    assert.equal(existsSync(join(keystoresDir, "keystore-m_12381_3600_0_0_0-1.json")), false);
    assert.equal(existsSync(join(keystoresDir, "password.txt")), true);
  });

  it("imports in chunks of 5 keystores", async () => {
    await writeKeystore(2, 0);
    await writeKeystore(3, 1);
    const before = signer.requests.length;
    await setup();
    const posts = signer.requests
      .slice(before)
      .filter((r) => r.method === "POST" && r.path === "/eth/v1/keystores")
      .map((r) => (r.body as { keystores: string[] }).keystores.length);
    assert.deepEqual(posts, [5, 1]);
  });

  it("writes nothing and keeps the keystores when the signer does not list the imported shares", async () => {
    await writeKeystore(4, 0);
    signer.setFault("lose-imports");
    await assert.rejects(setup(), (error: Error) => {
      assert.match(error.message, /does not list 3 of them/);
      assert.match(
        error.message,
        /the remote signer imported 3 of the 3 key shares but no local file was written or removed: running the command again imports new shares in their place \(add --remove-existing-keys to remove the orphaned ones\)$/,
      );
      return true;
    });
    assert.equal(existsSync(configFile), false);
    assert.equal(existsSync(join(keystoresDir, "keystore-m_12381_3600_0_0_0-1.json")), true);
  });

  it("hints --enable-key-manager-api=true when the Keymanager API is off", async () => {
    signer.setFault("no-keymanager");
    await assert.rejects(assertKeymanagerReachable(new SignerApi({ url: signer.url })), (error: Error) => {
      assert.ok(error instanceof UserInputError);
      assert.match(error.message, /--enable-key-manager-api=true/);
      return true;
    });
  });

  it("says the signer is unreachable when it drops connections", async () => {
    signer.setFault("down");
    await assert.rejects(assertKeymanagerReachable(new SignerApi({ url: signer.url })), (error: Error) => {
      assert.ok(error instanceof UserInputError);
      assert.match(
        error.message,
        /cannot reach the remote signer at http:\/\/127\.0\.0\.1:\d+ .*--remote-signer-url/,
      );
      return true;
    });
  });

  it("an import answered with HTTP 500 writes and removes nothing, and may be retried", async () => {
    await writeKeystore(7, 0);
    signer.setFault("error");
    await assert.rejects(setup(), (error: Error) => {
      assert.ok(error instanceof OperatorError);
      assert.equal(error.retryable, true);
      assert.match(
        error.message,
        /importing key shares .* HTTP 500; the remote signer may have imported up to 3 of the 3 key shares but no local file was written or removed/,
      );
      return true;
    });
    assert.equal(existsSync(configFile), false);
    assert.equal(existsSync(join(keystoresDir, "keystore-m_12381_3600_0_0_0-1.json")), true);
  });

  it("keeps the validators an earlier run configured", async () => {
    const earlier = `0x${"a".repeat(96)}` as const;
    const earlierShares = [`0x${"b".repeat(96)}`, `0x${"c".repeat(96)}`, `0x${"d".repeat(96)}`] as const;
    await writeRemoteSignerConfig(configFile, new Map([[earlier, earlierShares]]));
    const publicKey = await writeKeystore(5, 0);
    await setup();
    const config = await readRemoteSignerConfig(configFile);
    assert.deepEqual(config.get(earlier), earlierShares);
    assert.equal(config.get(publicKey)?.length, 3);
  });

  it("with removeExistingKeys deletes the signer keys the config does not use", async () => {
    const stale = signer.addKey(validatorKey(9).toBytes());
    const publicKey = await writeKeystore(6, 0);
    const result = await setup(true);
    assert.ok(result.removedFromSigner >= 1);
    assert.equal(signer.keys().includes(stale), false);
    const config = await readRemoteSignerConfig(configFile);
    assert.deepEqual(new Set(signer.keys()), new Set([...config.values()].flat()));
    assert.ok(config.has(publicKey));
    const text = await readFile(configFile, "utf8");
    assert.match(text, /^\{"pubkeys_to_shares": \{"0x[0-9a-f]{96}": \["0x/);
  });

  /** The signer's API, with `onImport(n)` called before the n-th import request (1-based). */
  function apiWith(onImport: (n: number) => Response | undefined): SignerApi {
    let imports = 0;
    return new SignerApi(
      { url: signer.url },
      {
        fetch: async (input, init) => {
          if (init?.method === "POST" && String(input).endsWith("/eth/v1/keystores")) {
            const answer = onImport(++imports);
            if (answer) return answer;
          }
          return fetch(input, init);
        },
      },
    );
  }

  it("says how many key shares a failed import left in the signer", async () => {
    await writeKeystore(10, 0);
    await writeKeystore(11, 1);
    const api = apiWith((n) => (n === 2 ? new Response("boom", { status: 500 }) : undefined));
    await assert.rejects(setup(false, { api }), (error: Error) => {
      assert.ok(error instanceof OperatorError);
      assert.match(
        error.message,
        /HTTP 500; the remote signer imported 5 \(perhaps up to 6\) of the 6 key shares but no local file was written or removed: running the command again imports new shares in their place \(add --remove-existing-keys to remove the orphaned ones\)/,
      );
      return true;
    });
    assert.equal(existsSync(configFile), false);
    assert.equal(existsSync(join(keystoresDir, "keystore-m_12381_3600_0_0_0-1.json")), true);
  });

  it("an interruption between two imports says how many key shares are in the signer", async () => {
    await writeKeystore(12, 0);
    await writeKeystore(13, 1);
    const controller = new AbortController();
    const interrupt: Partial<RemoteSignerSetupParameters> = {
      signal: controller.signal,
      debug: (line) => {
        if (line.startsWith("imported key shares 1..5")) controller.abort();
      },
    };
    await assert.rejects(setup(false, interrupt), (error: Error) => {
      assert.ok(error instanceof InterruptedError, String(error));
      assert.match(
        error.outcome,
        /^the remote signer imported 5 of the 6 key shares but no local file was written or removed/,
      );
      return true;
    });
    assert.equal(existsSync(configFile), false);
  });

  it("an interruption during an import says its key shares may be in the signer", async () => {
    await writeKeystore(15, 0);
    const controller = new AbortController();
    const api = apiWith(() => {
      controller.abort();
      return undefined;
    });
    await assert.rejects(setup(false, { api, signal: controller.signal }), (error: Error) => {
      assert.ok(error instanceof InterruptedError, String(error));
      assert.match(error.outcome, /^the remote signer may have imported up to 3 of the 3 key shares/);
      return true;
    });
  });

  it("an interruption before any import changed nothing", async () => {
    await writeKeystore(16, 0);
    const controller = new AbortController();
    const interrupt: Partial<RemoteSignerSetupParameters> = {
      signal: controller.signal,
      report: (line) => {
        if (line.startsWith("Successfully generated")) controller.abort();
      },
    };
    const imports = () =>
      signer.requests.filter((r) => r.method === "POST" && r.path === "/eth/v1/keystores").length;
    const before = imports();
    await assert.rejects(setup(false, interrupt), (error: Error) => {
      assert.ok(error instanceof InterruptedError, String(error));
      assert.equal(error.outcome, "nothing was imported, written or removed");
      return true;
    });
    assert.equal(imports(), before);
  });

  it("a keystore it cannot remove after the config is written is one clear error", async () => {
    await writeKeystore(14, 0);
    const keystoreFile = join(keystoresDir, "keystore-m_12381_3600_0_0_0-1.json");
    const report = (line: string) => {
      lines.push(line);
      // rm fails on a (non-empty) directory as it does on EACCES/EPERM; root ignores permissions.
      if (line.startsWith("Successfully imported")) {
        rmSync(keystoreFile);
        mkdirSync(join(keystoreFile, "x"), { recursive: true });
      }
    };
    await assert.rejects(setup(false, { report }), (error: Error) => {
      assert.ok(error instanceof OperatorError);
      assert.match(
        error.message,
        new RegExp(
          `^the key shares are set up in the remote signer and ${configFile} is written, but 1 local keystore file\\(s\\) could not be removed: ${keystoreFile} \\([A-Z_]+\\); remove them by hand$`,
        ),
      );
      return true;
    });
    assert.equal((await readRemoteSignerConfig(configFile)).size, 1);
  });
});
