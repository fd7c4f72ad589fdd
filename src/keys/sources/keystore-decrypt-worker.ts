import { readFile } from "node:fs/promises";
import { SecretKey } from "@chainsafe/blst";
import { decryptKeystore, isKeystore } from "../../crypto/keystore.ts";
import { toHex } from "../../lib/hex.ts";
import type { DecryptFailureCode, DecryptTask } from "./keystore-decryptor.ts";
import { serveWorkerTasks } from "./worker-pool.ts";

/**
 * Keystore decryption worker: reads the keystore and its password file itself (so the password
 * never crosses threads), runs the KDF (scrypt n=2^18: ~0.8 s of CPU off the event loop), checks
 * that the secret key matches the indexed public key, and hands back the 32 secret key bytes.
 */
class DecryptFailure extends Error {
  readonly code: DecryptFailureCode;
  constructor(code: DecryptFailureCode, message: string) {
    super(message);
    this.code = code;
  }
}

serveWorkerTasks<DecryptTask, Uint8Array>(async (task) => {
  let text: string;
  try {
    text = await readFile(task.keystoreFile, "utf8");
  } catch (error) {
    throw new DecryptFailure("keystore-unreadable", (error as NodeJS.ErrnoException).code ?? "error");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DecryptFailure("keystore-format", "not valid JSON");
  }
  if (!isKeystore(json)) throw new DecryptFailure("keystore-format", "does not match the EIP-2335 schema");

  let password: string;
  try {
    password = (await readFile(task.passwordFile, "utf8")).trim();
  } catch (error) {
    throw new DecryptFailure("password-unreadable", (error as NodeJS.ErrnoException).code ?? "error");
  }

  let secret: Uint8Array;
  try {
    secret = await decryptKeystore(json, password);
  } catch (error) {
    const message = (error as Error).message;
    if (message === "Invalid password") throw new DecryptFailure("password-wrong", "checksum mismatch");
    throw new DecryptFailure("keystore-format", message);
  }

  let publicKey: string;
  try {
    publicKey = toHex(SecretKey.fromBytes(secret).toPublicKey().toBytes(true));
  } catch {
    secret.fill(0);
    throw new DecryptFailure("keystore-format", "the decrypted secret is not a BLS secret key");
  }
  if (`0x${publicKey}` !== task.publicKey) {
    secret.fill(0);
    throw new DecryptFailure("public-key-mismatch", `its secret key belongs to 0x${publicKey}`);
  }
  // A copy in its own buffer, so only these 32 bytes move to the main thread.
  const result = new Uint8Array(secret);
  secret.fill(0);
  return { result, transferList: [result.buffer] };
});
