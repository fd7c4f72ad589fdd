import { constants, type KeyObject, publicEncrypt } from "node:crypto";
import { SecretKey } from "@chainsafe/blst";
import type { RandomSource } from "../../crypto/bls-scalar.ts";
import { splitSecretKey } from "../../crypto/key-shares.ts";
import { writeHexDigits } from "../../lib/hex.ts";
import { InvalidOperatorKeyError, SharesDataError } from "./errors.ts";
import { checkClusterOperatorIds, clusterThreshold } from "./operator-ids.ts";
import { parseOperatorPublicKey } from "./operator-public-key.ts";
import { ownershipMessage } from "./ownership-proof.ts";

/**
 * The `sharesData` of SSV's registerValidator (spec B.5): the ownership signature (96 bytes),
 * then each operator's public share (48 bytes), then each operator's encrypted share (256 bytes),
 * operators in ascending id order: 96 + 304·n bytes. Share i is f(id_i) of a fresh polynomial
 * with f(0) = the validator key, written as ASCII "0x" + 64 lowercase hex digits and encrypted to
 * the operator's 2048-bit RSA key with PKCS#1 v1.5 padding.
 */

export const SIGNATURE_BYTES = 96;
export const SHARE_PUBLIC_KEY_BYTES = 48;
export const ENCRYPTED_SHARE_BYTES = 256;

/** 96 + 304·n. */
export function sharesDataLength(operatorCount: number): number {
  return SIGNATURE_BYTES + operatorCount * (SHARE_PUBLIC_KEY_BYTES + ENCRYPTED_SHARE_BYTES);
}

export interface SsvOperatorKey {
  id: bigint;
  /** The operator's RSA public key (parseOperatorPublicKey). */
  publicKey: KeyObject;
}

export interface BuildSharesDataParameters {
  /** The validator's secret key: 32 bytes big-endian, or a blst key. */
  secretKey: Uint8Array | SecretKey;
  /** The cluster, in ascending id order. */
  operators: readonly SsvOperatorKey[];
  /** The cluster owner (the address that sends registerValidator). */
  owner: string;
  /** The owner's nonce: how many ValidatorAdded events the owner has had before this one. */
  nonce: bigint | number;
  /** For the polynomial's coefficients; tests fix it. RSA padding stays random. */
  random?: RandomSource;
}

export interface SsvShare {
  operatorId: bigint;
  /** The share's BLS public key, 48 bytes. */
  publicKey: Uint8Array;
  /** The share secret, RSA-encrypted to the operator, 256 bytes. */
  encryptedKey: Uint8Array;
}

export interface SsvSharesData {
  /** The validator's BLS public key, 48 bytes. */
  publicKey: Uint8Array;
  operatorIds: bigint[];
  /** registerValidator's `sharesData`: 96 + 304·n bytes. */
  sharesData: Uint8Array;
  shares: SsvShare[];
}

/** "0x" + 64 hex digits: the plaintext an SSV operator expects. */
const SHARE_TEXT_BYTES = 2 + 64;

function encryptShare(operator: SsvOperatorKey, share: Uint8Array): Uint8Array {
  const text = Buffer.alloc(SHARE_TEXT_BYTES);
  text.write("0x", 0, "latin1");
  writeHexDigits(share, 0, share.length, text, 2);
  try {
    const encrypted = publicEncrypt({ key: operator.publicKey, padding: constants.RSA_PKCS1_PADDING }, text);
    if (encrypted.length !== ENCRYPTED_SHARE_BYTES) {
      const bits = operator.publicKey.asymmetricKeyDetails?.modulusLength;
      throw new InvalidOperatorKeyError(
        operator.id,
        `is a ${bits}-bit RSA key; SSV shares need 2048-bit keys (${ENCRYPTED_SHARE_BYTES}-byte ciphertexts)`,
      );
    }
    return new Uint8Array(encrypted.buffer, encrypted.byteOffset, encrypted.byteLength);
  } finally {
    text.fill(0);
  }
}

function checkOperators(operators: readonly SsvOperatorKey[]): number {
  return checkClusterOperatorIds(operators.map((operator) => operator.id));
}

