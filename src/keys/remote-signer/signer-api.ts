import { z } from "zod";
import type { ExitNetwork } from "../../crypto/exit-message.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import { EndpointRequestError } from "../../lib/http/errors.ts";
import { httpJson, httpRequest, invalidAnswer, parseAnswer } from "../../lib/http/request.ts";
import { redactUrl } from "../../lib/sanitize.ts";
import type { Hex } from "../sources/exit-signer.ts";

/**
 * The Web3Signer HTTP API as the operator uses it: the Eth2 signing API (`/api/v1/eth2/…`,
 * `/upcheck`) and the Keymanager API (`/eth/v1/keystores`). Numbers (uint64) travel as decimal
 * strings, byte strings as 0x-hex, like every Ethereum consensus API.
 */
export interface SignerApiOptions {
  /** Base URL, e.g. http://signer:9000; may carry credentials (sent as Basic auth, never shown). */
  url: string;
  /** Per request (default 30 s: REMOTE_SIGNER_TIMEOUT of the Python operator). */
  timeoutMs?: number;
}

export interface SignerApiDeps {
  /** Default the global fetch; tests pass a double. */
  fetch?: typeof globalThis.fetch;
}

export const DEFAULT_SIGNER_TIMEOUT_MS = 30_000;

export interface KeymanagerKey {
  validating_pubkey: string;
  derivation_path?: string | undefined;
  readonly?: boolean | undefined;
}

export interface KeymanagerStatus {
  status: string;
  message?: string | undefined;
}

const StatusSchema = z.object({ status: z.string(), message: z.string().optional() });
const ListSchema = z.object({
  data: z.array(
    z.object({
      validating_pubkey: z.string(),
      derivation_path: z.string().optional(),
      readonly: z.boolean().optional(),
    }),
  ),
});
const StatusListSchema = z.object({ data: z.array(StatusSchema) });
const DeleteSchema = z.object({ data: z.array(StatusSchema), slashing_protection: z.string().optional() });
const PublicKeysSchema = z.array(z.string());
const SignatureSchema = z.union([z.object({ signature: z.string() }), z.string()]);

export interface VoluntaryExitSignRequest {
  publicKey: Hex;
  validatorIndex: number;
  network: ExitNetwork;
  signingRoot: Uint8Array;
}

/** The Web3Signer voluntary-exit sign body (spec §7.3): Capella fork on both sides, Capella epoch. */
export function voluntaryExitBody(request: Omit<VoluntaryExitSignRequest, "publicKey">): unknown {
  const { network } = request;
  const epoch = String(network.capellaEpoch);
  return {
    fork_info: {
      fork: {
        previous_version: network.capellaForkVersion,
        current_version: network.capellaForkVersion,
        epoch,
      },
      genesis_validators_root: network.genesisValidatorsRoot,
    },
    signing_root: toPrefixedHex(request.signingRoot),
    type: "VOLUNTARY_EXIT",
    voluntary_exit: { epoch, validator_index: String(request.validatorIndex) },
  };
}

export interface DepositSignRequest {
  publicKey: Hex;
  withdrawalCredentials: Uint8Array;
  amountGwei: number;
  genesisForkVersion: Uint8Array;
  signingRoot: Uint8Array;
}

/**
 * The Web3Signer deposit sign body (type DEPOSIT): the deposit message and the genesis fork
 * version, from which the signer computes the root itself; no fork_info, since deposits are
 * signed for the genesis fork on every chain. `signing_root` lets the signer refuse a request
 * whose root differs from its own.
 */
export function depositBody(request: DepositSignRequest): unknown {
  if (!Number.isSafeInteger(request.amountGwei) || request.amountGwei < 0) {
    // A uint64 travels as a decimal string; String() of anything else would not be one.
    throw new RangeError(`deposit amount ${request.amountGwei} Gwei is not a whole number of Gwei`);
  }
  return {
    type: "DEPOSIT",
    signing_root: toPrefixedHex(request.signingRoot),
    deposit: {
      pubkey: request.publicKey,
      withdrawal_credentials: toPrefixedHex(request.withdrawalCredentials),
      amount: String(request.amountGwei),
      genesis_fork_version: toPrefixedHex(request.genesisForkVersion),
    },
  };
}

/**
 * Web3Signer over the one HTTP layer (lib/http/): failures are EndpointRequestErrors naming the
 * signer's redacted URL; credentials in the URL travel as Basic auth.
 */
