import type { ValidatorType } from "../../keys/validator-entries.ts";

/**
 * What the relayer keeps per validator (spec A.1, A.3): the request that asked for it, the
 * signature shares the sidecars sent, and the full signatures recovered from them. Never a key
 * share nor a key: only public keys, signature shares and signatures.
 */

export type SignatureKind = "exit" | "deposit";

export type { ValidatorType } from "../../keys/validator-entries.ts";

/** The exit signature re-shared for the oracles (spec A.6), in oracle order. */
export interface OracleExitShares {
  publicKeys: `0x${string}`[];
  encryptedExitSignatures: `0x${string}`[];
}

/** A validator the operator asked for, as the relayer first records it. */
export interface ValidatorRequest {
  /** 48-byte BLS key, 0x + lower-case hex. */
  publicKey: `0x${string}`;
  /** The vault (today's generation); null for the legacy generation, which signs exits only. */
  vault: `0x${string}` | null;
  amountGwei: number;
  validatorType: ValidatorType;
  validatorIndex: number;
  /** Unix seconds. */
  createdAt: number;
}

export interface ValidatorRecord extends ValidatorRequest {
  exitSignature: `0x${string}` | null;
  depositSignature: `0x${string}` | null;
  oracleExitShares: OracleExitShares | null;
  /** Share indexes with a stored share of each kind, ascending. */
  exitShareIndexes: bigint[];
  depositShareIndexes: bigint[];
}

export interface StoredShare {
  shareIndex: bigint;
  /** 96-byte signature share, 0x-hex. */
  signature: `0x${string}`;
}

/** One node's public key share of a validator, as the relayer keeps it. */
export interface PublicKeyShareRow {
  shareIndex: bigint;
  /** Compressed G1, 0x + 96 lowercase hex digits. */
  publicKeyShare: `0x${string}`;
}

/** One share to store (`RelayerStore.addShares`). */
export interface NewShare {
  publicKey: `0x${string}`;
  kind: SignatureKind;
  share: StoredShare;
}

/** A recovered signature to store for the validator index it was recovered for (`setSignatures`). */
export interface RecoveredSignature {
  publicKey: `0x${string}`;
  validatorIndex: number;
  kind: SignatureKind;
  signature: `0x${string}`;
  /** Exit only: its oracle shares, when the oracle set could be read. */
  oracleExitShares?: OracleExitShares;
}

/** What `putValidator` did: nothing (same index), a new record, or a reset (index changed: shares dropped). */
export type PutValidatorOutcome = "kept" | "created" | "reset";

/** Where a key was seen registered: on the beacon chain or in a DepositEvent. */
export type RegisteredKeySource = "cl" | "deposit";
