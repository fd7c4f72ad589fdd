import type { EciesRecipient } from "../../crypto/ecies.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import type { Logger } from "../../lib/logger.ts";
import { buildExitShards } from "../../oracles/exit-shares.ts";
import type { RelayerMetrics } from "./metrics.ts";
import {
  acceptClaimedShares,
  type ClaimedPublicKeyShare,
  type PublicKeyShareSource,
  type PublicKeyShares,
} from "./public-key-shares.ts";
import type {
  OracleExitShares,
  RecoveredSignature,
  SignatureKind,
  ValidatorRecord,
  ValidatorRequest,
} from "./records.ts";
import { recoverSignature, shareVerifies } from "./recovery.ts";
import { RelayerInputError } from "./relayer-errors.ts";
import type { SigningNetwork } from "./signing-roots.ts";
import { signingRoots } from "./signing-roots.ts";
import { normalizeKey, type RelayerStore } from "./store.ts";

/** The oracles the exit signature is re-shared for (spec A.6), in protocol config order. */
export interface OracleShareTarget {
  recipients: readonly EciesRecipient[];
  /** exit_signature_recover_threshold. */
  threshold: number;
}

/** One item of a sidecar's POST: its signature shares for one validator. */
export interface IncomingShare {
  publicKey: `0x${string}`;
  exitSignature: `0x${string}`;
  /** Today's generation; absent from legacy sidecars (they sign exits only). */
  depositSignature?: `0x${string}`;
  /** Sent by sidecar v2.1; used only when no trusted source (cluster-lock, SSV events) is configured. */
  publicKeyShares?: readonly ClaimedPublicKeyShare[];
}

export interface RelayerCoreOptions {
  network: SigningNetwork;
  /** t: signature shares that make a signature (one threshold for every cluster served). */
  threshold: number;
}

export interface RelayerCoreDeps {
  store: RelayerStore;
  /** Trusted public key shares; undefined: the sidecars' own, once checked against the validator key. */
  publicKeyShares: PublicKeyShareSource | undefined;
  oracles: () => Promise<OracleShareTarget>;
  log: Logger;
  metrics: RelayerMetrics | null;
  /** Unix ms. */
  now?: () => number;
}

const KINDS: readonly SignatureKind[] = ["exit", "deposit"];

/**
 * The relayer's state machine, with no HTTP and no chain: records validators, checks every
 * signature share against its public key share before storing it, recovers and verifies full
 * signatures from any t stored shares, and re-shares exit signatures for the oracles. All writes
 * run one at a time, so a record is never reset between a share's check and its storing.
 */