export class SignerApi {
  readonly url: string;
  /** The URL without credentials or path, for messages. */
  readonly shownUrl: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof globalThis.fetch | undefined;

  constructor(options: SignerApiOptions, deps: SignerApiDeps = {}) {
    this.url = options.url.replace(/\/+$/, "");
    this.shownUrl = redactUrl(this.url);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_SIGNER_TIMEOUT_MS;
    this.#fetch = deps.fetch;
  }

  /** GET /upcheck: resolves when the signer answers 2xx (its body, "OK", is text). */
  async upcheck(signal?: AbortSignal): Promise<void> {
    await httpRequest(this.url, "/upcheck", this.#options(signal));
  }

  /** GET /api/v1/eth2/publicKeys: every BLS key the signer can sign with, 0x + lower case. */
  async publicKeys(signal?: AbortSignal): Promise<Hex[]> {
    return (await this.#json(PublicKeysSchema, "/api/v1/eth2/publicKeys", signal)).map(lowerHex);
  }

  /** POST /api/v1/eth2/sign/{pubkey} for a voluntary exit: the 96-byte signature. */
  async signVoluntaryExit(request: VoluntaryExitSignRequest, signal?: AbortSignal): Promise<Uint8Array> {
    return this.#sign(request.publicKey, voluntaryExitBody(request), signal);
  }

  /** POST /api/v1/eth2/sign/{pubkey} for a deposit message: the 96-byte signature. */
  async signDeposit(request: DepositSignRequest, signal?: AbortSignal): Promise<Uint8Array> {
    return this.#sign(request.publicKey, depositBody(request), signal);
  }

  /** GET /eth/v1/keystores (Keymanager API). */
  async listKeystores(signal?: AbortSignal): Promise<KeymanagerKey[]> {
    return (await this.#json(ListSchema, "/eth/v1/keystores", signal)).data;
  }

  /** POST /eth/v1/keystores: one status per keystore, in order. */
  async importKeystores(
    keystores: readonly string[],
    passwords: readonly string[],
    signal?: AbortSignal,
  ): Promise<KeymanagerStatus[]> {
    const body = { keystores, passwords };
    return (await this.#json(StatusListSchema, "/eth/v1/keystores", signal, "POST", body)).data;
  }

  /** DELETE /eth/v1/keystores: one status per public key, in order. */
  async deleteKeystores(pubkeys: readonly Hex[], signal?: AbortSignal): Promise<KeymanagerStatus[]> {
    return (await this.#json(DeleteSchema, "/eth/v1/keystores", signal, "DELETE", { pubkeys })).data;
  }

  /**
   * One Eth2 sign request. The answer is `{"signature": "0x…"}`, or (older Web3Signer,
   * text/plain) the bare hex string.
   */
  async #sign(publicKey: Hex, body: unknown, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const path = `/api/v1/eth2/sign/${publicKey}`;
    const response = await httpRequest(this.url, path, {
      ...this.#options(signal),
      method: "POST",
      json: body,
    });
    const text = new TextDecoder().decode(response.body).trim();
    let answer: unknown = text;
    try {
      answer = JSON.parse(text);
    } catch {
      // The bare hex string.
    }
    const parsed = parseAnswer(SignatureSchema, this.url, path, answer);
    const signature = parseHex((typeof parsed === "string" ? parsed : parsed.signature).trim(), 96);
    if (!signature) throw invalidAnswer(this.url, path, "the signature is not 96 bytes of hex");
    return signature;
  }

  async #json<S extends z.ZodType>(
    schema: S,
    path: string,
    signal: AbortSignal | undefined,
    method: "GET" | "POST" | "DELETE" = "GET",
    body?: unknown,
  ): Promise<z.output<S>> {
    const json = await httpJson(this.url, path, {
      ...this.#options(signal),
      method,
      ...(body === undefined ? {} : { json: body }),
    });
    return parseAnswer(schema, this.url, path, json);
  }

  #options(signal: AbortSignal | undefined) {
    return { timeoutMs: this.#timeoutMs, signal, fetch: this.#fetch };
  }
}

export function lowerHex(key: string): Hex {
  const digits = key.startsWith("0x") || key.startsWith("0X") ? key.slice(2) : key;
  return `0x${digits.toLowerCase()}`;
}

/** No answer at all from the signer (down, refused, timed out): worth saying so plainly. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof EndpointRequestError && (error.kind === "network" || error.kind === "timeout");
}

export function isStatus(error: unknown, status: number): error is EndpointRequestError {
  return error instanceof EndpointRequestError && error.status === status;
}
