import type { Hex } from "viem";
import type { ExitNetwork } from "../../crypto/exit-message.ts";
import type {
  ExitSigner,
  ExitToSign,
  OracleExitSignature,
  ShareScheme,
} from "../../keys/sources/exit-signer.ts";
import { OperatorError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { LegacyOracleShards, LegacyRelayerClient } from "./legacy-relayer-client.ts";
import { RelayerNotReadyError } from "./relayer-client.ts";

export interface LegacyRelayerKeysParameters {
  relayer: LegacyRelayerClient;
  /** The deposit data file's public keys: the keys this operator registers. */
  publicKeys: readonly Hex[];
  log: Logger;
  /** The index-mismatch warning repeats at most this often per key (default one minute). */
  repeatMs?: number;
}

/** Keys named in a line: the first three, then how many more. */
function keyList(keys: readonly Hex[]): string {
  const shown = keys.slice(0, 3).join(", ");
  return keys.length > 3 ? `${shown} and ${keys.length - 3} more` : shown;
}

/**
 * The key source of `start --relayer-endpoint … --relayer-protocol legacy` (spec A.0, A.2): the
 * operator registers its own deposit data (made for the distributed validators' keys by the
 * Obol or SSV tooling), but no process holds a whole key, so the exit signatures for the oracles
 * come from a legacy DVT relayer, already re-shared and encrypted for them. The registration
 * calls prepareExitsForOracles once per round: one POST /validators for the round's keys; until
 * every one has its shards, and while the relayer signs an exit for another validator index than
 * the operator's (the oracles would reject it), the round waits (RelayerNotReadyError). Then
 * signExitForOracles hands each key's shards over unchanged.
 */
export function legacyRelayerKeys(p: LegacyRelayerKeysParameters): ExitSigner {
  const { relayer, log } = p;
  const endpoint = relayer.endpoint;
  const keys = new Set(p.publicKeys.map((k) => k.toLowerCase() as Hex));
  /** The last round's shards by key, for the index they were made for. */
  let prepared = new Map<Hex, { validatorIndex: number; shards: LegacyOracleShards }>();

  const refuse = async (): Promise<never> => {
    throw new OperatorError(
      `the exits of this deposit data are signed by the sidecars of the relayer ${endpoint}: this operator holds no validator key`,
    );
  };

  async function prepareExitsForOracles(
    exits: readonly ExitToSign[],
    _network: ExitNetwork,
    oracles: ShareScheme,
    signal?: AbortSignal,
  ): Promise<void> {
    prepared = new Map();
    if (exits.length === 0) return;
    const wanted = exits.map((e) => ({ ...e, publicKey: e.publicKey.toLowerCase() as Hex }));
    const first = wanted[0]?.validatorIndex ?? 0;
    wanted.forEach((e, k) => {
      if (!keys.has(e.publicKey)) throw new OperatorError(`${e.publicKey} is not a key of the deposit data`);
      // The relayer indexes the keys it is sent from its next index on: one batch, consecutive indexes.
      if (e.validatorIndex !== first + k) {
        throw new OperatorError(`the exits of one relayer batch must have consecutive validator indexes`);
      }
    });
    const answer = await relayer.validators(
      wanted.map((e) => e.publicKey),
      signal,
    );
    const relayerIndexes = await relayer.exitIndexes(signal);

    const differing = wanted.filter((e) => relayerIndexes.get(e.publicKey) !== e.validatorIndex);
    for (const e of differing) {
      log
        .throttled(`index ${e.publicKey}`, p.repeatMs ?? 60_000)
        .warn("the relayer signs the exit for another validator index", {
          relayer: endpoint,
          publicKey: e.publicKey,
          operatorIndex: e.validatorIndex,
          relayerIndex: relayerIndexes.get(e.publicKey) ?? null,
        });
    }
    const firstDiffering = differing[0];
    if (firstDiffering) {
      const theirs = relayerIndexes.get(firstDiffering.publicKey);
      throw new RelayerNotReadyError(
        `the relayer ${endpoint} signs the exit of ${firstDiffering.publicKey} for validator index ${theirs ?? "none"} but it gets index ${firstDiffering.validatorIndex}: waiting until the relayer's deposit scan agrees (the oracles reject an exit for another index)`,
      );
    }

    const byKey = new Map(answer.validators.map((v) => [v.publicKey, v.shards]));
    const waiting = wanted.filter((e) => byKey.get(e.publicKey) === undefined).map((e) => e.publicKey);
    if (waiting.length > 0 || !answer.ready) {
      // The round's wait says it too (the first keys); this line lists them all.
      log.debug("waiting for the relayer's exit signatures", {
        relayer: endpoint,
        waiting: waiting.length,
        publicKeys: waiting,
      });
      throw new RelayerNotReadyError(
        `waiting for the relayer ${endpoint}: the sidecars have not signed the exits of ${waiting.length} of ${wanted.length} validators yet (${keyList(waiting)})`,
      );
    }
    const next = new Map<Hex, { validatorIndex: number; shards: LegacyOracleShards }>();
    for (const e of wanted) {
      const shards = byKey.get(e.publicKey) as LegacyOracleShards;
      const count = Math.max(shards.publicKeys.length, shards.encryptedExitSignatures.length);
      if (
        shards.publicKeys.length !== oracles.count ||
        shards.encryptedExitSignatures.length !== oracles.count
      ) {
        throw new OperatorError(
          `the relayer ${endpoint} shared the exit signature of ${e.publicKey} among ${count} oracles but the Keeper's oracle set has ${oracles.count}: the relayer's oracle config is not the Keeper's (it reads the Keeper's config again)`,
          { retryable: true },
        );
      }
      next.set(e.publicKey, { validatorIndex: e.validatorIndex, shards });
    }
    prepared = next;
  }

  return {
    description: `DVT relayer ${endpoint} (legacy; the deposit data's keys, no local keys)`,
    size: keys.size,
    has: (publicKey) => keys.has(publicKey.toLowerCase() as Hex),
    publicKeys: () => [...keys],
    check: async () => {},
    signExit: refuse,
    prepareExitsForOracles,
    async signExitForOracles(publicKey, validatorIndex): Promise<OracleExitSignature> {
      const entry = prepared.get(publicKey.toLowerCase() as Hex);
      if (!entry || entry.validatorIndex !== validatorIndex) {
        throw new OperatorError(
          `the relayer ${endpoint} was not asked for the exit of ${publicKey} at validator index ${validatorIndex}: a legacy relayer's exits come with the registration's batch only`,
        );
      }
      return { kind: "encrypted", ...entry.shards };
    },
    close: async () => {},
  };
}
