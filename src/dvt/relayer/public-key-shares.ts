import { combinePublicKeyShares } from "../../crypto/shamir.ts";
import { bytesEqual, parseHex } from "../../lib/hex.ts";
import { RelayerInputError } from "./relayer-errors.ts";

/** A validator's public key shares: share index (x-coordinate) → compressed G1 key, 48 bytes. */
export type PublicKeyShares = ReadonlyMap<bigint, Uint8Array>;

/**
 * Where the relayer learns the public key shares every signature share is checked against: a
 * trusted source (Obol's cluster-lock.json, SSV's ValidatorAdded events). Without one, the
 * sidecars' own `public_key_shares` are used once they are shown to belong to the validator key.
 */
export interface PublicKeyShareSource {
  /** "obol" or "ssv": named in messages. */
  readonly name: string;
  /** The trusted shares of `publicKey`, or undefined when the source does not know it. */
  sharesOf(publicKey: `0x${string}`): Promise<PublicKeyShares | undefined>;
}

export interface ClaimedPublicKeyShare {
  shareIndex: bigint;
  publicKeyShare: `0x${string}`;
}

/**
 * The public key shares a sidecar sent, accepted only when they are one sharing of `publicKey` at
 * `threshold`: the first t interpolate to it at x = 0, and each further share lies on the same
 * polynomial (it and t − 1 of the first interpolate to the key too). Throws RelayerInputError
 * naming the validator otherwise. A sidecar can still make up a whole consistent set; then the
 * honest shares fail their checks and nothing is recovered, but no wrong signature is ever stored,
 * since every recovered signature is verified under the validator key.
 */
export function acceptClaimedShares(
  publicKey: `0x${string}`,
  claimed: readonly ClaimedPublicKeyShare[],
  threshold: number,
): PublicKeyShares {
  const key = parseHex(publicKey, 48) as Uint8Array;
  const points: { x: bigint; publicKey: Uint8Array }[] = [];
  const seen = new Set<bigint>();
  for (const share of claimed) {
    const bytes = parseHex(share.publicKeyShare, 48);
    if (!bytes)
      throw new RelayerInputError(
        `validator ${publicKey}: public key share ${share.shareIndex} is not 48 bytes of hex`,
      );
    if (share.shareIndex < 1n || seen.has(share.shareIndex)) {
      throw new RelayerInputError(
        `validator ${publicKey}: public key share index ${share.shareIndex} is zero or repeated`,
      );
    }
    seen.add(share.shareIndex);
    points.push({ x: share.shareIndex, publicKey: bytes });
  }
  if (points.length < threshold) {
    throw new RelayerInputError(
      `validator ${publicKey}: ${points.length} public key shares sent, the threshold is ${threshold}`,
    );
  }
  const first = points.slice(0, threshold);
  const combinesToKey = (subset: typeof points) => {
    try {
      return bytesEqual(combinePublicKeyShares(subset), key);
    } catch {
      return false;
    }
  };
  const consistent =
    combinesToKey(first) &&
    points.slice(threshold).every((extra) => combinesToKey([...first.slice(1), extra]));
  if (!consistent) {
    throw new RelayerInputError(
      `validator ${publicKey}: the public key shares the sidecar sent do not combine to the validator key at threshold ${threshold}`,
    );
  }
  return new Map(points.map((point) => [point.x, point.publicKey]));
}
