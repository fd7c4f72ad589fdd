import { randomBytes } from "node:crypto";
import { SecretKey } from "@chainsafe/blst";
import { bytesEqual } from "../lib/hex.ts";
import { createEaxCipher, EAX_NONCE_LENGTH } from "./eax.ts";
import { ENCRYPTION_KEY_LENGTH } from "./encryption-key-input.ts";

export const SECRET_KEY_LENGTH = 32;

/** A new key for `remote-db setup`, base64 like the Python operator prints it. */
export function generateEncryptionKey(): string {
  return randomBytes(ENCRYPTION_KEY_LENGTH).toString("base64");
}

/** Encrypted secret keys as the database stores them: 32-byte ciphertexts and 16-byte nonces, packed. */
export interface EncryptedKeys {
  ciphertexts: Uint8Array;
  nonces: Uint8Array;
}

/** Encrypts and decrypts packed 32-byte BLS secret keys with AES-256-EAX (no tag, spec §7.5). */
export interface KeyCodec {
  /** Random nonces; `secretKeys` holds n keys of 32 bytes back to back. */
  encrypt(secretKeys: Uint8Array): EncryptedKeys;
  decrypt(encrypted: EncryptedKeys): Uint8Array;
}

export function createKeyCodec(
  encryptionKey: Uint8Array,
  random: (size: number) => Uint8Array = randomBytes,
): KeyCodec {
  if (encryptionKey.length !== ENCRYPTION_KEY_LENGTH) {
    throw new RangeError(`the encryption key must be ${ENCRYPTION_KEY_LENGTH} bytes`);
  }
  const cipher = createEaxCipher(encryptionKey);
  return {
    encrypt(secretKeys) {
      const nonces = Uint8Array.from(random((secretKeys.length / SECRET_KEY_LENGTH) * EAX_NONCE_LENGTH));
      return { ciphertexts: cipher.crypt(nonces, secretKeys, SECRET_KEY_LENGTH), nonces };
    },
    decrypt(encrypted) {
      return cipher.crypt(encrypted.nonces, encrypted.ciphertexts, SECRET_KEY_LENGTH);
    },
  };
}

/**
 * True when `secretKey` (decrypted with a candidate key) is the secret key of `publicKey`: a
 * wrong encryption key yields 32 random bytes, which are either no valid scalar or another key.
 */
export function secretKeyMatches(secretKey: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return bytesEqual(SecretKey.fromBytes(secretKey).toPublicKey().toBytes(true), publicKey);
  } catch {
    return false;
  }
}
