import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SecretKey } from "@chainsafe/blst";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { createKeystore, keystoreFileName, serializeKeystore } from "../../src/crypto/keystore.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { toPrefixedHex } from "../../src/lib/hex.ts";

/**
 * Keystores of keys 0 .. count-1 of `mnemonic` in `keystoresDir`, under one password.txt, with a
 * near-free KDF (PBKDF2, 16 rounds): for suites that test what is done with the keys, not the
 * keystore format.
 */
export async function writeCheapKeystores(
  keystoresDir: string,
  mnemonic: string,
  count: number,
  password = "cheap-keystore-password",
): Promise<void> {
  const seed = mnemonicToSeed(mnemonic);
  await mkdir(keystoresDir, { recursive: true });
  await writeFile(join(keystoresDir, "password.txt"), password);
  for (let i = 0; i < count; i++) {
    const key = deriveValidatorKey(seed, i);
    const keystore = await createKeystore({
      secretKey: key.secretKey.toBytes(),
      publicKey: key.publicKey,
      path: key.path,
      password,
      kdf: { function: "pbkdf2", c: 16 },
    });
    await writeFile(join(keystoresDir, keystoreFileName(key.path, 1700000000)), serializeKeystore(keystore));
  }
}

/**
 * One keystore in `keystoresDir`, as `keystore-m_12381_3600_<index>_0_0-1.json`, of the key
 * SecretKey.fromKeygen(32 bytes of `seed`) (a key no other test's mnemonic gives), with a
 * near-free KDF (PBKDF2, 2 rounds); returns its public key. The password file is the caller's.
 */
export async function writeSeededKeystore(
  keystoresDir: string,
  seed: number,
  index: number,
  password: string,
): Promise<`0x${string}`> {
  const key = SecretKey.fromKeygen(new Uint8Array(32).fill(seed));
  const publicKey = key.toPublicKey().toBytes(true);
  const keystore = await createKeystore({
    secretKey: key.toBytes(),
    publicKey,
    path: `m/12381/3600/${index}/0/0`,
    password,
    kdf: { function: "pbkdf2", c: 2 },
  });
  await writeFile(
    join(keystoresDir, `keystore-m_12381_3600_${index}_0_0-1.json`),
    serializeKeystore(keystore),
  );
  return toPrefixedHex(publicKey);
}
