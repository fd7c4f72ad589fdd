import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { createKeystore, type Keystore, serializeKeystore } from "../../crypto/keystore.ts";
import { UserInputError } from "../../lib/errors.ts";
import { DuplicateKeystoreError, InvalidKeystoreError, KeystorePasswordFileError } from "./errors.ts";
import { eip2334AccountIndex, indexKeystores, normalizePublicKey } from "./keystore-index.ts";

let root: string;
let template: Keystore;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "keystore-index-"));
  const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(1));
  template = await createKeystore({
    secretKey: secretKey.toBytes(),
    publicKey: secretKey.toPublicKey().toBytes(true),
    path: "m/12381/3600/0/0/0",
    password: "password",
    kdf: { function: "scrypt", n: 1024, r: 8, p: 1 },
  });
});
after(() => rm(root, { recursive: true, force: true }));

let dirCount = 0;
async function freshDir(): Promise<string> {
  const dir = join(root, `case-${dirCount++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A copy of the template keystore with another public key (the index never decrypts). */
async function writeKeystore(dir: string, index: number, publicKey = randomBytes(48).toString("hex")) {
  const file = join(dir, `keystore-m_12381_3600_${index}_0_0-1700000000.json`);
  await writeFile(
    file,
    serializeKeystore({ ...template, pubkey: publicKey, path: `m/12381/3600/${index}/0/0` }),
  );
  return { file, publicKey: `0x${publicKey}` };
}

describe("indexKeystores", () => {
  it("finds keystores recursively, sorts them by derivation index and skips other files", async () => {
    const dir = await freshDir();
    await mkdir(join(dir, "nested"));
    const k2 = await writeKeystore(dir, 2);
    const k0 = await writeKeystore(join(dir, "nested"), 0);
    const k10 = await writeKeystore(dir, 10);
    await writeFile(join(dir, "password.txt"), "secret\n");
    await writeFile(join(dir, "deposit_data.json"), "[]");
    await writeFile(join(dir, "keystore-notes.txt"), "not a keystore");

    const index = await indexKeystores({ keystoresDir: dir, passwordFile: join(dir, "password.txt") });
    assert.equal(index.size, 3);
    assert.deepEqual(
      index.entries.map((e) => [e.publicKey, e.file, e.index]),
      [
        [k0.publicKey, k0.file, 0],
        [k2.publicKey, k2.file, 2],
        [k10.publicKey, k10.file, 10],
      ],
    );
    assert.equal(index.get(k2.publicKey.toUpperCase().replace("0X", "0x"))?.file, k2.file);
    assert.equal(index.get(k2.publicKey.slice(2))?.file, k2.file);
    assert.equal(index.get(Buffer.from(k2.publicKey.slice(2), "hex"))?.file, k2.file);
    assert.equal(index.get("0x1234"), undefined);
  });

  it("looks passwords up in KEYSTORES_PASSWORD_DIR, then beside the keystore, then the shared file", async () => {
    const dir = await freshDir();
    const passwordDir = await freshDir();
    const shared = join(dir, "password.txt");
    await writeFile(shared, "shared");
    const inPasswordDir = await writeKeystore(dir, 0);
    const beside = await writeKeystore(dir, 1);
    const both = await writeKeystore(dir, 2);
    const none = await writeKeystore(dir, 3);
    const txt = (file: string) => file.replace(/\.json$/, ".txt");
    const name = (file: string) => txt(file).slice(dir.length + 1);
    await writeFile(join(passwordDir, name(inPasswordDir.file)), "a");
    await writeFile(txt(beside.file), "b");
    await writeFile(join(passwordDir, name(both.file)), "c");
    await writeFile(txt(both.file), "d");

    const index = await indexKeystores({ keystoresDir: dir, passwordFile: shared, passwordDir });
    assert.equal(
      index.get(inPasswordDir.publicKey)?.passwordFile,
      join(passwordDir, name(inPasswordDir.file)),
    );
    assert.equal(index.get(beside.publicKey)?.passwordFile, txt(beside.file));
    assert.equal(index.get(both.publicKey)?.passwordFile, join(passwordDir, name(both.file)));
    assert.equal(index.get(none.publicKey)?.passwordFile, shared);
  });

  it("does not need the shared password file when every keystore has its own", async () => {
    const dir = await freshDir();
    const { file } = await writeKeystore(dir, 0);
    await writeFile(file.replace(/\.json$/, ".txt"), "own");
    const index = await indexKeystores({ keystoresDir: dir, passwordFile: join(dir, "password.txt") });
    assert.equal(index.size, 1);
  });

  it("names the keystore and the fix when no password file applies", async () => {
    const dir = await freshDir();
    const { file } = await writeKeystore(dir, 0);
    await writeKeystore(dir, 1);
    await assert.rejects(
      indexKeystores({ keystoresDir: dir, passwordFile: join(dir, "password.txt") }),
      (error: unknown) => {
        assert.ok(error instanceof KeystorePasswordFileError);
        assert.match(
          error.message,
          new RegExp(`no password file for keystore ${file} and 1 other keystores`),
        );
        assert.match(error.message, /create .*password\.txt/);
        assert.match(error.message, /KEYSTORES_PASSWORD_DIR/);
        return true;
      },
    );
  });

  it("rejects a malformed keystore with its file name", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "password.txt"), "x");
    await writeKeystore(dir, 0);
    const broken = join(dir, "keystore-broken.json");
    await writeFile(broken, "{ not json");
    await assert.rejects(
      indexKeystores({ keystoresDir: dir, passwordFile: join(dir, "password.txt") }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidKeystoreError);
        assert.equal(error.file, broken);
        assert.match(error.message, new RegExp(`^Invalid keystore format: ${broken} \\(not valid JSON\\)`));
        return true;
      },
    );
  });

  it("rejects JSON that is not an EIP-2335 keystore, or one without a pubkey", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "password.txt"), "x");
    await writeFile(join(dir, "keystore-wrong.json"), JSON.stringify({ crypto: {}, version: 4 }));
    await assert.rejects(
      indexKeystores({ keystoresDir: dir, passwordFile: join(dir, "password.txt") }),
      /Invalid keystore format: .*keystore-wrong\.json \(does not match the EIP-2335 keystore schema\)/,
    );

    const dir2 = await freshDir();
    await writeFile(join(dir2, "password.txt"), "x");
    const { pubkey: _pubkey, ...withoutPubkey } = template;
    await writeFile(join(dir2, "keystore-nopubkey.json"), JSON.stringify(withoutPubkey));
    await assert.rejects(
      indexKeystores({ keystoresDir: dir2, passwordFile: join(dir2, "password.txt") }),
      /Invalid keystore format: .*keystore-nopubkey\.json \(has no "pubkey" field\)/,
    );
  });

  it("rejects two files with the same public key, naming both", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "password.txt"), "x");
    const publicKey = randomBytes(48).toString("hex");
    const a = await writeKeystore(dir, 0, publicKey);
    const b = await writeKeystore(dir, 1, publicKey.toUpperCase());
    await assert.rejects(
      indexKeystores({ keystoresDir: dir, passwordFile: join(dir, "password.txt") }),
      (error: unknown) => {
        assert.ok(error instanceof DuplicateKeystoreError);
        assert.ok(error.message.includes(a.file) && error.message.includes(b.file), error.message);
        assert.match(error.message, /remove one of the two files/);
        return true;
      },
    );
  });

  it("explains a missing or empty keystores dir and a missing password dir", async () => {
    await assert.rejects(
      indexKeystores({ keystoresDir: join(root, "missing"), passwordFile: "p.txt" }),
      (error: unknown) =>
        error instanceof UserInputError && /does not exist: run "operator create-keys"/.test(error.message),
    );
    const empty = await freshDir();
    await assert.rejects(
      indexKeystores({ keystoresDir: empty, passwordFile: "p.txt" }),
      /no keystore files \(keystore\*\.json\) in /,
    );
    const dir = await freshDir();
    await writeKeystore(dir, 0);
    await assert.rejects(
      indexKeystores({ keystoresDir: dir, passwordFile: "p.txt", passwordDir: join(root, "nowhere") }),
      /keystores password dir .*nowhere does not exist: fix KEYSTORES_PASSWORD_DIR/,
    );
  });
});

describe("eip2334AccountIndex", () => {
  it("parses the account index of m/12381/3600/i/0/0 only", () => {
    assert.equal(eip2334AccountIndex("m/12381/3600/0/0/0"), 0);
    assert.equal(eip2334AccountIndex("m/12381/3600/4294967295/0/0"), 4294967295);
    assert.equal(eip2334AccountIndex("m/12381/3600/4294967296/0/0"), undefined);
    assert.equal(eip2334AccountIndex("m/12381/3600/1/0"), undefined);
    assert.equal(eip2334AccountIndex(""), undefined);
  });
});

describe("normalizePublicKey", () => {
  it("accepts bytes and hex with or without 0x, in any case", () => {
    const hex = "ab".repeat(48);
    assert.equal(normalizePublicKey(`0x${hex.toUpperCase()}`), `0x${hex}`);
    assert.equal(normalizePublicKey(hex), `0x${hex}`);
    assert.equal(normalizePublicKey(new Uint8Array(48).fill(0xab)), `0x${hex}`);
    assert.equal(normalizePublicKey(new Uint8Array(47)), undefined);
    assert.equal(normalizePublicKey(`0x${hex}0`), undefined);
  });
});