/** Builds one validator's sharesData for a cluster whose ids the caller has checked. */
function buildChecked(params: BuildSharesDataParameters, threshold: number): SsvSharesData {
  const { operators } = params;
  const secretKey =
    params.secretKey instanceof Uint8Array ? SecretKey.fromBytes(params.secretKey) : params.secretKey;
  const signature = secretKey.sign(ownershipMessage(params.owner, params.nonce)).toBytes(true);
  const shareKeys = splitSecretKey({
    secretKey: secretKey.toBytes(),
    threshold,
    xCoordinates: operators.map((operator) => operator.id),
    ...(params.random ? { random: params.random } : {}),
  });
  const n = operators.length;
  const sharesData = new Uint8Array(sharesDataLength(n));
  sharesData.set(signature, 0);
  const shares = operators.map((operator, i): SsvShare => {
    const share = shareKeys[i] as Uint8Array;
    const publicKey = SecretKey.fromBytes(share).toPublicKey().toBytes(true);
    const encryptedKey = encryptShare(operator, share);
    share.fill(0);
    sharesData.set(publicKey, SIGNATURE_BYTES + i * SHARE_PUBLIC_KEY_BYTES);
    sharesData.set(encryptedKey, SIGNATURE_BYTES + n * SHARE_PUBLIC_KEY_BYTES + i * ENCRYPTED_SHARE_BYTES);
    return { operatorId: operator.id, publicKey, encryptedKey };
  });
  return {
    publicKey: secretKey.toPublicKey().toBytes(true),
    operatorIds: operators.map((operator) => operator.id),
    sharesData,
    shares,
  };
}

/** One validator's registerValidator data for an SSV cluster (spec B.5). */
export function buildSharesData(params: BuildSharesDataParameters): SsvSharesData {
  return buildChecked(params, checkOperators(params.operators));
}

export interface BuildSharesDataBatchParameters {
  /** The validators, in registration order: item k is signed for owner nonce `nonce + k`. */
  secretKeys: readonly (Uint8Array | SecretKey)[];
  /** The cluster, in ascending id order; registry-form keys are parsed once for the whole batch. */
  operators: readonly { id: bigint; publicKey: KeyObject | string }[];
  owner: string;
  /** The owner's nonce before the first item. */
  nonce: bigint | number;
  random?: RandomSource;
}

/**
 * Many validators for one cluster, as bulkRegisterValidator takes them (up to 80 per transaction
 * for 4 operators): the operators' keys are parsed and their ids checked once; item k carries
 * the ownership proof for nonce + k, the nonce the SSV nodes will expect after k registrations.
 */
export function buildSharesDataBatch(params: BuildSharesDataBatchParameters): SsvSharesData[] {
  const operators = params.operators.map(({ id, publicKey }) => ({
    id,
    publicKey: typeof publicKey === "string" ? parseOperatorPublicKey(publicKey, id) : publicKey,
  }));
  const threshold = checkOperators(operators);
  const first = BigInt(params.nonce);
  return params.secretKeys.map((secretKey, k) =>
    buildChecked(
      {
        secretKey,
        operators,
        owner: params.owner,
        nonce: first + BigInt(k),
        ...(params.random ? { random: params.random } : {}),
      },
      threshold,
    ),
  );
}

export interface ParsedSharesData {
  /** The ownership signature, 96 bytes. */
  signature: Uint8Array;
  /** Operator i's share public key, 48 bytes each, in ascending operator id order. */
  sharePublicKeys: Uint8Array[];
  /** Operator i's encrypted share, 256 bytes each. */
  encryptedKeys: Uint8Array[];
}

/** Splits a sharesData blob of an n-operator cluster into its parts (no crypto checks). */
export function parseSharesData(bytes: Uint8Array, operatorCount: number): ParsedSharesData {
  clusterThreshold(operatorCount);
  const expected = sharesDataLength(operatorCount);
  if (bytes.length !== expected) {
    throw new SharesDataError(
      `sharesData has ${bytes.length} bytes; a ${operatorCount}-operator cluster needs ${expected} (96 + 304·${operatorCount})`,
    );
  }
  const keysAt = SIGNATURE_BYTES;
  const encryptedAt = keysAt + operatorCount * SHARE_PUBLIC_KEY_BYTES;
  const slice = (from: number, length: number) => bytes.slice(from, from + length);
  return {
    signature: slice(0, SIGNATURE_BYTES),
    sharePublicKeys: Array.from({ length: operatorCount }, (_, i) =>
      slice(keysAt + i * SHARE_PUBLIC_KEY_BYTES, SHARE_PUBLIC_KEY_BYTES),
    ),
    encryptedKeys: Array.from({ length: operatorCount }, (_, i) =>
      slice(encryptedAt + i * ENCRYPTED_SHARE_BYTES, ENCRYPTED_SHARE_BYTES),
    ),
  };
}