export function createRelayerCore(options: RelayerCoreOptions, deps: RelayerCoreDeps) {
  const { store, log, metrics } = deps;
  const rootOf = signingRoots(options.network);
  const now = deps.now ?? Date.now;
  /** Public key shares the sidecars sent and that were shown to belong to the validator key. */
  const accepted = new Map<string, PublicKeyShares>();
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(body: () => Promise<T>): Promise<T> => {
    const result = queue.then(body);
    queue = result.catch(() => {});
    return result;
  };

  /**
   * The sidecars' public key shares of `key` accepted earlier: remembered, or kept in the store by
   * the process before a restart (so it still knows the cluster's share indexes).
   */
  async function claimedSharesOf(key: `0x${string}`): Promise<PublicKeyShares | undefined> {
    const known = accepted.get(key);
    if (known) return known;
    const rows = await store.publicKeyShares(key);
    if (rows.length === 0) return undefined;
    const shares = new Map(
      rows.map((row) => [row.shareIndex, parseHex(row.publicKeyShare, 48) as Uint8Array]),
    );
    accepted.set(key, shares);
    return shares;
  }

  async function publicKeySharesOf(item: IncomingShare): Promise<PublicKeyShares> {
    const key = normalizeKey(item.publicKey);
    if (deps.publicKeyShares) {
      const shares = await deps.publicKeyShares.sharesOf(key);
      if (!shares) {
        throw new RelayerInputError(
          `validator ${key} is not in the ${deps.publicKeyShares.name} cluster data`,
          "unknown_key",
        );
      }
      return shares;
    }
    const known = await claimedSharesOf(key);
    if (known) return known;
    if (!item.publicKeyShares) {
      throw new RelayerInputError(
        `validator ${key}: no public_key_shares sent and no --obol-cluster-lock or --ssv-cluster-owner configured to check the share against`,
        "no_public_key_shares",
      );
    }
    const shares = acceptClaimedShares(key, item.publicKeyShares, options.threshold);
    accepted.set(key, shares);
    return shares;
  }

  /** The shares of one item that are new and verified, or a RelayerInputError naming the bad one. */
  async function checkItem(shareIndex: bigint, item: IncomingShare, record: ValidatorRecord) {
    const trusted = await publicKeySharesOf(item);
    const publicKeyShare = trusted.get(shareIndex);
    if (!publicKeyShare) {
      const indexes = [...trusted.keys()].join(", ");
      throw new RelayerInputError(
        `share index ${shareIndex} is not in the cluster of validator ${record.publicKey} (its share indexes: ${indexes})`,
        "share_index",
      );
    }
    const fresh: { kind: SignatureKind; signature: `0x${string}` }[] = [];
    for (const kind of KINDS) {
      if (kind === "deposit" && record.vault === null) continue; // legacy: exits only
      const signature = kind === "exit" ? item.exitSignature : item.depositSignature;
      if (signature === undefined) {
        throw new RelayerInputError(
          `validator ${record.publicKey} share ${shareIndex}: deposit_signature is missing`,
          "malformed",
        );
      }
      const stored = kind === "exit" ? record.exitShareIndexes : record.depositShareIndexes;
      if (stored.includes(shareIndex)) continue; // first write wins
      if (!shareVerifies(rootOf(kind, record), publicKeyShare, signature)) {
        throw new RelayerInputError(
          `validator ${record.publicKey} share ${shareIndex}: the ${kind} signature share does not verify under its public key share`,
          "bad_signature",
        );
      }
      fresh.push({ kind, signature });
    }
    return fresh;
  }

  /**
   * The signatures the record's stored shares now allow (recovered and verified), the exit one with
   * its oracle shares when the oracle set can be read; `recovered` is false for an exit signature
   * recovered earlier that only gains its oracle shares now. Nothing is written here.
   */
  async function recoverable(
    record: ValidatorRecord,
  ): Promise<{ write: RecoveredSignature; recovered: boolean }[]> {
    const found: { write: RecoveredSignature; recovered: boolean }[] = [];
    const { publicKey, validatorIndex } = record;
    for (const kind of KINDS) {
      if (kind === "deposit" && record.vault === null) continue;
      const known = kind === "exit" ? record.exitSignature : record.depositSignature;
      if (known !== null && (kind === "deposit" || record.oracleExitShares !== null)) continue;
      const signature =
        known ??
        recoverSignature({
          shares: await store.shares(publicKey, kind),
          threshold: options.threshold,
          root: rootOf(kind, record),
          publicKey,
        });
      if (signature === undefined) continue;
      const oracleExitShares = kind === "exit" ? await reshare(record, signature) : undefined;
      if (known !== null && !oracleExitShares) continue;
      found.push({
        write: {
          publicKey,
          validatorIndex,
          kind,
          signature,
          ...(oracleExitShares ? { oracleExitShares } : {}),
        },
        recovered: known === null,
      });
    }
    return found;
  }

  async function reshare(
    record: ValidatorRecord,
    exitSignature: `0x${string}`,
  ): Promise<OracleExitShares | undefined> {
    let target: OracleShareTarget;
    try {
      target = await deps.oracles();
    } catch (error) {
      log.throttled("oracles", 60_000).warn("cannot read the oracle set; exit shares wait", {}, error);
      return undefined;
    }
    const shards = buildExitShards({
      exitSignature: parseHex(exitSignature, 96) as Uint8Array,
      validatorPublicKey: parseHex(record.publicKey, 48) as Uint8Array,
      validatorIndex: record.validatorIndex,
      network: options.network,
      threshold: target.threshold,
      oracles: target.recipients,
    });
    return { publicKeys: shards.publicKeyShards, encryptedExitSignatures: shards.exitSignatureShards };
  }

  /** Recovers what the records' shares allow and stores it all in one transaction. */
  async function complete(records: readonly ValidatorRecord[]): Promise<void> {
    const found: { write: RecoveredSignature; recovered: boolean }[] = [];
    for (const record of records) found.push(...(await recoverable(record)));
    if (found.length === 0) return;
    const stored = await store.setSignatures(found.map((f) => f.write));
    found.forEach(({ write, recovered }, i) => {
      if (!stored[i] || !recovered) return;
      metrics?.recoveries.inc({ kind: write.kind });
      log.info("signature recovered", {
        publicKey: write.publicKey,
        kind: write.kind,
        validatorIndex: write.validatorIndex,
      });
    });
  }

  return {
    /** Creates, keeps or resets each record (spec A.1 step 2); returns the records as stored. */
    recordValidators(requests: readonly ValidatorRequest[]): Promise<ValidatorRecord[]> {
      return serial(async () => {
        const records: ValidatorRecord[] = [];
        for (const request of requests) {
          const outcome = await store.putValidator({
            ...request,
            publicKey: normalizeKey(request.publicKey),
          });
          if (outcome === "reset") {
            log.info("validator index changed: shares discarded", {
              publicKey: request.publicKey,
              validatorIndex: request.validatorIndex,
            });
          }
          const record = await store.validator(request.publicKey);
          if (record) records.push(record);
        }
        return records;
      });
    },

    /**
     * A sidecar's shares (POST /signatures, /exit-signature). Every item is checked first; one bad
     * item refuses the whole request with a RelayerInputError and nothing is stored.
     */
    receiveShares(shareIndex: bigint, items: readonly IncomingShare[]): Promise<void> {
      return serial(async () => {
        const checked: { record: ValidatorRecord; fresh: Awaited<ReturnType<typeof checkItem>> }[] = [];
        const seen = new Set<string>();
        try {
          if (shareIndex < 1n)
            throw new RelayerInputError(`share index ${shareIndex} must be 1 or more`, "share_index");
          for (const item of items) {
            const key = normalizeKey(item.publicKey);
            if (seen.has(key))
              throw new RelayerInputError(`validator ${key} appears twice in one request`, "malformed");
            seen.add(key);
            const record = await store.validator(key);
            if (!record)
              throw new RelayerInputError(
                `validator ${key} is not one the relayer was asked to sign`,
                "unknown_key",
              );
            checked.push({ record, fresh: await checkItem(shareIndex, item, record) });
          }
        } catch (error) {
          if (error instanceof RelayerInputError) {
            metrics?.sharesRejected.inc({ reason: error.reason });
            log.warn(
              "signature shares rejected",
              { shareIndex: shareIndex.toString(), reason: error.reason },
              error,
            );
          }
          throw error;
        }
        const shares = checked.flatMap(({ record, fresh }) =>
          fresh.map(({ kind, signature }) => ({
            publicKey: record.publicKey,
            kind,
            share: { shareIndex, signature },
          })),
        );
        const stored = await store.addShares(shares, Math.floor(now() / 1000));
        shares.forEach(({ kind }, i) => {
          if (stored[i]) metrics?.sharesReceived.inc({ kind });
        });
        const current: ValidatorRecord[] = [];
        for (const { record } of checked) {
          // The sidecars' own public key shares, once accepted, outlive a restart.
          const claimedShares = deps.publicKeyShares ? undefined : accepted.get(record.publicKey);
          if (claimedShares) {
            await store.putPublicKeyShares(
              record.publicKey,
              [...claimedShares].map(([index, key]) => ({
                shareIndex: index,
                publicKeyShare: toPrefixedHex(key),
              })),
            );
          }
          const fresh = await store.validator(record.publicKey);
          if (fresh) current.push(fresh);
        }
        await complete(current);
      });
    },

    /** Recovers what stored shares allow and re-shares exits whose oracle shares are missing. */
    retryPending(): Promise<void> {
      return serial(async () => {
        const pending = (await store.validators()).filter(
          (record) =>
            record.exitSignature === null ||
            record.oracleExitShares === null ||
            (record.vault !== null && record.depositSignature === null),
        );
        await complete(pending);
      });
    },

    /** Share indexes of the validator's cluster that have not sent both shares yet (when known). */
    async missingShareIndexes(record: ValidatorRecord): Promise<bigint[] | undefined> {
      const trusted = deps.publicKeyShares
        ? await deps.publicKeyShares.sharesOf(record.publicKey)
        : await claimedSharesOf(record.publicKey);
      if (!trusted) return undefined;
      const ready = new Set(shareIndexesReady(record));
      return [...trusted.keys()].filter((index) => !ready.has(index)).sort((a, b) => (a < b ? -1 : 1));
    },

    validators: () => store.validators(),
    validator: (publicKey: `0x${string}`) => store.validator(publicKey),

    /** Drops records older than `maxAgeSeconds` (spec A.3 cleanup). */
    deleteExpired(maxAgeSeconds: number): Promise<number> {
      return serial(() => store.deleteValidatorsBefore(Math.floor(now() / 1000) - maxAgeSeconds));
    },
  };
}

export type RelayerCore = ReturnType<typeof createRelayerCore>;

/** Share indexes that sent every share the record needs (exit and, today's generation, deposit). */
export function shareIndexesReady(record: ValidatorRecord): bigint[] {
  if (record.vault === null) return record.exitShareIndexes;
  const deposit = new Set(record.depositShareIndexes);
  return record.exitShareIndexes.filter((index) => deposit.has(index));
}

/** Both signatures recovered (today's generation) or the exit (legacy). */
export function signaturesReady(record: ValidatorRecord): boolean {
  return record.exitSignature !== null && (record.vault === null || record.depositSignature !== null);
}
