/**
 * The byte strings a vault of version ≥ 2 takes for its validators (v3-core v4 ValidatorUtils):
 *
 * - registration / top-up entry, 0x01: pubkey 48 ‖ deposit signature 96 ‖ deposit_data_root 32 = 176
 *   bytes (always 32 ETH); 0x02: the same ‖ amount in gwei as 8 bytes big-endian = 184 bytes;
 * - withdrawal entry (EIP-7002): pubkey 48 ‖ amount in gwei, 8 bytes big-endian = 56 bytes,
 *   amount 0 meaning a full exit;
 * - consolidation entry (EIP-7251): source pubkey 48 ‖ target pubkey 48 = 96 bytes.
 *
 * A batch is the entries concatenated. The vault tells 0x01 from 0x02 by the batch length alone,
 * so a length that both 176 and 184 divide (23 × 0x01 = 22 × 0x02 = 4048 bytes) is refused by the
 * contract; the encoders here refuse it first.
 */
import { OperatorError } from "../lib/errors.ts";
import type { VALIDATOR_TYPES } from "./validator-types.ts";
import {
  DEPOSIT_DATA_ROOT_LENGTH,
  PUBKEY_LENGTH,
  SIGNATURE_LENGTH,
  TX_VALIDATOR_LENGTH,
  txValidator,
} from "./validators-tree.ts";

export const V1_ENTRY_LENGTH = TX_VALIDATOR_LENGTH;
const AMOUNT_LENGTH = 8;
export const V2_ENTRY_LENGTH = TX_VALIDATOR_LENGTH + AMOUNT_LENGTH;
export const WITHDRAWAL_ENTRY_LENGTH = PUBKEY_LENGTH + AMOUNT_LENGTH;
export const CONSOLIDATION_ENTRY_LENGTH = 2 * PUBKEY_LENGTH;

/** Bounds of a new validator's deposit the vault accepts (not of a top-up): 32 and 2048 ETH. */
export const REGISTRATION_MIN_GWEI = 32_000_000_000n;
export const REGISTRATION_MAX_GWEI = 2_048_000_000_000n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Bytes that are not a well-formed entry or batch; a bug or bad input, never worth a retry. */
export class ValidatorEntryError extends OperatorError {
  override name = "ValidatorEntryError";
}

/** Withdrawal-credential prefixes of the validators a vault registers (0x01 or 0x02). */
export type ValidatorType = (typeof VALIDATOR_TYPES)[number];

/** One validator of a registration or top-up. */
export interface ValidatorDepositEntry {
  publicKey: Uint8Array;
  signature: Uint8Array;
  depositDataRoot: Uint8Array;
  /** Gwei: present for 0x02 (184-byte) entries, absent for 0x01 (176 bytes, 32 ETH implied). */
  amountGwei?: bigint;
}

export interface WithdrawalEntry {
  publicKey: Uint8Array;
  /** Gwei to withdraw; 0 asks for a full exit. */
  amountGwei: bigint;
}

export interface ConsolidationEntry {
  sourcePublicKey: Uint8Array;
  targetPublicKey: Uint8Array;
}

function checkLength(what: string, bytes: Uint8Array, length: number): void {
  if (bytes.length !== length)
    throw new ValidatorEntryError(`${what} is ${bytes.length} bytes, expected ${length}`);
}

function writeUint64(target: Uint8Array, offset: number, value: bigint, what: string): void {
  if (value < 0n || value > UINT64_MAX) throw new ValidatorEntryError(`${what} ${value} is not a uint64`);
  new DataView(target.buffer, target.byteOffset, target.byteLength).setBigUint64(offset, value, false);
}

function readUint64(source: Uint8Array, offset: number): bigint {
  return new DataView(source.buffer, source.byteOffset, source.byteLength).getBigUint64(offset, false);
}

/** True when the vault could not tell whether `length` bytes are 0x01 or 0x02 entries. */
export function isAmbiguousDepositBatchLength(length: number): boolean {
  return length % V1_ENTRY_LENGTH === 0 && length % V2_ENTRY_LENGTH === 0;
}

/** One 176-byte (0x01) or 184-byte (0x02) entry. */
export function encodeValidatorDepositEntry(entry: ValidatorDepositEntry): Uint8Array {
  checkLength("public key", entry.publicKey, PUBKEY_LENGTH);
  checkLength("deposit signature", entry.signature, SIGNATURE_LENGTH);
  checkLength("deposit data root", entry.depositDataRoot, DEPOSIT_DATA_ROOT_LENGTH);
  const v1 = txValidator(entry.publicKey, entry.signature, entry.depositDataRoot);
  if (entry.amountGwei === undefined) return v1;
  const out = new Uint8Array(V2_ENTRY_LENGTH);
  out.set(v1, 0);
  writeUint64(out, V1_ENTRY_LENGTH, entry.amountGwei, "amount (gwei)");
  return out;
}

/**
 * A registration or top-up batch. All entries must be of one type, and the batch must not be of a
 * length the vault cannot classify (23·k 0x01 or 22·k 0x02 entries): split such a batch.
 */
