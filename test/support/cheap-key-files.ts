import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Wallet } from "@ethereumjs/wallet";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { createKeystore, keystoreFileName, serializeKeystore } from "../../src/crypto/keystore.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { deriveHotWallet } from "../../src/keys/hot-wallet.ts";
import { listKeystores } from "./e2e.ts";

/**
 * Re-encrypts a vault dir's keystores and hot wallet, made by create-keys / create-wallet, with a
 * cheap scrypt (n = 2^10 instead of 2^18): same keys, passwords, files and formats. The service
 * suites start `operator start` some fifty times; with the real KDFs every start costs about 4 s
 * of CPU in scrypt alone (the next keystore and the wallet), which CI's two cores cannot spare.
 * The real parameters are covered by the create-keys / create-wallet suites and the vectors.
 */
export async function cheapenKeyFiles(vaultDir: string, mnemonic: string): Promise<void> {
  const seed = mnemonicToSeed(mnemonic);
  const keystoresDir = join(vaultDir, "keystores");
  // A vault dir without keys (a DVT relayer's operator) has only the wallet to cheapen.
  const password = existsSync(keystoresDir)
    ? (await readFile(join(keystoresDir, "password.txt"), "utf8")).trim()
    : "";
  for (const name of existsSync(keystoresDir) ? await listKeystores(keystoresDir) : []) {
    const file = join(keystoresDir, name);
    const { path } = JSON.parse(await readFile(file, "utf8")) as { path: string };
    const index = Number(path.split("/")[3]);
    const key = deriveValidatorKey(seed, index);
    const keystore = await createKeystore({
      secretKey: key.secretKey.toBytes(),
      publicKey: key.publicKey,
      path,
      password,
      kdf: { function: "scrypt", n: 1024, r: 8, p: 1 },
    });
    await writeFile(file, serializeKeystore(keystore), { mode: 0o600 });
  }
  const walletPassword = (await readFile(join(vaultDir, "wallet", "password.txt"), "utf8")).trim();
  const wallet = deriveHotWallet(seed);
  const keyfile = await Wallet.fromPrivateKey(wallet.privateKey).toV3(walletPassword, {
    kdf: "scrypt",
    n: 1024,
    r: 8,
    p: 1,
    dklen: 32,
  });
  await writeFile(join(vaultDir, "wallet", "wallet.json"), JSON.stringify(keyfile), { mode: 0o600 });
}

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
