import { SecretKey } from "@chainsafe/blst";
import { bytesEqual, parseHex, toPrefixedHex } from "../../lib/hex.ts";
import { sanitizeText } from "../../lib/sanitize.ts";
import type { Hex } from "../sources/exit-signer.ts";
import { HashiVaultKeyError } from "./errors.ts";

export interface VaultKeyPair {
  /** 0x-prefixed lower-case. */
  publicKey: Hex;
  secretKey: SecretKey;
}

/**
 * How a public key text is shown in an error: as given, unless it looks like a private key
 * (32-byte hex: keys and values swapped), which is never echoed.
 */
export function showPublicKeyText(text: string): string {
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(text.trim()))
    return "(a 32-byte hex value: a private key in place of a public key?)";
  const shown = sanitizeText(text.trim()).slice(0, 110);
  return `"${shown}"`;
}

/**
 * Checks one entry of a Vault secret and returns its keys: the public key is 48-byte hex, the
 * private key 32-byte hex (0x optional, both), a valid BLS secret key, and its public key is the
 * stated one. Errors name `where` (the Vault path) and the public key, never the private key.
 */
export function parseVaultKeyPair(publicKeyText: string, privateKey: unknown, where: string): VaultKeyPair {
  const publicKeyBytes = parseHex(publicKeyText.trim(), 48);
  if (!publicKeyBytes) {
    throw new HashiVaultKeyError(
      `${where}: ${showPublicKeyText(publicKeyText)} is not a validator public key (48-byte hex): store each key as {"<public key hex>": "<private key hex>"}`,
    );
  }
  const publicKey = toPrefixedHex(publicKeyBytes);
  if (typeof privateKey !== "string") {
    throw new HashiVaultKeyError(
      `${where}: the private key of ${publicKey} is not a string: store it as 32-byte hex`,
    );
  }
  const bytes = parseHex(privateKey.trim(), 32);
  if (!bytes) {
    throw new HashiVaultKeyError(
      `${where}: the private key of ${publicKey} is not 32-byte hex: store it as 64 hex digits, with or without 0x`,
    );
  }
  let secretKey: SecretKey;
  try {
    secretKey = SecretKey.fromBytes(bytes);
  } catch {
    throw new HashiVaultKeyError(
      `${where}: the private key of ${publicKey} is not a valid BLS secret key (zero or not below the curve order)`,
    );
  } finally {
    bytes.fill(0);
  }
  const derived = secretKey.toPublicKey().toBytes(true);
  if (!bytesEqual(derived, publicKeyBytes)) {
    throw new HashiVaultKeyError(
      `${where}: the private key stored for ${publicKey} belongs to public key ${toPrefixedHex(derived)}: fix the pair in Vault`,
    );
  }
  return { publicKey, secretKey };
}

/** An empty value is skipped, as the Python operator does (a placeholder entry). */
export function isEmptyKeyValue(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}
