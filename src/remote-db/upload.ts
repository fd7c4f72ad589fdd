import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { SecretKey } from "@chainsafe/blst";
import { splitSecretKey } from "../crypto/key-shares.ts";
import { toPythonJson } from "../lib/python-json.ts";
import { CopyTextWriter, copyTextValue } from "./copy-text.ts";
import { EAX_NONCE_LENGTH } from "./eax.ts";
import { type KeyCodec, SECRET_KEY_LENGTH } from "./encryption-key.ts";
import type { RemoteDb } from "./remote-db.ts";
import { DEPOSIT_DATA_NAME, REMOTE_SIGNER_CONFIG_NAME } from "./tables.ts";

const PUBLIC_KEY_LENGTH = 48;
/** One packed row: public key, encrypted secret key, nonce. */
export const RECORD_LENGTH = PUBLIC_KEY_LENGTH + SECRET_KEY_LENGTH + EAX_NONCE_LENGTH;
const CIPHERTEXT_AT = PUBLIC_KEY_LENGTH;
const NONCE_AT = PUBLIC_KEY_LENGTH + SECRET_KEY_LENGTH;

export interface ValidatorSecret {
  /** Compressed G1, 48 bytes. */
  publicKey: Uint8Array;
  /** 32 bytes, big-endian. */
  secretKey: Uint8Array;
}

/**
 * The encrypted rows of an upload, packed: for each validator its own row, then one row per
 * Shamir share, `RECORD_LENGTH` bytes each. About 100 bytes a row, so 120,000 rows (10,000
 * validators × 11 oracles) take 12 MB, and no secret stays in it unencrypted.
 */
export interface KeypairRecords {
  validators: number;
  sharesPerKey: number;
  data: Uint8Array;
}

