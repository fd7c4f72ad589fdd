import { OperatorError } from "../../lib/errors.ts";
import { InvalidKeystoreError, InvalidKeystorePasswordError, KeystorePasswordFileError } from "./errors.ts";
import type { IndexedKeystore } from "./keystore-index.ts";
import { WorkerPool, WorkerTaskError } from "./worker-pool.ts";

/** Decrypts one indexed keystore into its 32 secret key bytes, or throws a typed error. */
export interface KeystoreDecryptor {
  decrypt(entry: IndexedKeystore): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** What the decryption worker is asked (file paths only: the worker reads the password itself). */
export interface DecryptTask {
  keystoreFile: string;
  passwordFile: string;
  publicKey: `0x${string}`;
}

export type DecryptFailureCode =
  | "keystore-unreadable"
  | "keystore-format"
  | "password-unreadable"
  | "password-wrong"
  | "public-key-mismatch";

export interface WorkerKeystoreDecryptorOptions {
  /**
   * Keystores decrypted at once (default 1). Each scrypt of the deposit CLI (n=2^18, r=8) holds
   * 256 MiB while it runs (~0.9 s), and the service usually shares the machine with its nodes;
   * raise it to decrypt large batches faster.
   */
  concurrency?: number;
}

export const DEFAULT_DECRYPT_CONCURRENCY = 1;

/** Runs the keystore KDF on worker threads, so the event loop keeps serving while keys decrypt. */
export function createWorkerKeystoreDecryptor(
  options: WorkerKeystoreDecryptorOptions = {},
): KeystoreDecryptor {
  const pool = new WorkerPool<DecryptTask, Uint8Array>({
    workerUrl: new URL("./keystore-decrypt-worker.ts", import.meta.url),
    size: options.concurrency ?? DEFAULT_DECRYPT_CONCURRENCY,
    name: "keystore decryption",
  });
  return {
    async decrypt(entry) {
      try {
        return await pool.run({
          keystoreFile: entry.file,
          passwordFile: entry.passwordFile,
          publicKey: entry.publicKey,
        });
      } catch (error) {
        throw decryptError(entry, error);
      }
    },
    close: () => pool.close(),
  };
}

function decryptError(entry: IndexedKeystore, error: unknown): Error {
  if (!(error instanceof WorkerTaskError)) return error as Error;
  const code = error.code as DecryptFailureCode | "error";
  switch (code) {
    case "keystore-unreadable":
      return new InvalidKeystoreError(entry.file, `cannot be read: ${error.message}`);
    case "keystore-format":
      return new InvalidKeystoreError(entry.file, error.message);
    case "public-key-mismatch":
      return new InvalidKeystoreError(
        entry.file,
        `its "pubkey" field says ${entry.publicKey} but ${error.message}`,
      );
    case "password-unreadable":
      return new KeystorePasswordFileError(
        `cannot read password file ${entry.passwordFile} for keystore ${entry.file} (${error.message}): check that it exists and is readable`,
      );
    case "password-wrong":
      return new InvalidKeystorePasswordError(entry.file, entry.passwordFile);
    default:
      return new OperatorError(`cannot decrypt keystore ${entry.file}`, { details: error.message });
  }
}
