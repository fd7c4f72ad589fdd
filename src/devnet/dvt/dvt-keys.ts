/**
 * Distributed-validator keys for a simulated DVT cluster: each validator key is split into the
 * shares the cluster's nodes hold (Shamir over Fr, src/crypto/key-shares.ts), evaluated at the
 * cluster's share indexes: Obol node i holds x = i + 1, an SSV operator x = its operator id (spec
 * A.5). The devnet makes fresh random keys with `withFreshKeys`, takes from each whole key what it
 * needs (its shares, SSV sharesData, a deposit datum) and lets the key go: no whole key is kept
 * or written anywhere.
 */
import { randomBytes } from "node:crypto";
import { SecretKey } from "@chainsafe/blst";
import { shareKeyPublicKeys, splitSecretKey } from "../../crypto/key-shares.ts";
import { toPrefixedHex } from "../../lib/hex.ts";

/** One node's share of one distributed validator. */
export interface DvtKeyShare {
  /** The x the share was evaluated at: Obol node index + 1, or the SSV operator id. */
  shareIndex: number;
  /** The share's secret key (32 bytes): only the node that holds it ever sees it. */
  secretKey: Uint8Array;
  /** The share's BLS public key, 0x + 96 hex digits. */
  publicKey: `0x${string}`;
}

export interface DvtValidatorShares {
  /** The distributed validator's public key, 0x + 96 hex digits (lower case). */
  publicKey: `0x${string}`;
  /** Share j is held by share index xs[j]. */
  shares: DvtKeyShare[];
}

function keyBytes(key: SecretKey | Uint8Array): Uint8Array {
  return key instanceof Uint8Array ? key : key.toBytes();
}

/** Splits one validator key into shares at `xs`, any `threshold` of which sign for it. */
export function splitValidatorKey(
  secretKey: SecretKey | Uint8Array,
  threshold: number,
  xs: readonly number[],
): DvtValidatorShares {
  const bytes = keyBytes(secretKey);
  const secrets = splitSecretKey({ secretKey: bytes, threshold, xCoordinates: xs.map(BigInt) });
  const publicShares = shareKeyPublicKeys(secrets);
  return {
    publicKey: toPrefixedHex(SecretKey.fromBytes(bytes).toPublicKey().toBytes(true)),
    shares: secrets.map((secret, j) => ({
      shareIndex: xs[j] as number,
      secretKey: secret,
      publicKey: toPrefixedHex(publicShares[j] as Uint8Array),
    })),
  };
}

/** splitValidatorKey for several keys. */
export function splitValidatorKeys(
  secretKeys: readonly (SecretKey | Uint8Array)[],
  threshold: number,
  xs: readonly number[],
): DvtValidatorShares[] {
  return secretKeys.map((key) => splitValidatorKey(key, threshold, xs));
}

/**
 * `count` fresh random validator keys, each handed to `use` once (in order) and then dropped:
 * the bytes are zeroed after `use` returns, so only what `use` derived (shares, sharesData, a
 * deposit datum) outlives the call.
 */
export function withFreshKeys<T>(count: number, use: (secretKey: SecretKey, k: number) => T): T[] {
  return Array.from({ length: count }, (_, k) => {
    const ikm = randomBytes(32);
    try {
      return use(SecretKey.fromKeygen(ikm), k);
    } finally {
      ikm.fill(0);
    }
  });
}
