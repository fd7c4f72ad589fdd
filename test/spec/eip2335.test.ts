/**
 * EIP-2335 keystores: the EIP's scrypt and pbkdf2 vectors (test/vectors/eip2335.json), our
 * keystores checked by an independent decryptor written here from the EIP text, the file format
 * of the deposit CLI, and the deposit CLI's own keystores (test/vectors/deposit-cli/).
 *
 * Scrypt with n = 2^18 costs about a second per run, so the suite runs it only a handful of times.
 */
import assert from "node:assert/strict";
import { createDecipheriv, createHash, pbkdf2Sync, scrypt } from "node:crypto";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { SecretKey } from "@chainsafe/blst";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import {
  createKeystore,
  DEPOSIT_CLI_SCRYPT,
  decryptKeystore,
  isKeystore,
  type KdfParams,
  type Keystore,
  serializeKeystore,
} from "../../src/crypto/keystore.ts";
import { mnemonicToSeed, parseMnemonic } from "../../src/crypto/mnemonic.ts";
import {
  bytesHex,
  DEPOSIT_CLI_MNEMONIC,
  DEPOSIT_CLI_PASSWORD,
  hexBytes,
  listVectorFiles,
  readVectorJson,
  readVectorText,
} from "./vectors.ts";

interface Eip2335Vector {
  name: "scrypt" | "pbkdf2";
  password: string;
  password_codepoints: string[];
  encoded_password_hex: string;
  secret_hex: string;
  keystore: Keystore;
}

const eipVectors = readVectorJson<{ vectors: Eip2335Vector[] }>("eip2335.json").vectors;

// ---------------------------------------------------------------------------------------------
// An independent EIP-2335 decryptor, from the EIP text, on node:crypto only.
// ---------------------------------------------------------------------------------------------

const scryptAsync = promisify(scrypt) as (
  password: Uint8Array,
  salt: Uint8Array,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** NFKD, then drop the C0 (0x00-0x1F), DEL (0x7F) and C1 (0x80-0x9F) control codes, then UTF-8. */
function eip2335Password(password: string): Buffer {
  const kept = [...password.normalize("NFKD")].filter((char) => {
    const cp = char.codePointAt(0) as number;
    return !(cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f));
  });
  return Buffer.from(kept.join(""), "utf8");
}

/** Decrypts keystore JSON (as parsed from the file) the way the EIP describes it. */
async function referenceDecrypt(keystore: Keystore, password: string): Promise<Buffer> {
  const { kdf, checksum, cipher } = keystore.crypto;
  const pw = eip2335Password(password);
  const salt = hexBytes(kdf.params.salt);
  let dk: Buffer;
  if (kdf.function === "scrypt") {
    const { n, r, p, dklen } = kdf.params;
    dk = await scryptAsync(pw, salt, dklen, { N: n, r, p, maxmem: 256 * n * r * p + 2 ** 24 });
  } else {
    assert.equal(kdf.params.prf, "hmac-sha256");
    dk = pbkdf2Sync(pw, salt, kdf.params.c, kdf.params.dklen, "sha256");
  }
  assert.equal(dk.length, 32);
  assert.equal(checksum.function, "sha256");
  assert.equal(cipher.function, "aes-128-ctr");
  const ciphertext = hexBytes(cipher.message);
  const sum = createHash("sha256").update(dk.subarray(16, 32)).update(ciphertext).digest();
  if (bytesHex(sum) !== checksum.message.toLowerCase()) throw new Error("checksum mismatch: wrong password");
  const decipher = createDecipheriv("aes-128-ctr", dk.subarray(0, 16), hexBytes(cipher.params.iv));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** Python's json.dumps with default settings (", " / ": " separators, ASCII only). */
function pythonDumps(value: unknown): string {
  if (value === null || typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "string") {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pythonDumps(k)}: ${pythonDumps(v)}`).join(", ")}}`;
}

/** Every key path of a JSON value in document order: "crypto", "crypto.kdf", ... */
function keyOrder(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return [path, ...keyOrder(v, path)];
  });
}

const CHEAP_SCRYPT: KdfParams = { function: "scrypt", n: 2 ** 10, r: 8, p: 1 };
const CHEAP_PBKDF2: KdfParams = { function: "pbkdf2", c: 2 ** 10 };

/** A keystore made by our code for validator 0 of the deposit CLI mnemonic. */
async function ourKeystore(kdf: KdfParams, password = "our-test-password") {
  const key = deriveValidatorKey(mnemonicToSeed(parseMnemonic(DEPOSIT_CLI_MNEMONIC)), 0);
  const secret = key.secretKey.toBytes();
  const keystore = await createKeystore({
    secretKey: secret,
    publicKey: key.publicKey,
    path: key.path,
    password,
    kdf,
  });
  return { key, secret, keystore, password };
}

