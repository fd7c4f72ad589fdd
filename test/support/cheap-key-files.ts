import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { createKeystore, keystoreFileName, serializeKeystore } from "../../src/crypto/keystore.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";

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
