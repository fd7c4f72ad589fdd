import { OperatorError, UserInputError } from "../lib/errors.ts";
import { parseHex } from "../lib/hex.ts";
import { EAX_NONCE_LENGTH } from "./eax.ts";
import { type EncryptedKeys, type KeyCodec, SECRET_KEY_LENGTH, secretKeyMatches } from "./encryption-key.ts";
import type { EncryptedRow, RemoteDb } from "./remote-db.ts";

/** Packs the stored 0x-hex ciphertexts and nonces of `rows` for one batch decryption. */
export function packEncryptedRows(rows: readonly EncryptedRow[], table: string): EncryptedKeys {
  const ciphertexts = Buffer.alloc(rows.length * SECRET_KEY_LENGTH);
  const nonces = Buffer.alloc(rows.length * EAX_NONCE_LENGTH);
  rows.forEach((row, i) => {
    // Buffer.write stops at the first non-hex pair: a short count is a malformed value.
    const ok =
      isPrefixedHex(row.privateKey, SECRET_KEY_LENGTH) &&
      isPrefixedHex(row.nonce, EAX_NONCE_LENGTH) &&
      ciphertexts.write(row.privateKey.slice(2), i * SECRET_KEY_LENGTH, "hex") === SECRET_KEY_LENGTH &&
      nonces.write(row.nonce.slice(2), i * EAX_NONCE_LENGTH, "hex") === EAX_NONCE_LENGTH;
    if (!ok) {
      throw new OperatorError(
        `the ${table} row of public key ${row.publicKey} has a malformed private_key or nonce: expected 0x + 64 and 0x + 32 hex digits`,
      );
    }
  });
  return { ciphertexts, nonces };
}

function isPrefixedHex(value: unknown, bytes: number): value is string {
  return (
    typeof value === "string" &&
    value.length === 2 + 2 * bytes &&
    (value.startsWith("0x") || value.startsWith("0X"))
  );
}

/**
 * Checks `codec` opens the vault's keys before anything is changed (spec §7.5): the row with the
 * smallest public key must decrypt to the secret key of that public key. A vault without rows
 * accepts any key.
 */
export async function verifyEncryptionKey(db: RemoteDb, codec: KeyCodec): Promise<void> {
  const row = await db.firstKeypair();
  if (!row) return;
  const publicKey = parseHex(row.publicKey ?? "", 48);
  if (!publicKey) {
    throw new OperatorError(`the ${db.tables.keypairs} row ${row.publicKey} has a malformed public_key`);
  }
  const secretKey = codec.decrypt(packEncryptedRows([row], db.tables.keypairs));
  const matches = secretKeyMatches(secretKey, publicKey);
  secretKey.fill(0);
  if (!matches) {
    const whose = (await db.sharedByVaults())
      ? `in ${db.tables.keypairs}`
      : `of vault ${db.vault} in the database`;
    throw new UserInputError(
      `--encrypt-key does not decrypt the keys ${whose}: pass the encryption key printed by the "remote-db setup" that created them`,
    );
  }
}
