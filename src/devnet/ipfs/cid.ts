import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { identity } from "multiformats/hashes/identity";
import { sha256 } from "multiformats/hashes/sha2";

/**
 * The CIDs the devnet's IPFS double hands out: CIDv1, raw codec, sha2-256, base32 ("bafkrei…").
 * That is exactly what `ipfs add --cid-version 1 --raw-leaves` prints for a file that fits in one
 * chunk (256 KiB with Kubo's default chunker), so a CID from the double equals Kubo's.
 */
export async function rawCid(bytes: Uint8Array): Promise<string> {
  return CID.createV1(raw.code, await sha256.digest(bytes)).toString();
}

/**
 * The key of a raw block in the store: the CIDv1 base32 text of the raw-codec CID with the same
 * multihash. Undefined for CIDs that can never name a raw block of ours (dag-pb, dag-cbor, …).
 */
export function rawBlockKey(cid: CID): string | undefined {
  if (cid.code !== raw.code) return undefined;
  return CID.createV1(raw.code, cid.multihash).toString();
}

/** An identity-hash CID carries its content inline; gateways serve it without any lookup. */
export function inlineContent(cid: CID): Uint8Array | undefined {
  return cid.code === raw.code && cid.multihash.code === identity.code ? cid.multihash.digest : undefined;
}
