import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { create } from "@chainsafe/bls-keystore";
import { ssvKeysVectorOperators } from "../../../test/support/ssv-operator.ts";
import { OperatorPrivateKeyError } from "./errors.ts";
import { operatorKeyMatches, readOperatorPrivateKey } from "./operator-private-key.ts";

const dir = await mkdtemp(join(tmpdir(), "ssv-operator-key-"));
after(() => rm(dir, { recursive: true, force: true }));
const [operator, other] = await ssvKeysVectorOperators([5n, 6n]);
if (!operator || !other) throw new Error("no vector operators");
const pem = operator.privateKey.export({ type: "pkcs1", format: "pem" }).toString();

/** An SSV node's encrypted_private_key.json: EIP-2335's crypto at the top level, plus pubKey. */
async function encryptedKeyFile(name: string, password: string, pubKey: string): Promise<string> {
  const keystore = await create(password, new TextEncoder().encode(pem), new Uint8Array(), "", "", {
    function: "pbkdf2",
    params: { dklen: 32, c: 16, prf: "hmac-sha256", salt: "aa".repeat(32) },
  });
  const file = join(dir, name);
  await writeFile(file, JSON.stringify({ ...keystore.crypto, pubKey }));
  return file;
}

async function textFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

describe("readOperatorPrivateKey", () => {
  it("reads a PEM file and a base64 PEM file", async () => {
    for (const text of [pem, Buffer.from(pem).toString("base64")]) {
      const key = await readOperatorPrivateKey({ keyFile: await textFile("plain.pem", text) });
      assert.ok(operatorKeyMatches(key, operator.registryPublicKey, 5n));
      assert.ok(!operatorKeyMatches(key, other.registryPublicKey, 6n));
    }
  });

  it("decrypts an SSV node's encrypted key file with its password file", async () => {
    const keyFile = await encryptedKeyFile("enc.json", "secret pass", operator.registryPublicKey);
    const passwordFile = await textFile("password.txt", "secret pass\n");
    const key = await readOperatorPrivateKey({ keyFile, passwordFile });
    assert.ok(operatorKeyMatches(key, operator.registryPublicKey, 5n));
  });

  it("says what is wrong in one line naming the file", async () => {
    const keyFile = await encryptedKeyFile("enc2.json", "secret pass", operator.registryPublicKey);
    const mismatched = await encryptedKeyFile("enc3.json", "secret pass", other.registryPublicKey);
    const wrong = await textFile("wrong.txt", "not it");
    const right = await textFile("right.txt", "secret pass");
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    const cases: [Parameters<typeof readOperatorPrivateKey>[0], RegExp][] = [
      [{ keyFile }, /enc2\.json is encrypted: pass its password file with --ssv-operator-password-file/],
      [{ keyFile, passwordFile: wrong }, /does not decrypt with .*wrong\.txt: wrong password file\?/],
      [
        { keyFile, passwordFile: join(dir, "missing.txt") },
        /SSV operator password file .*missing\.txt cannot be read \(ENOENT\)/,
      ],
      [
        { keyFile: mismatched, passwordFile: right },
        /enc3\.json: the decrypted private key does not match its pubKey/,
      ],
      [{ keyFile: await textFile("junk.txt", "hello") }, /junk\.txt is neither a PEM RSA private key/],
      [{ keyFile: await textFile("small.pem", small.toString()) }, /small\.pem holds a 1024-bit rsa key/],
    ];
    for (const [params, message] of cases) {
      await assert.rejects(readOperatorPrivateKey(params), (error: unknown) => {
        assert.ok(error instanceof OperatorPrivateKeyError);
        assert.match(error.message, message);
        assert.ok(!error.message.includes("\n"));
        return true;
      });
    }
  });
});