// ---------------------------------------------------------------------------------------------

describe("EIP-2335 vectors", () => {
  for (const v of eipVectors) {
    describe(v.name, () => {
      it("the password normalises to the vector's encoding", () => {
        assert.deepEqual(
          [...v.password].map((c) => `0x${(c.codePointAt(0) as number).toString(16)}`),
          v.password_codepoints,
        );
        assert.equal(bytesHex(eip2335Password(v.password)), v.encoded_password_hex);
      });

      it("is a keystore whose pubkey belongs to the secret", () => {
        assert.ok(isKeystore(v.keystore));
        assert.equal(v.keystore.crypto.kdf.function, v.name);
        const pubkey = SecretKey.fromBytes(hexBytes(v.secret_hex)).toPublicKey().toBytes(true);
        assert.equal(bytesHex(pubkey), v.keystore.pubkey);
      });

      it("decryptKeystore returns the secret", async () => {
        assert.equal(bytesHex(await decryptKeystore(v.keystore, v.password)), v.secret_hex);
      });

      it("decryptKeystore rejects a wrong password", async () => {
        await assert.rejects(decryptKeystore(v.keystore, "testpassword"));
      });

      it("the reference decryptor written from the EIP text returns the secret", async () => {
        assert.equal(bytesHex(await referenceDecrypt(v.keystore, v.password)), v.secret_hex);
      });
    });
  }
});

