import { combineSignatureShares, verifySignatureShare } from "../../crypto/shamir.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import type { StoredShare } from "./records.ts";
import { RelayerInputError } from "./relayer-errors.ts";

/**
 * Whether a signature share verifies under its public key share (spec A.5, checked before a share
 * is stored). Malformed points are false, never a throw.
 */
export function shareVerifies(
  root: Uint8Array,
  publicKeyShare: Uint8Array,
  signature: `0x${string}`,
): boolean {
  const bytes = parseHex(signature, 96);
  return bytes !== undefined && verifySignatureShare(root, { publicKey: publicKeyShare, signature: bytes });
}

/**
 * The full signature from `threshold` verified shares (the lowest share indexes; every stored share
 * was verified, so any t of them give the same signature), verified under the validator key.
 * Undefined while fewer than t shares are stored.
 */
export function recoverSignature(params: {
  shares: readonly StoredShare[];
  threshold: number;
  root: Uint8Array;
  publicKey: `0x${string}`;
}): `0x${string}` | undefined {
  if (params.shares.length < params.threshold) return undefined;
  const chosen = [...params.shares]
    .sort((a, b) => (a.shareIndex < b.shareIndex ? -1 : 1))
    .slice(0, params.threshold)
    .map((share) => ({ x: share.shareIndex, signature: parseHex(share.signature, 96) as Uint8Array }));
  const signature = combineSignatureShares(chosen);
  const key = parseHex(params.publicKey, 48) as Uint8Array;
  if (!verifySignatureShare(params.root, { publicKey: key, signature })) {
    // Only when the trusted public key shares themselves are not a sharing of the validator key.
    throw new RelayerInputError(
      `validator ${params.publicKey}: shares ${chosen.map((s) => s.x).join(", ")} combine to a signature that does not verify under the validator key`,
      "recovery_failed",
    );
  }
  return toPrefixedHex(signature);
}
