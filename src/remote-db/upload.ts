import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { SecretKey } from "@chainsafe/blst";
import { splitSecretKey } from "../crypto/key-shares.ts";
import { OperatorError } from "../lib/errors.ts";
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
  /** 0 in the v1.1+ layout (whole keys only), the number of oracles in v1.0.x. */
  sharesPerKey: number;
  data: Uint8Array;
}

export interface BuildKeypairRecordsParameters {
  keys: readonly ValidatorSecret[];
  /** exit_signature_recover_threshold. */
  threshold: number;
  /** Number of oracles; 0 for whole keys only (v1.1+ layout): no split, no threshold. */
  shares: number;
  codec: KeyCodec;
  /** Validators encrypted per batch (default 256). */
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * Splits every key into `shares` Shamir shares (spec §4.2; none with `shares` 0), derives the
 * shares' public keys and encrypts the keys and shares (spec §7.5): the work of `upload-keypairs`
 * between loading the keystores and writing to the database.
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
      if (shares === 0) continue;
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
 * The keypairs rows as COPY text (vault, parent_public_key or \N, public_key, private_key, nonce;
 * without parent_public_key when the records hold no shares: the v1.1+ layout's columns; without
 * the vault too when `vault` is undefined: the v4 layout's), written from the packed records in
 * ~64 KiB chunks.
 */
export function* keypairCopyChunks(vault: string | undefined, records: KeypairRecords): Generator<Buffer> {
  const writer = new CopyTextWriter();
  const withParent = records.sharesPerKey > 0;
  const rowsPerKey = 1 + records.sharesPerKey;
  const rows = records.validators * rowsPerKey;
  const { data } = records;
  let parentAt = 0;
  for (let row = 0; row < rows; row++) {
    const full = writer.reserve(KEYPAIR_LINE_BYTES);
    if (full) yield full;
    const at = row * RECORD_LENGTH;
    if (vault !== undefined) writer.ascii(vault).ascii("\t");
    if (withParent) {
      if (row % rowsPerKey === 0) {
        parentAt = at;
        writer.ascii("\\N");
      } else {
        writer.prefixedHex(data, parentAt, PUBLIC_KEY_LENGTH);
      }
      writer.ascii("\t");
    }
    writer
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

/** A stored remote signer config entry kept as it is: a validator public key and its shares' public keys. */
export type KeptSignerEntry = readonly [publicKey: string, shares: readonly string[]];

/**
 * The `remote_signer_config.json` config row's data as the Python operator stores it: json.dumps
 * of {validator public key: [share public keys in oracle order]} (the file adds
 * "pubkeys_to_shares"): the uploaded keys' entries, then `kept` entries of the stored config.
 * 1.2 kB per validator with 11 oracles, so it is written in chunks too.
 */
export function* remoteSignerConfigChunks(
  records: KeypairRecords,
  kept: readonly KeptSignerEntry[] = [],
): Generator<Buffer> {
  const writer = new CopyTextWriter();
  const rowsPerKey = 1 + records.sharesPerKey;
  const entryBytes = (2 + 2 * PUBLIC_KEY_LENGTH + 4) * (1 + records.sharesPerKey) + 8;
  const { data } = records;
  let first = true;
  writer.ascii("{");
  for (let v = 0; v < records.validators; v++) {
    const full = writer.reserve(entryBytes);
    if (full) yield full;
    const at = v * rowsPerKey * RECORD_LENGTH;
    writer
      .ascii(first ? '"' : ', "')
      .prefixedHex(data, at, PUBLIC_KEY_LENGTH)
      .ascii('": [');
    first = false;
    for (let s = 1; s <= records.sharesPerKey; s++) {
      writer
        .ascii(s === 1 ? '"' : ', "')
        .prefixedHex(data, at + s * RECORD_LENGTH, PUBLIC_KEY_LENGTH)
        .ascii('"');
    }
    writer.ascii("]");
  }
  for (const [publicKey, shares] of kept) {
    const entry = `${first ? "" : ", "}"${publicKey}": [${shares.map((share) => `"${share}"`).join(", ")}]`;
    first = false;
    const full = writer.reserve(entry.length);
    if (full) yield full;
    writer.ascii(entry);
  }
  const full = writer.reserve(1);
  if (full) yield full;
  writer.ascii("}");
  const last = writer.end();
  if (last) yield last;
}

const STORED_PUBLIC_KEY = /^0x[0-9a-fA-F]{96}$/;

/**
 * The entries of a stored remote signer config whose validator is not among `uploaded`
 * (lowercase 0x-hex), checked to be public keys so they go back into the COPY text unescaped.
 */
export function keptSignerEntries(
  stored: string | undefined,
  uploaded: ReadonlySet<string>,
  where: string,
): KeptSignerEntry[] {
  if (stored === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    parsed = undefined;
  }
  const malformed = () =>
    new OperatorError(
      `the stored ${REMOTE_SIGNER_CONFIG_NAME} of ${where} is not a map of validator public keys to share public keys: remove the vault's rows with "operator remote-db cleanup" and upload all its keys again`,
    );
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw malformed();
  const kept: KeptSignerEntry[] = [];
  for (const [publicKey, shares] of Object.entries(parsed)) {
    if (
      !STORED_PUBLIC_KEY.test(publicKey) ||
      !Array.isArray(shares) ||
      !shares.every((share) => typeof share === "string" && STORED_PUBLIC_KEY.test(share))
    ) {
      throw malformed();
    }
    if (!uploaded.has(publicKey.toLowerCase())) kept.push([publicKey, shares as string[]]);
  }
  return kept;
}

/**
 * The vault's configs rows as COPY text: the remote signer config (the uploaded keys' entries and
 * the stored entries of the other keys; only with key shares, v1.0.x) and the deposit data file.
 */
function* configCopyChunks(
  vault: string,
  records: KeypairRecords,
  kept: readonly KeptSignerEntry[],
  depositData: readonly unknown[],
): Generator<Buffer> {
  if (records.sharesPerKey > 0) {
    yield Buffer.from(`${vault}\t${REMOTE_SIGNER_CONFIG_NAME}\t`, "latin1");
    yield* remoteSignerConfigChunks(records, kept);
    yield Buffer.from("\n", "latin1");
  }
  yield Buffer.from(`${vault}\t${DEPOSIT_DATA_NAME}\t`, "latin1");
  yield* copyTextValue(toPythonJson(depositData));
  yield Buffer.from("\n", "latin1");
}

/** The validator public keys of the records, lowercase 0x-hex. */
export function recordValidatorKeys(records: KeypairRecords): string[] {
  const rowsPerKey = 1 + records.sharesPerKey;
  return Array.from(
    { length: records.validators },
    (_, v) =>
      `0x${Buffer.from(records.data.buffer, records.data.byteOffset + v * rowsPerKey * RECORD_LENGTH, PUBLIC_KEY_LENGTH).toString("hex")}`,
  );
}

export interface UploadKeypairRecordsParameters {
  records: KeypairRecords;
  /**
   * The deposit data file's entries, stored as json.dumps of the list; undefined for the v4
   * layout, which has no vault column and no configs (the records then hold no shares).
   */
  depositData: readonly unknown[] | undefined;
}

/**
 * Stores the uploaded keys, their shares (if any) and the configs in one transaction. The vault's
 * other keys stay, as the Python operator leaves them (in the v4 layout: the table's other keys);
 * returns how many of those there are.
 */
export async function uploadKeypairRecords(
  db: RemoteDb,
  params: UploadKeypairRecordsParameters,
): Promise<{ kept: number }> {
  const publicKeys = recordValidatorKeys(params.records);
  const uploaded = new Set(publicKeys);
  const { depositData } = params;
  const withVault = depositData !== undefined;
  return await db.upsertVaultKeys({
    publicKeys,
    withParent: params.records.sharesPerKey > 0,
    withVault,
    keypairs: keypairCopyChunks(withVault ? db.vault : undefined, params.records),
    configs: (stored) =>
      configCopyChunks(
        db.vault,
        params.records,
        params.records.sharesPerKey > 0
          ? keptSignerEntries(stored.get(REMOTE_SIGNER_CONFIG_NAME), uploaded, `vault ${db.vault}`)
          : [],
        depositData ?? [],
      ),
  });
}
