import { InvalidValueError, parseValue } from "../lib/values.ts";

/** The database key: 32 random bytes (AES-256), shown to the user once as base64. */
export const ENCRYPTION_KEY_LENGTH = 32;

const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;

/** --encrypt-key (a ValueParser); the reason never echoes what was typed. */
export function encryptionKeyValue(text: string): Uint8Array {
  const value = text.trim();
  if (!BASE64_KEY.test(value)) {
    throw new InvalidValueError(
      `is not a base64-encoded ${ENCRYPTION_KEY_LENGTH}-byte key: pass the "Encryption key" printed by "operator remote-db setup"`,
    );
  }
  return Uint8Array.from(Buffer.from(value, "base64"));
}

/** {@link encryptionKeyValue}, refusing a bad key with a UserInputError naming `flag` only. */
export function parseEncryptionKey(text: string, flag = "--encrypt-key"): Uint8Array {
  return parseValue(encryptionKeyValue, text, { flag, secret: true });
}
