import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { createKeystore, type KdfParams, serializeKeystore } from "../../crypto/keystore.ts";
import { OperatorError } from "../../lib/errors.ts";
import { InvalidKeystoreError, InvalidKeystorePasswordError, KeystorePasswordFileError } from "./errors.ts";
import { createWorkerKeystoreDecryptor, type KeystoreDecryptor } from "./keystore-decryptor.ts";
import type { IndexedKeystore } from "./keystore-index.ts";
import { LocalKeystores } from "./local-keystores.ts";

const CHEAP: KdfParams = { function: "scrypt", n: 1024, r: 8, p: 1 };
const PASSWORD = "Shared-Password_1";

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "local-keystores-"));
});
after(() => rm(root, { recursive: true, force: true }));

interface TestKey {
  publicKey: `0x${string}`;
  secretKey: SecretKey;
  file: string;
}

let dirCount = 0;
/** A keystores dir with `count` real keystores (cheap scrypt) and a shared password.txt. */
async function keystoresDir(
  count: number,
  kdf: KdfParams = CHEAP,
): Promise<{ dir: string; keys: TestKey[] }> {
  const dir = join(root, `case-${dirCount++}`);
  await mkdir(dir);
  await writeFile(join(dir, "password.txt"), `${PASSWORD}\n`);
  const keys: TestKey[] = [];
  for (let i = 0; i < count; i++) {
    const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(dirCount * 16 + i + 1));
    const publicKeyBytes = secretKey.toPublicKey().toBytes(true);
    const path = `m/12381/3600/${i}/0/0`;
    const keystore = await createKeystore({
      secretKey: secretKey.toBytes(),
      publicKey: publicKeyBytes,
      path,
      password: PASSWORD,
      kdf,
    });
    const file = join(dir, `keystore-m_12381_3600_${i}_0_0-1700000000.json`);
    await writeFile(file, serializeKeystore(keystore));
    keys.push({ publicKey: `0x${Buffer.from(publicKeyBytes).toString("hex")}`, secretKey, file });
  }
  return { dir, keys };
}

/** The real worker decryptor, counting its decryptions. */
function countingDecryptor(): KeystoreDecryptor & { calls: string[] } {
  const inner = createWorkerKeystoreDecryptor({ concurrency: 2 });
  const calls: string[] = [];
  return {
    calls,
    decrypt(entry: IndexedKeystore) {
      calls.push(entry.publicKey);
      return inner.decrypt(entry);
    },
    close: () => inner.close(),
  };
}

function sameKey(a: SecretKey, b: SecretKey): boolean {
  return Buffer.compare(a.toBytes(), b.toBytes()) === 0;
}

