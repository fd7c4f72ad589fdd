import type { SecretKey } from "@chainsafe/blst";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import type { Hex } from "../../src/keys/sources/exit-signer.ts";
import { SecretKeySigner } from "../../src/keys/sources/secret-key-signer.ts";
import { toPrefixedHex } from "../../src/lib/hex.ts";

/** An ExitSigner over keys first … first + count − 1 of a mnemonic seed, derived in memory. */
export function mnemonicSigner(seed: Uint8Array, first: number, count: number): SecretKeySigner {
  const keys = new Map<Hex, SecretKey>(
    Array.from({ length: count }, (_, k) => {
      const key = deriveValidatorKey(seed, first + k);
      return [toPrefixedHex(key.publicKey) as Hex, key.secretKey] as const;
    }),
  );
  return new SecretKeySigner(
    {
      size: keys.size,
      has: (publicKey) => keys.has(publicKey),
      publicKeys: () => [...keys.keys()],
      getSecretKey: async (publicKey) => {
        const key = keys.get(publicKey);
        if (!key) throw new Error(`no key ${publicKey}`);
        return key;
      },
    },
    `mnemonic keys ${first}…${first + count - 1}`,
  );
}
