import type { Hex } from "viem";
import { z } from "zod";
import { httpJson, parseAnswer } from "../../lib/http/request.ts";

/**
 * The relayer's sidecar API (spec A.1 / A.2) as the sidecar uses it: GET /info, and either
 * GET /validators + POST /signatures (v4) or GET /exits + POST /exit-signature (legacy). Items
 * of a list that do not parse are skipped (counted), not fatal: one odd record must not stop
 * the node from signing the others.
 */

export type RelayerProtocol = "v4" | "legacy";

/** What the relayer asks this node to sign, both generations in one shape. */
export interface SigningTask {
  /** The validator's public key, 0x + lowercase hex. */
  publicKey: Hex;
  validatorIndex: number;
  /** Share indexes whose signatures the relayer already holds. */
  shareIndexesReady: readonly number[];
  /** The relayer already recovered every signature. */
  ready: boolean;
  /** v4 only: the deposit the validator is registered with. */
  deposit?: { vault: Hex; amountGwei: number; validatorType: "0x01" | "0x02" };
}

export interface SignatureShare {
  publicKey: Hex;
  exitSignature: Hex;
  depositSignature?: Hex;
  publicKeyShares: readonly { shareIndex: number; publicKeyShare: Hex }[];
}

export interface RelayerClient {
  readonly endpoint: string;
  /** GET /info → the relayer's network name. */
  network(signal?: AbortSignal): Promise<string>;
  /** The tasks, and how many items were skipped as unparsable. */
  tasks(signal?: AbortSignal): Promise<{ tasks: SigningTask[]; skipped: number }>;
  /** Posts this share index's signature shares. */
  post(shareIndex: number, shares: readonly SignatureShare[], signal?: AbortSignal): Promise<void>;
}

const hexKey = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{96}$/)
  .transform((text) => `0x${text.replace(/^0x/, "").toLowerCase()}` as Hex);
const index = z.number().int().nonnegative();

const V4Item = z.object({
  vault: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  public_key: hexKey,
  amount: z.number().int().positive(),
  validator_index: index,
  validator_type: z.enum(["0x01", "0x02"]),
  is_signatures_ready: z.boolean(),
  share_indexes_ready: z.array(index).default([]),
});
const LegacyItem = z.object({
  public_key: hexKey,
  validator_index: index,
  is_exit_signature_ready: z.boolean(),
  share_indexes_ready: z.array(index).default([]),
});
const InfoSchema = z.object({ network: z.string().min(1) });
const V4List = z.object({ validators: z.array(z.unknown()) });
const LegacyList = z.object({ exits: z.array(z.unknown()) });

function toTask(protocol: RelayerProtocol, item: unknown): SigningTask | undefined {
  const parsed = (protocol === "v4" ? V4Item : LegacyItem).safeParse(item);
  if (!parsed.success) return undefined;
  const v = parsed.data;
  const task: SigningTask = {
    publicKey: v.public_key,
    validatorIndex: v.validator_index,
    shareIndexesReady: v.share_indexes_ready,
    ready: "is_signatures_ready" in v ? v.is_signatures_ready : v.is_exit_signature_ready,
  };
  if ("vault" in v)
    task.deposit = { vault: v.vault as Hex, amountGwei: v.amount, validatorType: v.validator_type };
  return task;
}

export interface CreateRelayerClientParameters {
  endpoint: string;
  protocol: RelayerProtocol;
  /** Per request (default 10 s, the original sidecar's RELAYER_TIMEOUT). */
  timeoutMs?: number;
}

export function createRelayerClient(params: CreateRelayerClientParameters): RelayerClient {
  const { endpoint, protocol } = params;
  const timeoutMs = params.timeoutMs ?? 10_000;
  const get = (path: string, signal?: AbortSignal) => httpJson(endpoint, path, { timeoutMs, signal });
  return {
    endpoint,
    async network(signal) {
      return parseAnswer(InfoSchema, endpoint, "/info", await get("/info", signal)).network;
    },
    async tasks(signal) {
      const items =
        protocol === "v4"
          ? parseAnswer(V4List, endpoint, "/validators", await get("/validators", signal)).validators
          : parseAnswer(LegacyList, endpoint, "/exits", await get("/exits", signal)).exits;
      const tasks: SigningTask[] = [];
      for (const item of items) {
        const task = toTask(protocol, item);
        if (task) tasks.push(task);
      }
      return { tasks, skipped: items.length - tasks.length };
    },
    async post(shareIndex, shares, signal) {
      const body =
        protocol === "v4"
          ? {
              share_index: shareIndex,
              shares: shares.map((s) => ({
                public_key: s.publicKey,
                exit_signature: s.exitSignature,
                deposit_signature: s.depositSignature,
                public_key_shares: s.publicKeyShares.map((p) => ({
                  share_index: p.shareIndex,
                  public_key_share: p.publicKeyShare,
                })),
              })),
            }
          : {
              share_index: shareIndex,
              shares: shares.map((s) => ({ public_key: s.publicKey, exit_signature: s.exitSignature })),
            };
      const path = protocol === "v4" ? "/signatures" : "/exit-signature";
      await httpJson(endpoint, path, { method: "POST", json: body, timeoutMs, signal });
    },
  };
}
