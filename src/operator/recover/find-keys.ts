import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { SecretKey } from "@chainsafe/blst";
import { deriveSecretKey } from "../../crypto/bls-keys.ts";
import { toPrefixedHex } from "../../lib/hex.ts";

/** Stop after this many derivation indexes in a row that are not registered (spec §7.2). */
export const RECOVER_GAP_LIMIT = 1000;

export interface FoundKey {
  index: number;
  publicKey: `0x${string}`;
  /** Exited or withdrawn: its keystore is not needed any more. */
  exited: boolean;
}

export interface FindVaultKeysParameters {
  seed: Uint8Array;
  /** The vault's registered public keys (0x, lower case); other operators' keys may be among them. */
  registered: ReadonlySet<string>;
  isExited(publicKey: `0x${string}`): boolean;
  gapLimit?: number;
  signal?: AbortSignal;
}

export interface FoundKeys {
  /** In index order. */
  keys: FoundKey[];
  /** mnemonic_next_index: the last found index + 1 (0 when none). */
  nextIndex: number;
  /** Indexes derived: 0 .. checked-1. */
  checked: number;
}

/**
 * Walks derivation indexes 0, 1, 2, … of the mnemonic and keeps the ones the vault registered,
 * until every registered key is found or `gapLimit` indexes in a row are not registered.
 */
export async function findVaultKeys(params: FindVaultKeysParameters): Promise<FoundKeys> {
  const gapLimit = params.gapLimit ?? RECOVER_GAP_LIMIT;
  const remaining = new Set(params.registered);
  // m/12381/3600 once; each index then costs three child derivations instead of six.
  const purpose = deriveSecretKey(params.seed, "m/12381/3600");
  const keys: FoundKey[] = [];
  let misses = 0;
  let index = 0;
  for (; remaining.size > 0 && misses < gapLimit; index++) {
    if (index % 64 === 63) {
      await yieldToEventLoop();
      params.signal?.throwIfAborted();
    }
    const publicKey = publicKeyAt(purpose, index);
    if (!remaining.delete(publicKey)) {
      misses++;
      continue;
    }
    misses = 0;
    keys.push({ index, publicKey, exited: params.isExited(publicKey) });
  }
  const last = keys[keys.length - 1];
  return { keys, nextIndex: last === undefined ? 0 : last.index + 1, checked: index };
}

function publicKeyAt(purpose: SecretKey, index: number): `0x${string}` {
  const key = purpose.deriveChildEip2333(index).deriveChildEip2333(0).deriveChildEip2333(0);
  return toPrefixedHex(key.toPublicKey().toBytes(true));
}

/** exited_* and withdrawal_* validators need no keystore (spec §7.2). */
export function isExitedStatus(status: string | undefined): boolean {
  return status !== undefined && (status.startsWith("exited_") || status.startsWith("withdrawal_"));
}

/** Sorted indexes grouped into runs of consecutive ones: [0,1,2,5,6] → [[0,3],[5,2]] (from, count). */
export function consecutiveRuns(indexes: readonly number[]): Array<{ from: number; count: number }> {
  const runs: Array<{ from: number; count: number }> = [];
  for (const index of [...indexes].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && last.from + last.count === index) last.count++;
    else runs.push({ from: index, count: 1 });
  }
  return runs;
}
