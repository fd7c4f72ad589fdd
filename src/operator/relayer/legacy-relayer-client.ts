import type { Hex } from "viem";
import { z } from "zod";
import { httpJson, parseAnswer } from "../../lib/http/request.ts";
import { anyHex, hex, readRelayerInfo } from "./relayer-client.ts";

/**
 * The DVT relayer's operator API, legacy generation (spec A.2, the Python operator v3's
 * `start-api --relayer-type DVT`): GET /info says the relayer's network; POST /validators names
 * the public keys the operator registers next (from its own deposit data) and answers with the
 * oracle shards the sidecars' exit signatures were re-shared into, once recovered; GET /exits (the
 * sidecars' list) says which validator index the relayer signs each exit for.
 */

const ShardsSchema = z.object({
  public_keys: z.array(hex(48)).min(1),
  encrypted_exit_signatures: z.array(anyHex).min(1),
});

const ValidatorsSchema = z.object({
  ready: z.boolean(),
  validators: z.array(
    z.object({
      public_key: hex(48),
      oracles_exit_signature_shares: ShardsSchema.nullable().optional(),
    }),
  ),
});

const ExitsSchema = z.object({
  exits: z.array(z.object({ public_key: hex(48), validator_index: z.number().int().nonnegative() })),
});

/** The exit signature of one validator re-shared for the oracles: one key share and one ciphertext each. */
export interface LegacyOracleShards {
  publicKeys: Hex[];
  encryptedExitSignatures: Hex[];
}

export interface LegacyRelayerValidator {
  publicKey: Hex;
  /** Undefined until the sidecars' shares recovered the exit signature. */
  shards: LegacyOracleShards | undefined;
}

export interface LegacyRelayerValidators {
  /** True when every listed validator has its shards. */
  ready: boolean;
  validators: LegacyRelayerValidator[];
}

export interface LegacyRelayerClient {
  readonly endpoint: string;
  info(signal?: AbortSignal): Promise<{ network: string }>;
  /** POST /validators: the keys to register next, in order (the relayer indexes them from its next index). */
  validators(publicKeys: readonly Hex[], signal?: AbortSignal): Promise<LegacyRelayerValidators>;
  /** GET /exits: the validator index the relayer has each key's exit signed for. */
  exitIndexes(signal?: AbortSignal): Promise<Map<Hex, number>>;
}

export function createLegacyRelayerClient(options: {
  endpoint: string;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
}): LegacyRelayerClient {
  const { endpoint, timeoutMs } = options;
  const http = { timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) };
  return {
    endpoint,
    async info(signal) {
      return { network: (await readRelayerInfo(endpoint, http, signal)).network };
    },
    async validators(publicKeys, signal) {
      const json = await httpJson(endpoint, "/validators", {
        ...http,
        signal,
        method: "POST",
        json: { public_keys: publicKeys },
      });
      const answer = parseAnswer(ValidatorsSchema, endpoint, "/validators", json);
      return {
        ready: answer.ready,
        validators: answer.validators.map((v) => ({
          publicKey: v.public_key,
          shards: v.oracles_exit_signature_shares
            ? {
                publicKeys: v.oracles_exit_signature_shares.public_keys,
                encryptedExitSignatures: v.oracles_exit_signature_shares.encrypted_exit_signatures,
              }
            : undefined,
        })),
      };
    },
    async exitIndexes(signal) {
      const json = await httpJson(endpoint, "/exits", { ...http, signal });
      const answer = parseAnswer(ExitsSchema, endpoint, "/exits", json);
      return new Map(answer.exits.map((e) => [e.public_key, e.validator_index]));
    },
  };
}
