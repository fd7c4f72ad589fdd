/**
 * Reads immutable files from IPFS gateways (spec §4.5): `GET {gateway}/ipfs/{cid}`, gateways in
 * order, any failure moves on to the next one. When the CID is a CIDv1 over raw bytes with a
 * sha2-256 (or identity) multihash, the content is checked against it, so a lying or broken
 * gateway is skipped too; other CIDs (CIDv0, dag-pb files) are trusted to the gateway.
 */
import type { MultibaseDecoder } from "multiformats/bases/interface";
import { bases } from "multiformats/basics";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { identity } from "multiformats/hashes/identity";
import { sha256 } from "multiformats/hashes/sha2";
import { OperatorError } from "../lib/errors.ts";
import { AllEndpointsFailedError, EndpointRequestError } from "../lib/http/errors.ts";
import { withFailover } from "../lib/http/failover.ts";
import { httpRequest } from "../lib/http/request.ts";
import { redactUrl } from "../lib/sanitize.ts";
import { assertEndpointUrls, type ChainLogger } from "./endpoints.ts";

export interface FetchIpfsOptions {
  /** What the file is, for messages: "the oracle config" (default: the CID alone). */
  what?: string;
  /** Gateway base URLs in order of preference ("https://ipfs.io"). */
  gateways: readonly string[];
  /** Per-gateway timeout (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Largest file accepted (default 32 MiB). */
  maxBytes?: number;
  logger?: ChainLogger;
}

/** The CID is not a CID; retrying cannot help. */
export class InvalidCidError extends OperatorError {
  override name = "InvalidCidError";
}

/** The file behind a verified CID is not what the caller expects (not JSON, say): it never will be. */
export class IpfsContentError extends OperatorError {
  override name = "IpfsContentError";
}

/**
 * No gateway returned the file. One line naming each gateway tried with its reason: "cannot fetch
 * the oracle config Qm… from IPFS (https://ipfs.io timed out after 30 s; https://gw.example answered
 * HTTP 404: not found)". `failures` holds each gateway's error in order. Retryable.
 */
export class IpfsFetchError extends OperatorError {
  override name = "IpfsFetchError";
  readonly failures: readonly unknown[];
  constructor(cid: string, what: string | undefined, failed: AllEndpointsFailedError) {
    super(`cannot fetch ${what ? `${what} ` : ""}${cid} from IPFS`, {
      ...(failed.details === undefined ? {} : { details: failed.details }),
      cause: failed,
      retryable: true,
    });
    this.failures = failed.failures;
  }
}

/** The file's bytes, verified against the CID when the CID allows it. */
export async function fetchIpfsBytes(cid: string, options: FetchIpfsOptions): Promise<Uint8Array> {
  return fetchVerified(cid, options, (bytes) => bytes);
}

/** The file parsed as JSON (UTF-8). */
export async function fetchIpfsJson(cid: string, options: FetchIpfsOptions): Promise<unknown> {
  return fetchVerified(cid, options, (bytes, verified, gateway) => {
    try {
      return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
    } catch (error) {
      if (verified) throw new IpfsContentError(`IPFS file ${cid} is not JSON`, { cause: error });
      throw new EndpointRequestError({
        endpoint: redactUrl(gateway),
        failure: { kind: "invalid-response", reason: `answered ${cid} with a file that is not JSON` },
        retryable: false,
        cause: error,
      });
    }
  });
}

async function fetchVerified<T>(
  text: string,
  options: FetchIpfsOptions,
  decode: (bytes: Uint8Array, verified: boolean, gateway: string) => T,
): Promise<T> {
  assertEndpointUrls(options.gateways, "IPFS gateway");
  const cid = parseCid(text);
  if (!cid) throw new InvalidCidError(`"${text}" is not an IPFS CID`);
  const inline = cid.code === raw.code && cid.multihash.code === identity.code;
  if (inline) return decode(cid.multihash.digest, true, "inline");
  const verifiable = cid.version === 1 && cid.code === raw.code && cid.multihash.code === sha256.code;
  const path = `/ipfs/${text}`;
  try {
    return await withFailover(
      options.gateways,
      async (gateway) => {
        const response = await httpRequest(gateway, path, {
          timeoutMs: options.timeoutMs ?? 30_000,
          signal: options.signal,
          headers: { accept: "application/json, application/octet-stream;q=0.9, */*;q=0.8" },
          maxBytes: options.maxBytes ?? 32 * 1024 * 1024,
        });
        if (verifiable) {
          const digest = (await sha256.digest(response.body)).digest;
          if (Buffer.compare(digest, cid.multihash.digest) !== 0) {
            throw new EndpointRequestError({
              endpoint: redactUrl(gateway),
              failure: { kind: "invalid-response", reason: `answered ${text} with content of another hash` },
              retryable: false,
            });
          }
        }
        return decode(response.body, verifiable, gateway);
      },
      {
        what: "IPFS gateway",
        logger: options.logger,
        signal: options.signal,
        fallThrough: (error) => !(error instanceof IpfsContentError),
      },
    );
  } catch (error) {
    if (error instanceof AllEndpointsFailedError) throw new IpfsFetchError(text, options.what, error);
    throw error;
  }
}

/** Any multibase by its prefix character. */
const ANY_BASE: MultibaseDecoder<string> = {
  decode(text) {
    const base = Object.values(bases).find((b) => text.startsWith(b.prefix));
    if (!base) throw new Error(`unknown multibase prefix of ${text}`);
    return base.decoder.decode(text);
  },
};

/** A CID in any multibase, or a CIDv0 ("Qm…"); undefined when the text is not a CID. */
export function parseCid(text: string): CID | undefined {
  try {
    return CID.parse(text, text.startsWith("Qm") ? undefined : ANY_BASE);
  } catch {
    return undefined;
  }
}
