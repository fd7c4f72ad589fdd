import type {
  NewShare,
  PublicKeyShareRow,
  PutValidatorOutcome,
  RecoveredSignature,
  RegisteredKeySource,
  SignatureKind,
  StoredShare,
  ValidatorRecord,
  ValidatorRequest,
} from "./records.ts";

/**
 * The relayer's state (spec A.3's schema), in SQLite or PostgreSQL. Every method is one
 * transaction. Semantics both implementations keep:
 * - a validator whose index changes is reset: its shares and signatures are discarded;
 * - the first share stored for (public key, kind, share index) wins, later ones are ignored;
 * - a full signature is stored only for the validator index it was recovered for.
 */
export interface RelayerStore {
  /** Creates the record, keeps it (same index) or resets it (another index). */
  putValidator(request: ValidatorRequest): Promise<PutValidatorOutcome>;
  validator(publicKey: `0x${string}`): Promise<ValidatorRecord | undefined>;
  /** Every record, oldest first. */
  validators(): Promise<ValidatorRecord[]>;
  /**
   * Stores each share unless one is stored for its (key, kind, index) or its validator is gone, all
   * in one transaction (one disk sync per sidecar request); per share, true when it was stored.
   */
  addShares(shares: readonly NewShare[], receivedAt: number): Promise<boolean[]>;
  shares(publicKey: `0x${string}`, kind: SignatureKind): Promise<StoredShare[]>;
  /**
   * Keeps a validator's accepted public key shares (the sidecars' own, checked against its key);
   * shares of an index already kept are ignored, and nothing is kept for an unknown validator.
   */
  putPublicKeyShares(publicKey: `0x${string}`, shares: readonly PublicKeyShareRow[]): Promise<void>;
  /** The public key shares kept for the validator, by ascending share index; empty when none. */
  publicKeyShares(publicKey: `0x${string}`): Promise<PublicKeyShareRow[]>;
  /**
   * Stores each recovered signature if its record still has the validator index, in one
   * transaction; per item, false when the record was reset or deleted meanwhile.
   */
  setSignatures(signatures: readonly RecoveredSignature[]): Promise<boolean[]>;
  /** Deletes records (and their shares) created before `createdBefore` (unix s); returns how many. */
  deleteValidatorsBefore(createdBefore: number): Promise<number>;
  /** Records keys seen registered and advances `checkpoint` to `block` in one transaction. */
  addRegisteredKeys(
    keys: readonly `0x${string}`[],
    source: RegisteredKeySource,
    block: bigint,
    checkpoint: string,
  ): Promise<void>;
  registeredKeys(): Promise<Set<`0x${string}`>>;
  checkpoint(name: string): Promise<bigint | undefined>;
  /** Resolves when the database answers a trivial query (for /health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Key columns hold 0x + lower-case hex, so one spelling of a key is one row. */
export function normalizeKey(publicKey: string): `0x${string}` {
  const hex = publicKey.toLowerCase();
  return (hex.startsWith("0x") ? hex : `0x${hex}`) as `0x${string}`;
}
