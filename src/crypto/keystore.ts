import { randomBytes } from "node:crypto";
import { create, decrypt, type IKeystore, isValidKeystore } from "@chainsafe/bls-keystore";
import { toPythonJson } from "../lib/python-json.ts";

/** EIP-2335 keystore JSON, as every consensus client and the staking deposit CLI read it. */
export type Keystore = IKeystore;

export type KdfParams =
  | { function: "scrypt"; n: number; r: number; p: number }
  | { function: "pbkdf2"; c: number };

/** The staking deposit CLI's scrypt parameters (n = 2^18, r = 8, p = 1). */
export const DEPOSIT_CLI_SCRYPT: KdfParams = { function: "scrypt", n: 2 ** 18, r: 8, p: 1 };

export interface CreateKeystoreParameters {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  path: string;
  password: string;
  kdf?: KdfParams;
}

/** Encrypts a BLS secret key into an EIP-2335 keystore with fresh salt, IV and uuid. */
export async function createKeystore(params: CreateKeystoreParameters): Promise<Keystore> {
  const kdf = params.kdf ?? DEPOSIT_CLI_SCRYPT;
  const salt = randomBytes(32).toString("hex");
  const kdfModule =
    kdf.function === "scrypt"
      ? { function: "scrypt" as const, params: { dklen: 32, n: kdf.n, r: kdf.r, p: kdf.p, salt } }
      : { function: "pbkdf2" as const, params: { dklen: 32, c: kdf.c, prf: "hmac-sha256" as const, salt } };
  const keystore = await create(
    params.password,
    params.secretKey,
    params.publicKey,
    params.path,
    "",
    kdfModule,
    {
      function: "sha256",
    },
    { function: "aes-128-ctr", params: { iv: randomBytes(16).toString("hex") } },
  );
  return keystore;
}

/** Decrypts a keystore; throws when the password is wrong. */
export async function decryptKeystore(keystore: Keystore, password: string): Promise<Uint8Array> {
  return decrypt(keystore, password);
}

export function isKeystore(value: unknown): value is Keystore {
  return isValidKeystore(value);
}

/**
 * The keystore file text, with the staking deposit CLI's field order and JSON spacing, so that
 * our files look exactly like the ones every tool already knows.
 */
export function serializeKeystore(keystore: Keystore): string {
  const { kdf, checksum, cipher } = keystore.crypto;
  const kdfParams =
    kdf.function === "scrypt"
      ? { dklen: kdf.params.dklen, n: kdf.params.n, r: kdf.params.r, p: kdf.params.p, salt: kdf.params.salt }
      : // The deposit CLI writes pbkdf2 params as c, dklen, prf, salt (its Pbkdf2Keystore defaults).
        { c: kdf.params.c, dklen: kdf.params.dklen, prf: kdf.params.prf, salt: kdf.params.salt };
  return toPythonJson({
    crypto: {
      kdf: { function: kdf.function, params: kdfParams, message: kdf.message },
      checksum: { function: checksum.function, params: {}, message: checksum.message },
      cipher: { function: cipher.function, params: { iv: cipher.params.iv }, message: cipher.message },
    },
    description: keystore.description ?? "",
    pubkey: keystore.pubkey,
    path: keystore.path,
    uuid: keystore.uuid,
    version: keystore.version,
  });
}

/** Keystore file name as the staking deposit CLI writes it: keystore-m_12381_3600_<i>_0_0-<ts>.json */
export function keystoreFileName(path: string, timestamp: number): string {
  return `keystore-${path.replaceAll("/", "_")}-${timestamp}.json`;
}