describe("LocalKeystores", () => {
  it("indexes without decrypting, then decrypts a key on a worker when asked", async () => {
    const { dir, keys } = await keystoresDir(3);
    const decryptor = countingDecryptor();
    const keystores = await LocalKeystores.load(
      { keystoresDir: dir, passwordFile: join(dir, "password.txt") },
      { decryptor },
    );
    try {
      assert.equal(keystores.size, 3);
      assert.deepEqual(
        keystores.publicKeys(),
        keys.map((k) => k.publicKey),
      );
      assert.equal(decryptor.calls.length, 0, "loading runs no KDF");
      const key = keys[1] as TestKey;
      assert.ok(keystores.has(key.publicKey));
      assert.ok(keystores.has(key.publicKey.slice(2).toUpperCase()));
      assert.ok(!keystores.has(`0x${"00".repeat(48)}`));
      assert.equal(keystores.keystore(key.publicKey)?.index, 1);

      const secretKey = await keystores.getSecretKey(key.publicKey);
      assert.ok(sameKey(secretKey, key.secretKey));
      assert.equal(decryptor.calls.length, 1);
    } finally {
      await keystores.close();
    }
  });

  it("shares one decryption between concurrent callers and serves repeats from the cache", async () => {
    const { dir, keys } = await keystoresDir(1);
    const decryptor = countingDecryptor();
    const keystores = await LocalKeystores.load(
      { keystoresDir: dir, passwordFile: join(dir, "password.txt") },
      { decryptor },
    );
    try {
      const publicKey = (keys[0] as TestKey).publicKey;
      const [a, b] = await Promise.all([
        keystores.getSecretKey(publicKey),
        keystores.getSecretKey(publicKey),
      ]);
      assert.equal(a, b);
      assert.equal(await keystores.getSecretKey(publicKey), a);
      assert.deepEqual(decryptor.calls, [publicKey]);
    } finally {
      await keystores.close();
    }
  });

  it("keeps at most cacheSize keys, evicting the least recently used", async () => {
    const { dir, keys } = await keystoresDir(3);
    const decryptor = countingDecryptor();
    const keystores = await LocalKeystores.load(
      { keystoresDir: dir, passwordFile: join(dir, "password.txt"), cacheSize: 2 },
      { decryptor },
    );
    try {
      const [k0, k1, k2] = keys.map((k) => k.publicKey) as [string, string, string];
      await keystores.getSecretKey(k0);
      await keystores.getSecretKey(k1);
      await keystores.getSecretKey(k0); // k1 is now the least recently used
      await keystores.getSecretKey(k2); // evicts k1
      assert.equal(keystores.cachedCount, 2);
      await keystores.getSecretKey(k0); // cached
      await keystores.getSecretKey(k1); // decrypted again
      assert.deepEqual(decryptor.calls, [k0, k1, k2, k1]);
    } finally {
      await keystores.close();
    }
  });

  it("prefetches up to cacheSize keys", async () => {
    const { dir, keys } = await keystoresDir(3);
    const decryptor = countingDecryptor();
    const keystores = await LocalKeystores.load(
      { keystoresDir: dir, passwordFile: join(dir, "password.txt"), cacheSize: 2 },
      { decryptor },
    );
    try {
      await keystores.prefetch(keys.map((k) => k.publicKey));
      assert.equal(keystores.cachedCount, 2);
      assert.deepEqual(
        decryptor.calls.sort(),
        keys
          .slice(0, 2)
          .map((k) => k.publicKey)
          .sort(),
      );
      await keystores.getSecretKey((keys[0] as TestKey).publicKey);
      assert.equal(decryptor.calls.length, 2);
    } finally {
      await keystores.close();
    }
  });

  it("fails verifyPasswords with the keystore and password file, never the password", async () => {
    const { dir, keys } = await keystoresDir(2);
    const passwordFile = join(dir, "password.txt");
    await writeFile(passwordFile, "Wrong-Password_2\n");
    const keystores = await LocalKeystores.load({ keystoresDir: dir, passwordFile });
    try {
      await assert.rejects(keystores.verifyPasswords(), (error: unknown) => {
        assert.ok(error instanceof InvalidKeystorePasswordError);
        assert.equal(
          error.message,
          `Invalid password for keystore ${(keys[0] as TestKey).file}: check ${passwordFile}`,
        );
        assert.ok(!error.message.includes("Wrong-Password_2"));
        return true;
      });
      await assert.rejects(
        keystores.getSecretKey((keys[1] as TestKey).publicKey),
        InvalidKeystorePasswordError,
      );
      assert.equal(keystores.cachedCount, 0);

      // Fixing the file fixes the next attempt: failures are not cached.
      await writeFile(passwordFile, `  ${PASSWORD}  \n`);
      await keystores.verifyPasswords([(keys[1] as TestKey).publicKey]);
      assert.equal(keystores.cachedCount, 1);
    } finally {
      await keystores.close();
    }
  });

  it("uses a per-keystore password file over the shared one", async () => {
    const { dir, keys } = await keystoresDir(1);
    const key = keys[0] as TestKey;
    await writeFile(join(dir, "password.txt"), "not this one");
    await writeFile(key.file.replace(/\.json$/, ".txt"), PASSWORD);
    const keystores = await LocalKeystores.load({
      keystoresDir: dir,
      passwordFile: join(dir, "password.txt"),
    });
    try {
      await keystores.verifyPasswords();
      assert.ok(sameKey(await keystores.getSecretKey(key.publicKey), key.secretKey));
    } finally {
      await keystores.close();
    }
  });

  it("rejects a keystore whose pubkey field does not match its secret key", async () => {
    const { dir, keys } = await keystoresDir(2);
    const [k0, k1] = keys as [TestKey, TestKey];
    // Swap the pubkey fields: each file now claims the other's key.
    const { readFile } = await import("node:fs/promises");
    const j0 = JSON.parse(await readFile(k0.file, "utf8")) as { pubkey: string };
    const j1 = JSON.parse(await readFile(k1.file, "utf8")) as { pubkey: string };
    [j0.pubkey, j1.pubkey] = [j1.pubkey, j0.pubkey];
    await writeFile(k0.file, JSON.stringify(j0));
    await writeFile(k1.file, JSON.stringify(j1));
    const keystores = await LocalKeystores.load({
      keystoresDir: dir,
      passwordFile: join(dir, "password.txt"),
    });
    try {
      await assert.rejects(keystores.getSecretKey(k1.publicKey), (error: unknown) => {
        assert.ok(error instanceof InvalidKeystoreError);
        assert.equal(error.file, k0.file);
        assert.match(
          error.message,
          new RegExp(`its "pubkey" field says ${k1.publicKey} but its secret key belongs to ${k0.publicKey}`),
        );
        return true;
      });
    } finally {
      await keystores.close();
    }
  });

  it("reports a keystore or password file that vanished after startup", async () => {
    const { dir, keys } = await keystoresDir(2);
    const keystores = await LocalKeystores.load({
      keystoresDir: dir,
      passwordFile: join(dir, "password.txt"),
    });
    try {
      await rm((keys[0] as TestKey).file);
      await assert.rejects(
        keystores.getSecretKey((keys[0] as TestKey).publicKey),
        /Invalid keystore format: .* \(cannot be read: ENOENT\)/,
      );
      await rm(join(dir, "password.txt"));
      await assert.rejects(keystores.getSecretKey((keys[1] as TestKey).publicKey), (error: unknown) => {
        assert.ok(error instanceof KeystorePasswordFileError);
        assert.match(error.message, /cannot read password file .*password\.txt for keystore .* \(ENOENT\)/);
        return true;
      });
    } finally {
      await keystores.close();
    }
  });

  it("rejects an unknown public key, and every call after close", async () => {
    const { dir, keys } = await keystoresDir(1);
    const keystores = await LocalKeystores.load({
      keystoresDir: dir,
      passwordFile: join(dir, "password.txt"),
    });
    await assert.rejects(
      keystores.getSecretKey(`0x${"11".repeat(48)}`),
      (error: unknown) =>
        error instanceof OperatorError && /no keystore for public key 0x1111/.test(error.message),
    );
    await keystores.close();
    await assert.rejects(keystores.getSecretKey((keys[0] as TestKey).publicKey), /closed/);
  });

  it("keeps the event loop running while a keystore decrypts", async () => {
    // n = 2^15 takes ~100 ms of scrypt: long enough to see timer ticks during the decryption.
    const { dir, keys } = await keystoresDir(1, { function: "scrypt", n: 2 ** 15, r: 8, p: 1 });
    const keystores = await LocalKeystores.load({
      keystoresDir: dir,
      passwordFile: join(dir, "password.txt"),
    });
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const started = performance.now();
      await keystores.getSecretKey((keys[0] as TestKey).publicKey);
      const elapsed = performance.now() - started;
      clearInterval(timer);
      assert.ok(ticks >= Math.floor(elapsed / 5 / 4), `${ticks} ticks in ${elapsed.toFixed(0)} ms`);
    } finally {
      await keystores.close();
    }
  });
});
