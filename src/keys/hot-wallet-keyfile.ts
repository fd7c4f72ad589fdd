import { createDecipheriv, pbkdf2, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { privateKeyToAddress } from "viem/accounts";
import type { HotWalletKey } from "./hot-wallet.ts";

/**
 * Web3 Secret Storage v3 decryption (spec §2.5). The keyfile is written by @ethereumjs/wallet
 * (`encryptHotWallet`), but `start` reads it with this, on a short-lived worker thread
 * (hot-wallet-worker.ts): loading @ethereumjs/wallet costs the service ~40 MiB of code for good,
 * and scrypt's memory (256 MiB for n = 2^18, r = 8) goes with the worker when it exits.
 * Parameters RFC 7914 allows (every keyfile create-wallet writes) go to OpenSSL's scrypt, about
 * twice as fast as JavaScript's; eth_account's r = 1 with n = 2^18, which OpenSSL refuses, goes to
 * @noble/hashes. hot-wallet-keyfile.test.ts checks it against the definition's published vectors
 * and against keyfiles written by @ethereumjs/wallet.
 */

export class KeyfileError extends Error {
  override name = "KeyfileError";
}

/** The password does not open the keyfile (its MAC does not match). */
export class KeyfilePasswordError extends KeyfileError {
  override name = "KeyfilePasswordError";
}

const pbkdf2Async = promisify(pbkdf2);
const opensslScrypt = promisify(scrypt) as (
  password: Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** scrypt needs 128·r·N bytes (plus OpenSSL's slack); refuse anything above 1 GiB. */
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

function hexField(object: Record<string, unknown>, field: string, where: string): Buffer {
  const value = object[field];
  if (typeof value !== "string" || !/^(0x)?([0-9a-fA-F]{2})*$/.test(value)) {
    throw new KeyfileError(`"${where}.${field}" is not hex`);
  }
  return Buffer.from(value.replace(/^0x/, ""), "hex");
}

function intField(object: Record<string, unknown>, field: string): number {
  const value = object[field];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new KeyfileError(`"crypto.kdfparams.${field}" is not a positive integer`);
  }
  return value;
}

function objectField(object: Record<string, unknown>, field: string, where: string): Record<string, unknown> {
  const value = object[field];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new KeyfileError(`no "${where}${field}" object`);
  }
  return value as Record<string, unknown>;
}

async function deriveKey(crypto: Record<string, unknown>, password: Buffer): Promise<Buffer> {
  const params = objectField(crypto, "kdfparams", "crypto.");
  const salt = hexField(params, "salt", "crypto.kdfparams");
  const dklen = intField(params, "dklen");
  if (dklen < 32) throw new KeyfileError(`"crypto.kdfparams.dklen" ${dklen} is below 32`);
  if (crypto.kdf === "scrypt") {
    const N = intField(params, "n");
    const r = intField(params, "r");
    const p = intField(params, "p");
    if (128 * r * N > MAX_SCRYPT_MEMORY) throw new KeyfileError("the scrypt parameters need more than 1 GiB");
    // OpenSSL's scrypt refuses N ≥ 2^(16·r) (RFC 7914), i.e. eth_account's n = 2^18 with r = 1.
    if (N < 2 ** (16 * r)) {
      return opensslScrypt(password, salt, dklen, { N, r, p, maxmem: MAX_SCRYPT_MEMORY + 1024 * 1024 }).catch(
        (error: unknown) => {
          throw new KeyfileError(`the scrypt parameters are invalid (${(error as Error).message})`);
        },
      );
    }
    const key = await scryptAsync(password, salt, {
      N,
      r,
      p,
      dkLen: dklen,
      maxmem: MAX_SCRYPT_MEMORY + 1024,
    });
    return Buffer.from(key);
  }
  if (crypto.kdf === "pbkdf2") {
    if (params.prf !== "hmac-sha256") throw new KeyfileError(`"crypto.kdfparams.prf" is not hmac-sha256`);
    return pbkdf2Async(password, salt, intField(params, "c"), dklen, "sha256");
  }
  throw new KeyfileError(`"crypto.kdf" ${JSON.stringify(crypto.kdf)} is neither scrypt nor pbkdf2`);
}

/** Decrypts a v3 keyfile's private key. Throws KeyfilePasswordError on a wrong password. */
export async function decryptV3Keyfile(keyfileText: string, password: string): Promise<HotWalletKey> {
  let json: unknown;
  try {
    json = JSON.parse(keyfileText);
  } catch {
    throw new KeyfileError("not valid JSON");
  }
  if (typeof json !== "object" || json === null) throw new KeyfileError("not a JSON object");
  const keyfile = json as Record<string, unknown>;
  if (keyfile.version !== 3) throw new KeyfileError(`"version" is not 3`);
  const crypto = objectField(keyfile, keyfile.crypto === undefined ? "Crypto" : "crypto", "");
  if (crypto.cipher !== "aes-128-ctr") throw new KeyfileError(`"crypto.cipher" is not aes-128-ctr`);
  const ciphertext = hexField(crypto, "ciphertext", "crypto");
  const mac = hexField(crypto, "mac", "crypto");
  const iv = hexField(objectField(crypto, "cipherparams", "crypto."), "iv", "crypto.cipherparams");
  if (iv.length !== 16) throw new KeyfileError(`"crypto.cipherparams.iv" is not 16 bytes`);

  const derived = await deriveKey(crypto, Buffer.from(password, "utf8"));
  try {
    const expected = keccak_256(Buffer.concat([derived.subarray(16, 32), ciphertext]));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
      throw new KeyfilePasswordError("wrong password");
    }
    const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
    const privateKey = new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
    if (privateKey.length !== 32) throw new KeyfileError("the decrypted key is not 32 bytes");
    const address = privateKeyToAddress(`0x${Buffer.from(privateKey).toString("hex")}`);
    return { privateKey, address };
  } finally {
    derived.fill(0);
  }
}
