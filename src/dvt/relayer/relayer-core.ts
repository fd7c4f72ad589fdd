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
import type { SignatureKind, ValidatorRecord, ValidatorRequest } from "./records.ts";
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

  async function complete(record: ValidatorRecord): Promise<void> {
    for (const kind of KINDS) {
      if (kind === "deposit" && record.vault === null) continue;
      if ((kind === "exit" ? record.exitSignature : record.depositSignature) !== null) continue;
      const signature = recoverSignature({
        shares: await store.shares(record.publicKey, kind),
        threshold: options.threshold,
        root: rootOf(kind, record),
        publicKey: record.publicKey,
      });
      if (signature === undefined) continue;
      metrics?.recoveries.inc({ kind });
      await store.setSignature(record.publicKey, record.validatorIndex, kind, signature);
      if (kind === "exit") record.exitSignature = signature;
      log.info("signature recovered", {
        publicKey: record.publicKey,
        kind,
        validatorIndex: record.validatorIndex,
      });
    }
    if (record.exitSignature !== null && record.oracleExitShares === null)
      await reshare(record, record.exitSignature);
  }

  async function reshare(record: ValidatorRecord, exitSignature: `0x${string}`): Promise<void> {
    let target: OracleShareTarget;
    try {
      target = await deps.oracles();
    } catch (error) {
      log.throttled("oracles", 60_000).warn("cannot read the oracle set; exit shares wait", {}, error);
      return;
    }
    const shards = buildExitShards({
      exitSignature: parseHex(exitSignature, 96) as Uint8Array,
      validatorPublicKey: parseHex(record.publicKey, 48) as Uint8Array,
      validatorIndex: record.validatorIndex,
      network: options.network,
      threshold: target.threshold,
      oracles: target.recipients,
    });
    await store.setSignature(record.publicKey, record.validatorIndex, "exit", exitSignature, {
      publicKeys: shards.publicKeyShards,
      encryptedExitSignatures: shards.exitSignatureShards,
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
        const receivedAt = Math.floor(now() / 1000);
        for (const { record, fresh } of checked) {
          for (const { kind, signature } of fresh) {
            if (await store.addShare(record.publicKey, kind, { shareIndex, signature }, receivedAt)) {
              metrics?.sharesReceived.inc({ kind });
            }
          }
          const claimedShares = deps.publicKeyShares ? undefined : accepted.get(record.publicKey);
          if (claimedShares) {
            await store.putPublicKeyShares(
              record.publicKey,
              [...claimedShares].map(([shareIndex, key]) => ({
                shareIndex,
                publicKeyShare: toPrefixedHex(key),
              })),
            );
          }
          const current = await store.validator(record.publicKey);
          if (current) await complete(current);
        }
      });
    },

    /** Recovers what stored shares allow and re-shares exits whose oracle shares are missing. */
    retryPending(): Promise<void> {
      return serial(async () => {
        for (const record of await store.validators()) {
          const done = record.exitSignature !== null && record.oracleExitShares !== null;
          if (!done || (record.vault !== null && record.depositSignature === null)) await complete(record);
        }
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
