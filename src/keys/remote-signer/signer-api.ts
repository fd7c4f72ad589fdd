import { z } from "zod";
import type { ExitNetwork } from "../../crypto/exit-message.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import { HttpError, InvalidResponseError, NetworkError, TimeoutError } from "../../lib/http-errors.ts";
import { type FetchJsonDeps, fetchJson } from "../../lib/http-json.ts";
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
/** `{"signature": "0x…"}`, or (older Web3Signer, text/plain) the bare hex string. */
const SignatureSchema = z.union([z.object({ signature: z.string() }), z.string()]);

/**
 * Web3Signer answers some calls in text/plain (`/upcheck` says "OK", older versions sign with a
 * bare hex body). fetchJson wants JSON, so such a 2xx body is handed over as a JSON string.
 */
export function textAsJsonFetch(base: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.ok) return response;
    const type = response.headers.get("content-type") ?? "";
    if (type.includes("json")) return response;
    const text = await response.text();
    try {
      JSON.parse(text);
      return new Response(text, { status: response.status, headers: response.headers });
    } catch {
      return new Response(JSON.stringify(text.trim()), {
        status: response.status,
        headers: { "content-type": "application/json" },
      });
    }
  };
}

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

export class SignerApi {
  readonly url: string;
  /** The URL without credentials or path, for messages. */
  readonly shownUrl: string;
  readonly #timeoutMs: number;
  readonly #deps: FetchJsonDeps;

  constructor(options: SignerApiOptions, deps: SignerApiDeps = {}) {
    this.url = options.url.replace(/\/+$/, "");
    this.shownUrl = redactUrl(this.url);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_SIGNER_TIMEOUT_MS;
    this.#deps = { fetch: textAsJsonFetch(deps.fetch ?? globalThis.fetch) };
  }

  /** GET /upcheck: resolves when the signer answers 2xx. */
  async upcheck(signal?: AbortSignal): Promise<void> {
    await fetchJson(`${this.url}/upcheck`, this.#options({ signal }), this.#deps);
  }

  /** GET /api/v1/eth2/publicKeys: every BLS key the signer can sign with, 0x + lower case. */
  async publicKeys(signal?: AbortSignal): Promise<Hex[]> {
    const keys = await fetchJson(
      `${this.url}/api/v1/eth2/publicKeys`,
      { ...this.#options({ signal }), schema: PublicKeysSchema },
      this.#deps,
    );
    return keys.map(lowerHex);
  }

  /** POST /api/v1/eth2/sign/{pubkey} for a voluntary exit: the 96-byte signature. */
  async signVoluntaryExit(request: VoluntaryExitSignRequest, signal?: AbortSignal): Promise<Uint8Array> {
    const url = `${this.url}/api/v1/eth2/sign/${request.publicKey}`;
    const answer = await fetchJson(
      url,
      {
        ...this.#options({ signal }),
        method: "POST",
        body: voluntaryExitBody(request),
        schema: SignatureSchema,
      },
      this.#deps,
    );
    const text = typeof answer === "string" ? answer : answer.signature;
    const signature = parseHex(text.trim(), 96);
    if (!signature) {
      throw new InvalidResponseError({
        method: "POST",
        url,
        reason: "the signature is not 96 bytes of hex",
      });
    }
    return signature;
  }

  /** GET /eth/v1/keystores (Keymanager API). */
  async listKeystores(signal?: AbortSignal): Promise<KeymanagerKey[]> {
    const answer = await fetchJson(
      `${this.url}/eth/v1/keystores`,
      { ...this.#options({ signal }), schema: ListSchema },
      this.#deps,
    );
    return answer.data;
  }

  /** POST /eth/v1/keystores: one status per keystore, in order. */
  async importKeystores(
    keystores: readonly string[],
    passwords: readonly string[],
    signal?: AbortSignal,
  ): Promise<KeymanagerStatus[]> {
    const answer = await fetchJson(
      `${this.url}/eth/v1/keystores`,
      {
        ...this.#options({ signal }),
        method: "POST",
        body: { keystores, passwords },
        schema: StatusListSchema,
      },
      this.#deps,
    );
    return answer.data;
  }

  /** DELETE /eth/v1/keystores: one status per public key, in order. */
  async deleteKeystores(pubkeys: readonly Hex[], signal?: AbortSignal): Promise<KeymanagerStatus[]> {
    const answer = await fetchJson(
      `${this.url}/eth/v1/keystores`,
      { ...this.#options({ signal }), method: "DELETE", body: { pubkeys }, schema: DeleteSchema },
      this.#deps,
    );
    return answer.data;
  }

  #options({ signal }: { signal: AbortSignal | undefined }) {
    return { timeoutMs: this.#timeoutMs, ...(signal ? { signal } : {}) };
  }
}

export function lowerHex(key: string): Hex {
  const digits = key.startsWith("0x") || key.startsWith("0X") ? key.slice(2) : key;
  return `0x${digits.toLowerCase()}`;
}

/** No answer at all from the signer (down, refused, timed out): worth saying so plainly. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof NetworkError || error instanceof TimeoutError;
}

export function isStatus(error: unknown, status: number): error is HttpError {
  return error instanceof HttpError && error.status === status;
}
