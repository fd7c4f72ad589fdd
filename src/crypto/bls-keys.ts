import { SecretKey } from "@chainsafe/blst";

/** EIP-2334 signing key path for validator `index`: m/12381/3600/index/0/0. */
export function signingKeyPath(index: number): string {
  return `m/12381/3600/${index}/0/0`;
}

/** Parses an EIP-2333 path ("m/12381/3600/0/0/0") into child indexes. */
export function parseKeyPath(path: string): number[] {
  const parts = path.split("/");
  if (parts[0] !== "m") throw new Error(`key path must start with "m": ${path}`);
  return parts.slice(1).map((part) => {
    if (!/^\d+$/.test(part)) throw new Error(`bad key path segment "${part}" in ${path}`);
    const index = Number(part);
    if (index >= 2 ** 32) throw new Error(`key path segment ${part} is out of range in ${path}`);
    return index;
  });
}

/** EIP-2333 derivation from a BIP-39 seed along `path`. */
export function deriveSecretKey(seed: Uint8Array, path: string): SecretKey {
  let key = SecretKey.deriveMasterEip2333(seed);
  for (const index of parseKeyPath(path)) key = key.deriveChildEip2333(index);
  return key;
}

export interface ValidatorKey {
  index: number;
  path: string;
  secretKey: SecretKey;
  /** Compressed G1 public key, 48 bytes. */
  publicKey: Uint8Array;
}

/** The signing key of validator `index` (EIP-2334). */
export function deriveValidatorKey(seed: Uint8Array, index: number): ValidatorKey {
  const path = signingKeyPath(index);
  const secretKey = deriveSecretKey(seed, path);
  return { index, path, secretKey, publicKey: secretKey.toPublicKey().toBytes(true) };
}