export interface BuildKeypairRecordsParameters {
  keys: readonly ValidatorSecret[];
  /** exit_signature_recover_threshold. */
  threshold: number;
  /** Number of oracles. */
  shares: number;
  codec: KeyCodec;
  /** Validators encrypted per batch (default 256). */
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * Splits every key into `shares` Shamir shares (spec §4.2), derives the shares' public keys and
 * encrypts the keys and shares (spec §7.5): the work of `upload-keypairs` between loading the
 * keystores and writing to the database.
 */
export async function buildKeypairRecords(params: BuildKeypairRecordsParameters): Promise<KeypairRecords> {
  const { keys, threshold, shares, codec } = params;
  const rowsPerKey = 1 + shares;
  const batchSize = params.batchSize ?? 256;
  const data = new Uint8Array(keys.length * rowsPerKey * RECORD_LENGTH);
  const plaintext = new Uint8Array(batchSize * rowsPerKey * SECRET_KEY_LENGTH);
  for (let start = 0; start < keys.length; start += batchSize) {
    // Between batches the event loop runs: blst's key objects are freed by finalizers that run
    // there, so native memory stays at one batch's worth instead of growing with the key count.
    if (start > 0) await yieldToEventLoop();
    params.signal?.throwIfAborted();
    const batch = keys.slice(start, start + batchSize);
    let row = 0;
    for (const key of batch) {
      const at = (start * rowsPerKey + row) * RECORD_LENGTH;
      data.set(key.publicKey, at);
      plaintext.set(key.secretKey, row * SECRET_KEY_LENGTH);
      row++;
      for (const share of splitSecretKey({ secretKey: key.secretKey, threshold, shares })) {
        data.set(
          SecretKey.fromBytes(share).toPublicKey().toBytes(true),
          (start * rowsPerKey + row) * RECORD_LENGTH,
        );
        plaintext.set(share, row * SECRET_KEY_LENGTH);
        share.fill(0);
        row++;
      }
    }
    const encrypted = codec.encrypt(plaintext.subarray(0, row * SECRET_KEY_LENGTH));
    plaintext.fill(0);
    for (let i = 0; i < row; i++) {
      const at = (start * rowsPerKey + i) * RECORD_LENGTH;
      data.set(
        encrypted.ciphertexts.subarray(i * SECRET_KEY_LENGTH, (i + 1) * SECRET_KEY_LENGTH),
        at + CIPHERTEXT_AT,
      );
      data.set(encrypted.nonces.subarray(i * EAX_NONCE_LENGTH, (i + 1) * EAX_NONCE_LENGTH), at + NONCE_AT);
    }
  }
  return { validators: keys.length, sharesPerKey: shares, data };
}

/** The longest keypairs COPY line: vault, parent public key, public key, private key, nonce, four tabs, newline. */
const KEYPAIR_LINE_BYTES =
  42 + 2 * (2 + 2 * PUBLIC_KEY_LENGTH) + (2 + 2 * SECRET_KEY_LENGTH) + (2 + 2 * EAX_NONCE_LENGTH) + 5;

/**
 * The keypairs rows as COPY text (vault, parent_public_key or \N, public_key, private_key, nonce),
 * written from the packed records in ~64 KiB chunks.
 */
export function* keypairCopyChunks(vault: string, records: KeypairRecords): Generator<Buffer> {
  const writer = new CopyTextWriter();
  const rowsPerKey = 1 + records.sharesPerKey;
  const rows = records.validators * rowsPerKey;
  const { data } = records;
  let parentAt = 0;
  for (let row = 0; row < rows; row++) {
    const full = writer.reserve(KEYPAIR_LINE_BYTES);
    if (full) yield full;
    const at = row * RECORD_LENGTH;
    writer.ascii(vault).ascii("\t");
    if (row % rowsPerKey === 0) {
      parentAt = at;
      writer.ascii("\\N");
    } else {
      writer.prefixedHex(data, parentAt, PUBLIC_KEY_LENGTH);
    }
    writer
      .ascii("\t")
      .prefixedHex(data, at, PUBLIC_KEY_LENGTH)
      .ascii("\t")
      .prefixedHex(data, at + CIPHERTEXT_AT, SECRET_KEY_LENGTH)
      .ascii("\t")
      .prefixedHex(data, at + NONCE_AT, EAX_NONCE_LENGTH)
      .ascii("\n");
  }
  const last = writer.end();
  if (last) yield last;
}

/**
 * The `remote_signer_config.json` config row's data as the Python operator stores it: json.dumps
 * of {validator public key: [share public keys in oracle order]} (the file adds
 * "pubkeys_to_shares"). 1.2 kB per validator with 11 oracles, so it is written in chunks too.
 */
export function* remoteSignerConfigChunks(records: KeypairRecords): Generator<Buffer> {
  const writer = new CopyTextWriter();
  const rowsPerKey = 1 + records.sharesPerKey;
  const entryBytes = (2 + 2 * PUBLIC_KEY_LENGTH + 4) * (1 + records.sharesPerKey) + 8;
  const { data } = records;
  writer.ascii("{");
  for (let v = 0; v < records.validators; v++) {
    const full = writer.reserve(entryBytes);
    if (full) yield full;
    const at = v * rowsPerKey * RECORD_LENGTH;
    writer
      .ascii(v === 0 ? '"' : ', "')
      .prefixedHex(data, at, PUBLIC_KEY_LENGTH)
      .ascii('": [');
    for (let s = 1; s <= records.sharesPerKey; s++) {
      writer
        .ascii(s === 1 ? '"' : ', "')
        .prefixedHex(data, at + s * RECORD_LENGTH, PUBLIC_KEY_LENGTH)
        .ascii('"');
    }
    writer.ascii("]");
  }
  const full = writer.reserve(1);
  if (full) yield full;
  writer.ascii("}");
  const last = writer.end();
  if (last) yield last;
}

/** The vault's configs rows as COPY text: the remote signer config and the deposit data file. */
function* configCopyChunks(
  vault: string,
  records: KeypairRecords,
  depositData: readonly unknown[],
): Generator<Buffer> {
  yield Buffer.from(`${vault}\t${REMOTE_SIGNER_CONFIG_NAME}\t`, "latin1");
  yield* remoteSignerConfigChunks(records);
  yield Buffer.from(`\n${vault}\t${DEPOSIT_DATA_NAME}\t`, "latin1");
  yield* copyTextValue(toPythonJson(depositData));
  yield Buffer.from("\n", "latin1");
}

export interface UploadKeypairRecordsParameters {
  records: KeypairRecords;
  /** The deposit data file's entries, stored as json.dumps of the list. */
  depositData: readonly unknown[];
}

/** Replaces the vault's keys, shares and configs in the database, in one transaction. */
export async function uploadKeypairRecords(
  db: RemoteDb,
  params: UploadKeypairRecordsParameters,
): Promise<void> {
  await db.replaceVaultRows(
    keypairCopyChunks(db.vault, params.records),
    configCopyChunks(db.vault, params.records, params.depositData),
  );
}
