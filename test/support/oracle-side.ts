/**
 * What an oracle does with the exit shards it receives, for tests that check what the operator
 * built: the devnet oracles' own code (src/devnet/oracles: @noble/curves, node:crypto), never the
 * operator's, so that a bug on the operator's side cannot be agreed with. Hex or bytes in.
 */
import {
  combineSignatureShares,
  createBlsVerifier,
  sharesInterpolate,
} from "../../src/devnet/oracles/bls-shares.ts";
import { decryptShard as decrypt } from "../../src/devnet/oracles/shard-decrypt.ts";
import { parseHex } from "../../src/lib/hex.ts";

const verifier = createBlsVerifier();

function bytesOf(value: string | Uint8Array): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const bytes = parseHex(value);
  if (!bytes) throw new TypeError(`not hex: ${value.slice(0, 20)}`);
  return bytes;
}

/** The oracle's signature share from its `exit_signature_shards` entry; throws when it does not decrypt. */
export function decryptShard(oraclePrivateKey: Uint8Array, shard: string | Uint8Array): Uint8Array {
  return decrypt(oraclePrivateKey, bytesOf(shard));
}

/** Whether a (decrypted) signature share verifies under its public-key shard for `signingRoot`. */
export function verifyShard(
  share: Uint8Array,
  publicKeyShard: string | Uint8Array,
  signingRoot: Uint8Array,
): boolean {
  return verifier.verify(bytesOf(publicKeyShard), signingRoot, share);
}

/** Whether any `threshold` of the public-key shards (x = 1 … n) interpolate to the validator key. */
export function publicKeySharesInterpolate(
  publicKeyShards: readonly (string | Uint8Array)[],
  threshold: number,
  validatorPublicKey: string | Uint8Array,
): boolean {
  const shares = publicKeyShards.map((shard) => (shard instanceof Uint8Array ? shard : parseHex(shard)));
  if (shares.some((share) => share === undefined)) return false;
  return sharesInterpolate(shares as Uint8Array[], threshold, bytesOf(validatorPublicKey));
}

/** Whether `signature` is a valid BLS signature of `signingRoot` under `publicKey`. */
export function blsVerifies(
  publicKey: string | Uint8Array,
  signingRoot: Uint8Array,
  signature: Uint8Array,
): boolean {
  return verifier.verify(bytesOf(publicKey), signingRoot, signature);
}

/** The signature at x = 0 from signature shares at x (Lagrange), as the oracles recombine it. */
export { combineSignatureShares };
