import type { Address, Hex } from "viem";
import { z } from "zod";
import type { ValidatorType } from "../../keys/validator-entries.ts";
import { OperatorError } from "../../lib/errors.ts";
import { httpJson, parseAnswer } from "../../lib/http/request.ts";
import type { RelayerManagerEndpoint } from "../manager-signatures.ts";

/**
 * The DVT relayer's operator API, today's generation (spec A.1, the Python operator v4's
 * `start-relayer`): GET /info says the relayer's network and validators manager; POST /register
 * hands out validators for a start index and amounts, with the signatures the sidecars made so far.
 */

// The Python operator adds a missing 0x to every hex value the relayer sends: so do we.
export const hex = (bytes: number) =>
  z
    .string()
    .regex(new RegExp(`^(0x)?[0-9a-fA-F]{${bytes * 2}}$`), `must be ${bytes} bytes of hex`)
    .transform((text) => `0x${text.replace(/^0x/, "").toLowerCase()}` as Hex);
export const anyHex = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]*$/, "must be hex")
  .transform((text) => `0x${text.replace(/^0x/, "").toLowerCase()}` as Hex);

export const InfoSchema = z.object({
  network: z.string().min(1),
  validators_manager_address: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/)
    .optional()
    .nullable(),
});

const RegisterSchema = z.object({
  validators: z.array(
    z.object({
      public_key: hex(48),
      amount: z.number().int().positive(),
      deposit_signature: hex(96).nullable().optional(),
      exit_signature: hex(96).nullable().optional(),
      oracles_exit_signature_shares: z
        .object({ public_keys: z.array(hex(48)).min(1), encrypted_exit_signatures: z.array(anyHex).min(1) })
        .nullable()
        .optional(),
    }),
  ),
  validators_manager_signature: anyHex.nullable().optional(),
});

export interface RelayerInfo {
  network: string;
  /** The wallet the relayer signs as validators manager with; undefined when it has none. */
  validatorsManager: Address | undefined;
}

/** One validator as the relayer returns it; the signatures are undefined until the sidecars made them. */
export interface RelayerValidator {
  publicKey: Hex;
  amountGwei: bigint;
  depositSignature: Hex | undefined;
  /** The exit signature re-shared for the oracles: one public key share and one ECIES ciphertext per oracle. */
  oracleShards: { publicKeys: Hex[]; encryptedExitSignatures: Hex[] } | undefined;
}

export interface RelayerRegistration {
  validators: RelayerValidator[];
  validatorsManagerSignature: Hex | undefined;
}

export interface RelayerRegisterRequest {
  vault: Address;
  validatorsStartIndex: number;
  amountsGwei: readonly bigint[];
  validatorType: ValidatorType;
}

export interface OperatorRelayerClient extends RelayerManagerEndpoint {
  readonly endpoint: string;
  info(signal?: AbortSignal): Promise<RelayerInfo>;
  register(request: RelayerRegisterRequest, signal?: AbortSignal): Promise<RelayerRegistration>;
}

const ManagerSignatureSchema = z.object({ validators_manager_signature: anyHex });

/** GET /info of a relayer of either generation (the legacy one names its network only). */
export async function readRelayerInfo(
  endpoint: string,
  http: { timeoutMs: number; fetch?: typeof globalThis.fetch },
  signal?: AbortSignal,
): Promise<RelayerInfo> {
  const json = await httpJson(endpoint, "/info", { ...http, ...(signal ? { signal } : {}) });
  const info = parseAnswer(InfoSchema, endpoint, "/info", json);
  return {
    network: info.network,
    validatorsManager: (info.validators_manager_address ?? undefined) as Address | undefined,
  };
}

/** The relayer has not got every signature of this batch yet: the registration waits a slot. */
export class RelayerNotReadyError extends OperatorError {
  override name = "RelayerNotReadyError";
}

export function createOperatorRelayerClient(options: {
  endpoint: string;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
}): OperatorRelayerClient {
  const { endpoint, timeoutMs } = options;
  const http = { timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) };
  return {
    endpoint,
    info: (signal) => readRelayerInfo(endpoint, http, signal),
    async register(request, signal) {
      const json = await httpJson(endpoint, "/register", {
        ...http,
        signal,
        method: "POST",
        json: {
          vault: request.vault,
          validators_start_index: request.validatorsStartIndex,
          // Gwei fits a JSON number: 2048 ETH is 2.048e12 gwei, far below 2^53.
          amounts: request.amountsGwei.map(Number),
          validator_type: request.validatorType,
        },
      });
      const answer = parseAnswer(RegisterSchema, endpoint, "/register", json);
      return {
        validators: answer.validators.map((v) => ({
          publicKey: v.public_key,
          amountGwei: BigInt(v.amount),
          depositSignature: v.deposit_signature ?? undefined,
          oracleShards: v.oracles_exit_signature_shares
            ? {
                publicKeys: v.oracles_exit_signature_shares.public_keys,
                encryptedExitSignatures: v.oracles_exit_signature_shares.encrypted_exit_signatures,
              }
            : undefined,
        })),
        validatorsManagerSignature: answer.validators_manager_signature ?? undefined,
      };
    },
    // POST /fund, /withdraw, /consolidate (spec A.1): the relayer signs the call as the validators manager.
    async managerSignature(call, signal) {
      const path = `/${call.kind}`;
      const json = await httpJson(endpoint, path, {
        ...http,
        signal,
        method: "POST",
        json:
          call.kind === "consolidate"
            ? {
                vault: call.vault,
                source_public_keys: call.pairs.map((pair) => pair.source),
                target_public_keys: call.pairs.map((pair) => pair.target),
              }
            : {
                vault: call.vault,
                public_keys: call.items.map((item) => item.publicKey),
                amounts: call.items.map((item) => Number(item.amountGwei)),
              },
      });
      return parseAnswer(ManagerSignatureSchema, endpoint, path, json).validators_manager_signature;
    },
  };
}
