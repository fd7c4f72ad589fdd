import { constants, type KeyObject, privateDecrypt } from "node:crypto";
import { SecretKey } from "@chainsafe/blst";
import { BLS_CURVE_ORDER } from "../../crypto/bls-scalar.ts";
import { bytesEqual } from "../../lib/hex.ts";
import { ShareDecryptError } from "./errors.ts";
import { parseSharesData } from "./shares-data.ts";

/**
 * The operator's side of buildSharesData: its own key share out of a validator's sharesData.
 *
 * The encrypted share is PKCS#1 v1.5 (type 2) under the operator's RSA key. Node refuses v1.5
 * private decryption (the Marvin attack, CVE-2023-46809), so the block is decrypted raw and the
 * padding checked here: EM = 00 ‖ 02 ‖ PS (at least 8 non-zero bytes) ‖ 00 ‖ M. M is the share as
 * ASCII hex, "0x" + 64 digits from ssv-keys and StaFi, 64 digits without "0x" from ssv-dkg.
 * Nothing here answers a chosen ciphertext, so the padding oracle the attack needs is absent.
 */

const MIN_PADDING = 8;
const HEX_SHARE = /^(0x)?[0-9a-fA-F]{64}$/;

/** M of a raw RSA block with PKCS#1 v1.5 type-2 padding; throws when the padding is wrong. */
function unpad(block: Buffer, what: string): Buffer {
  if (block[0] !== 0x00 || block[1] !== 0x02) {
    throw new ShareDecryptError(`${what}: the decrypted block is not PKCS#1 v1.5 padded (wrong RSA key?)`);
  }
  const separator = block.indexOf(0x00, 2);
  if (separator < 2 + MIN_PADDING) {
    throw new ShareDecryptError(`${what}: the PKCS#1 v1.5 padding is malformed (wrong RSA key?)`);
  }
  return block.subarray(separator + 1);
}

/**
 * The 32-byte share secret in one operator's encrypted share. Throws ShareDecryptError (never
 * showing the plaintext) when the padding or the plaintext is not what SSV nodes accept.
 */
export function decryptShareSecret(
  privateKey: KeyObject,
  encryptedKey: Uint8Array,
  what = "SSV share",
): Uint8Array {
  let block: Buffer;
  try {
    block = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, encryptedKey);
  } catch (cause) {
    throw new ShareDecryptError(`${what}: RSA decryption failed (wrong RSA key or a corrupt ciphertext)`, {
      cause,
    });
  }
  try {
    const message = unpad(block, what);
    const text = message.toString("latin1");
    if (!HEX_SHARE.test(text)) {
      throw new ShareDecryptError(`${what}: the decrypted share is not 64 hex digits (with or without 0x)`);
    }
    const secret = new Uint8Array(Buffer.from(text.slice(text.length - 64), "hex"));
    let value = 0n;
    for (const byte of secret) value = (value << 8n) | BigInt(byte);
    if (value === 0n || value >= BLS_CURVE_ORDER) {
      secret.fill(0);
      throw new ShareDecryptError(`${what}: the decrypted share is not a BLS secret key (0 < share < r)`);
    }
    return secret;
  } finally {
    block.fill(0);
  }
}

export interface OperatorShareParameters {
  /** The validator's registerValidator sharesData (96 + 304·n bytes). */
  sharesData: Uint8Array;
  /** The cluster's operator ids, in the event's (ascending) order. */
  operatorIds: readonly bigint[];
  operatorId: bigint;
  privateKey: KeyObject;
}

export interface OperatorShare {
  /** The share's BLS secret key. Keep it in memory only. */
  secretKey: SecretKey;
  /** This operator's share public key, 48 bytes (checked: SkToPk(secret) equals it). */
  publicKey: Uint8Array;
  /** Every operator's share public key, in operator id order (the relayer's public_key_shares). */
  sharePublicKeys: { operatorId: bigint; publicKey: Uint8Array }[];
}

/**
 * Operator `operatorId`'s share of one validator: decrypts its encrypted share and checks that
 * the secret's public key is the public share the sharesData names for it.
 */
export function decryptOperatorShare(params: OperatorShareParameters): OperatorShare {
  const { operatorIds, operatorId } = params;
  const position = operatorIds.indexOf(operatorId);
  if (position < 0) {
    throw new ShareDecryptError(`SSV operator ${operatorId} is not in the cluster ${operatorIds.join(",")}`);
  }
  const parsed = parseSharesData(params.sharesData, operatorIds.length);
  const what = `SSV operator ${operatorId}'s share`;
  const secret = decryptShareSecret(params.privateKey, parsed.encryptedKeys[position] as Uint8Array, what);
  try {
    const secretKey = SecretKey.fromBytes(secret);
    const publicKey = parsed.sharePublicKeys[position] as Uint8Array;
    if (!bytesEqual(secretKey.toPublicKey().toBytes(true), publicKey)) {
      throw new ShareDecryptError(`${what}: its secret does not match the public share in sharesData`);
    }
    return {
      secretKey,
      publicKey,
      sharePublicKeys: operatorIds.map((id, i) => ({
        operatorId: id,
        publicKey: parsed.sharePublicKeys[i] as Uint8Array,
      })),
    };
  } finally {
    secret.fill(0);
  }
}