export function encodeValidatorDepositEntries(entries: readonly ValidatorDepositEntry[]): Uint8Array {
  if (entries.length === 0) throw new ValidatorEntryError("no validators to encode");
  const v2 = entries[0]?.amountGwei !== undefined;
  if (entries.some((e) => (e.amountGwei !== undefined) !== v2))
    throw new ValidatorEntryError(
      "a batch mixes 0x01 and 0x02 validators; the vault takes one type per call",
    );
  const length = entries.length * (v2 ? V2_ENTRY_LENGTH : V1_ENTRY_LENGTH);
  if (isAmbiguousDepositBatchLength(length)) {
    throw new ValidatorEntryError(
      `${entries.length} ${v2 ? "0x02" : "0x01"} validators make ${length} bytes, which the vault cannot tell from the other type: send fewer in this call`,
    );
  }
  const out = new Uint8Array(length);
  entries.forEach((entry, i) => {
    out.set(encodeValidatorDepositEntry(entry), i * (v2 ? V2_ENTRY_LENGTH : V1_ENTRY_LENGTH));
  });
  return out;
}

/** Reads a registration or top-up batch the way the vault does: its type from its length. */
export function decodeValidatorDepositEntries(bytes: Uint8Array): {
  type: ValidatorType;
  entries: ValidatorDepositEntry[];
} {
  const v1 = bytes.length % V1_ENTRY_LENGTH === 0;
  const v2 = bytes.length % V2_ENTRY_LENGTH === 0;
  if (bytes.length === 0 || v1 === v2) {
    throw new ValidatorEntryError(
      `${bytes.length} bytes are not a whole number of either 176-byte (0x01) or 184-byte (0x02) validators`,
    );
  }
  const size = v1 ? V1_ENTRY_LENGTH : V2_ENTRY_LENGTH;
  const entries: ValidatorDepositEntry[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    const entry: ValidatorDepositEntry = {
      publicKey: bytes.slice(at, at + PUBKEY_LENGTH),
      signature: bytes.slice(at + PUBKEY_LENGTH, at + PUBKEY_LENGTH + SIGNATURE_LENGTH),
      depositDataRoot: bytes.slice(
        at + PUBKEY_LENGTH + SIGNATURE_LENGTH,
        at + PUBKEY_LENGTH + SIGNATURE_LENGTH + DEPOSIT_DATA_ROOT_LENGTH,
      ),
    };
    if (v2) entry.amountGwei = readUint64(bytes, at + V1_ENTRY_LENGTH);
    entries.push(entry);
  }
  return { type: v1 ? "0x01" : "0x02", entries };
}

export function encodeWithdrawalEntry(entry: WithdrawalEntry): Uint8Array {
  checkLength("public key", entry.publicKey, PUBKEY_LENGTH);
  const out = new Uint8Array(WITHDRAWAL_ENTRY_LENGTH);
  out.set(entry.publicKey, 0);
  writeUint64(out, PUBKEY_LENGTH, entry.amountGwei, "withdrawal amount (gwei)");
  return out;
}

export function encodeWithdrawalEntries(entries: readonly WithdrawalEntry[]): Uint8Array {
  if (entries.length === 0) throw new ValidatorEntryError("no withdrawals to encode");
  const out = new Uint8Array(entries.length * WITHDRAWAL_ENTRY_LENGTH);
  entries.forEach((entry, i) => {
    out.set(encodeWithdrawalEntry(entry), i * WITHDRAWAL_ENTRY_LENGTH);
  });
  return out;
}

export function decodeWithdrawalEntries(bytes: Uint8Array): WithdrawalEntry[] {
  if (bytes.length === 0 || bytes.length % WITHDRAWAL_ENTRY_LENGTH !== 0)
    throw new ValidatorEntryError(`${bytes.length} bytes are not a whole number of 56-byte withdrawals`);
  const entries: WithdrawalEntry[] = [];
  for (let at = 0; at < bytes.length; at += WITHDRAWAL_ENTRY_LENGTH) {
    entries.push({
      publicKey: bytes.slice(at, at + PUBKEY_LENGTH),
      amountGwei: readUint64(bytes, at + PUBKEY_LENGTH),
    });
  }
  return entries;
}

export function encodeConsolidationEntry(entry: ConsolidationEntry): Uint8Array {
  checkLength("source public key", entry.sourcePublicKey, PUBKEY_LENGTH);
  checkLength("target public key", entry.targetPublicKey, PUBKEY_LENGTH);
  const out = new Uint8Array(CONSOLIDATION_ENTRY_LENGTH);
  out.set(entry.sourcePublicKey, 0);
  out.set(entry.targetPublicKey, PUBKEY_LENGTH);
  return out;
}

export function encodeConsolidationEntries(entries: readonly ConsolidationEntry[]): Uint8Array {
  if (entries.length === 0) throw new ValidatorEntryError("no consolidations to encode");
  const out = new Uint8Array(entries.length * CONSOLIDATION_ENTRY_LENGTH);
  entries.forEach((entry, i) => {
    out.set(encodeConsolidationEntry(entry), i * CONSOLIDATION_ENTRY_LENGTH);
  });
  return out;
}

export function decodeConsolidationEntries(bytes: Uint8Array): ConsolidationEntry[] {
  if (bytes.length === 0 || bytes.length % CONSOLIDATION_ENTRY_LENGTH !== 0)
    throw new ValidatorEntryError(`${bytes.length} bytes are not a whole number of 96-byte consolidations`);
  const entries: ConsolidationEntry[] = [];
  for (let at = 0; at < bytes.length; at += CONSOLIDATION_ENTRY_LENGTH) {
    entries.push({
      sourcePublicKey: bytes.slice(at, at + PUBKEY_LENGTH),
      targetPublicKey: bytes.slice(at + PUBKEY_LENGTH, at + CONSOLIDATION_ENTRY_LENGTH),
    });
  }
  return entries;
}