describe("our keystores decrypt with the reference decryptor", () => {
  it("cheap scrypt (n = 2^10)", async () => {
    const { secret, keystore, password, key } = await ourKeystore(CHEAP_SCRYPT);
    const parsed = JSON.parse(serializeKeystore(keystore)) as Keystore;
    assert.deepEqual(parsed.crypto.kdf.params, {
      ...parsed.crypto.kdf.params,
      n: 1024,
      r: 8,
      p: 1,
      dklen: 32,
    });
    assert.equal(bytesHex(await referenceDecrypt(parsed, password)), bytesHex(secret));
    await assert.rejects(referenceDecrypt(parsed, `${password}x`), /checksum mismatch/);
    assert.equal(bytesHex(await decryptKeystore(parsed, password)), bytesHex(secret));
    await assert.rejects(decryptKeystore(parsed, `${password}x`));
    assert.equal(parsed.pubkey, bytesHex(key.publicKey));
    assert.equal(parsed.path, "m/12381/3600/0/0/0");
    assert.equal(parsed.version, 4);
    assert.equal(parsed.description, "");
    assert.match(parsed.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(parsed.crypto.kdf.params.salt, /^[0-9a-f]{64}$/);
    assert.match(parsed.crypto.cipher.params.iv, /^[0-9a-f]{32}$/);
  });

  it("cheap pbkdf2 (c = 2^10)", async () => {
    const { secret, keystore, password } = await ourKeystore(CHEAP_PBKDF2);
    const parsed = JSON.parse(serializeKeystore(keystore)) as Keystore;
    assert.equal(parsed.crypto.kdf.function, "pbkdf2");
    assert.equal(bytesHex(await referenceDecrypt(parsed, password)), bytesHex(secret));
  });

  it("the deposit CLI's scrypt parameters (n = 2^18, r = 8, p = 1)", async () => {
    assert.deepEqual(DEPOSIT_CLI_SCRYPT, { function: "scrypt", n: 262144, r: 8, p: 1 });
    const { secret, keystore, password } = await ourKeystore(DEPOSIT_CLI_SCRYPT);
    const parsed = JSON.parse(serializeKeystore(keystore)) as Keystore;
    assert.equal(bytesHex(await referenceDecrypt(parsed, password)), bytesHex(secret));
  });

  it("a password with control characters is normalised (EIP-2335 password requirements)", async () => {
    // "Å" as A + combining ring (NFKD form of U+212B ANGSTROM SIGN), with C0, DEL and C1 codes mixed in.
    const typed = "\u212Bpass\u0000wo\u007Frd\u0085\u009F\t";
    const { secret, keystore } = await ourKeystore(CHEAP_SCRYPT, typed);
    assert.equal(bytesHex(eip2335Password(typed)), bytesHex(Buffer.from("A\u030Apassword", "utf8")));
    assert.equal(bytesHex(await referenceDecrypt(keystore, typed)), bytesHex(secret));
    assert.equal(bytesHex(await decryptKeystore(keystore, "A\u030Apassword")), bytesHex(secret));
  });

  it("every keystore gets a fresh salt, IV and uuid", async () => {
    const a = (await ourKeystore(CHEAP_SCRYPT)).keystore;
    const b = (await ourKeystore(CHEAP_SCRYPT)).keystore;
    assert.notEqual(a.crypto.kdf.params.salt, b.crypto.kdf.params.salt);
    assert.notEqual(a.crypto.cipher.params.iv, b.crypto.cipher.params.iv);
    assert.notEqual(a.uuid, b.uuid);
  });
});

describe("serializeKeystore writes the deposit CLI's file format", () => {
  const cliScrypt = readVectorText("deposit-cli/mainnet-scrypt/keystore-m_12381_3600_0_0_0-1795305052.json");
  const cliPbkdf2 = readVectorText(
    "deposit-cli/mainnet-start2-pbkdf2/keystore-m_12381_3600_2_0_0-1795305060.json",
  );

  it("the test's json.dumps model reproduces the deposit CLI files byte for byte", () => {
    assert.equal(pythonDumps(JSON.parse(cliScrypt)), cliScrypt);
    assert.equal(pythonDumps(JSON.parse(cliPbkdf2)), cliPbkdf2);
  });

  for (const [name, kdf, cliText] of [
    ["scrypt", CHEAP_SCRYPT, cliScrypt],
    ["pbkdf2", CHEAP_PBKDF2, cliPbkdf2],
  ] as const) {
    it(`${name}: valid JSON, the CLI's key order and separators`, async () => {
      const text = serializeKeystore((await ourKeystore(kdf)).keystore);
      const parsed: unknown = JSON.parse(text);
      assert.ok(isKeystore(parsed));
      assert.deepEqual(Object.keys(parsed), ["crypto", "description", "pubkey", "path", "uuid", "version"]);
      assert.deepEqual(keyOrder(parsed), keyOrder(JSON.parse(cliText)));
      assert.equal(text, pythonDumps(parsed));
    });
  }
});

describe("the deposit CLI's keystores", () => {
  const seed = mnemonicToSeed(parseMnemonic(DEPOSIT_CLI_MNEMONIC));
  const folders = [
    { folder: "mainnet-scrypt", kdf: "scrypt", indexes: [0, 1, 2, 3] },
    { folder: "hoodi-scrypt", kdf: "scrypt", indexes: [0, 1, 2, 3] },
    { folder: "mainnet-start2-pbkdf2", kdf: "pbkdf2", indexes: [2, 3] },
  ] as const;
  // Decrypting scrypt (n = 2^18) is slow: decrypt two of the eight scrypt keystores, and all pbkdf2 ones.
  const decrypt = new Set([
    "mainnet-scrypt/0",
    "hoodi-scrypt/1",
    "mainnet-start2-pbkdf2/2",
    "mainnet-start2-pbkdf2/3",
  ]);

  for (const { folder, kdf, indexes } of folders) {
    const files = listVectorFiles(`deposit-cli/${folder}/`, /^keystore-.*\.json$/);
    it(`${folder} has keystores for validators ${indexes.join(", ")}`, () => {
      assert.deepEqual(
        files.map((f) => Number(/^keystore-m_12381_3600_(\d+)_0_0-\d+\.json$/.exec(f)?.[1])),
        indexes,
      );
    });

    for (const [i, file] of files.entries()) {
      const index = indexes[i] as number;
      const text = readVectorText(`deposit-cli/${folder}/${file}`);
      const keystore = JSON.parse(text) as Keystore;

      it(`${folder} validator ${index}: pubkey and path are the derived key's`, () => {
        assert.ok(isKeystore(keystore));
        const key = deriveValidatorKey(seed, index);
        assert.equal(keystore.pubkey, bytesHex(key.publicKey));
        assert.equal(keystore.path, key.path);
        assert.equal(keystore.crypto.kdf.function, kdf);
        if (keystore.crypto.kdf.function === "scrypt") {
          const { n, r, p, dklen } = keystore.crypto.kdf.params;
          assert.deepEqual({ n, r, p, dklen }, { n: 262144, r: 8, p: 1, dklen: 32 });
        }
      });

      if (decrypt.has(`${folder}/${index}`)) {
        it(`${folder} validator ${index}: decryptKeystore gives the secret of the derived key`, async () => {
          const secret = await decryptKeystore(keystore, DEPOSIT_CLI_PASSWORD);
          const pubkey = SecretKey.fromBytes(secret).toPublicKey().toBytes(true);
          assert.equal(bytesHex(pubkey), keystore.pubkey);
          assert.equal(bytesHex(pubkey), bytesHex(deriveValidatorKey(seed, index).publicKey));
          assert.equal(bytesHex(secret), bytesHex(deriveValidatorKey(seed, index).secretKey.toBytes()));
        });
      }
    }
  }
});
