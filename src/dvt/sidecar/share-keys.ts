import type { SecretKey } from "@chainsafe/blst";
import type { Hex } from "viem";

/** One node's public key share of a distributed validator, as the relayer's public_key_shares lists it. */
export interface PublicKeyShare {
  shareIndex: number;
  /** Compressed G1, 0x + 96 lowercase hex digits. */
  publicKeyShare: Hex;
}

/** This node's key share of one distributed validator. The secret stays in memory: never logged, never stored. */
export interface ShareKey {
  /** The distributed validator's public key, 0x + lowercase hex. */
  publicKey: Hex;
  secretKey: SecretKey;
  /** This node's public key share (SkToPk of the secret, checked when loaded). */
  publicKeyShare: Hex;
  /** Every node's public key share with its share index, this node's included. */
  publicKeyShares: readonly PublicKeyShare[];
}

/**
 * The key shares of one share index (an Obol node: node index + 1; an SSV operator: its id), by
 * validator public key. Filled at startup and, for SSV, as new validators appear on chain.
 */
export class ShareKeys {
  readonly shareIndex: number;
  readonly #keys = new Map<string, ShareKey>();

  constructor(shareIndex: number) {
    if (!Number.isSafeInteger(shareIndex) || shareIndex < 1) {
      throw new RangeError(`share index ${shareIndex} must be a positive integer`);
    }
    this.shareIndex = shareIndex;
  }

  /** Adds or replaces the key share of `key.publicKey`. */
  add(key: ShareKey): void {
    this.#keys.set(key.publicKey.toLowerCase(), key);
  }

  get(publicKey: string): ShareKey | undefined {
    return this.#keys.get(publicKey.toLowerCase());
  }

  get size(): number {
    return this.#keys.size;
  }
}
