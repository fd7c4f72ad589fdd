import { createDecipheriv, hkdfSync } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";

/**
 * Decrypts an exit-signature shard as an oracle does (eciespy 0.4 defaults, spec §4.4): the
 * bytes are ephemeral public key (65, uncompressed) ‖ nonce (16) ‖ tag (16) ‖ ciphertext; the
 * AES-256-GCM key is HKDF-SHA256 of ephemeral key ‖ shared point (both uncompressed), no salt,
 * no info. Throws when the bytes are malformed or were not encrypted to `privateKey`.
 */
export function decryptShard(privateKey: Uint8Array, shard: Uint8Array): Uint8Array {
  if (shard.length < 65 + 16 + 16 || shard[0] !== 4) throw new Error("not an ECIES ciphertext");
  const ephemeral = shard.subarray(0, 65);
  const nonce = shard.subarray(65, 81);
  const tag = shard.subarray(81, 97);
  const shared = secp256k1.getSharedSecret(privateKey, ephemeral, false);
  const key = hkdfSync(
    "sha256",
    Buffer.concat([ephemeral, shared]),
    new Uint8Array(0),
    new Uint8Array(0),
    32,
  );
  const decipher = createDecipheriv("aes-256-gcm", new Uint8Array(key), nonce);
  decipher.setAuthTag(tag);
  return new Uint8Array(Buffer.concat([decipher.update(shard.subarray(97)), decipher.final()]));
}
