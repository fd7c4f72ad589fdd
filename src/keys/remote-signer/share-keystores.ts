import { availableParallelism } from "node:os";
import { DEPOSIT_CLI_SCRYPT, type KdfParams } from "../../crypto/keystore.ts";
import type { Hex } from "../sources/exit-signer.ts";
import { WorkerPool } from "../sources/worker-pool.ts";

/** What the worker is asked: one share's secret key (transferred, then wiped) and its password. */
export interface ShareKeystoreTask {
  secretKey: Uint8Array;
  password: string;
  kdf: KdfParams;
  description: string;
}

export interface ShareKeystore {
  /** The share's public key, 0x + lower-case hex. */
  publicKey: Hex;
  /** The keystore JSON text, as the Keymanager API takes it. */
  keystore: string;
}

export interface ShareKeystoreEncryptorOptions {
  /** Worker threads (default: every core, at most 4: each scrypt holds 256 MiB). */
  concurrency?: number;
  /** Default: the staking deposit CLI's scrypt. */
  kdf?: KdfParams;
}

/** Encrypts key shares into keystores on worker threads, so the event loop keeps running. */
export interface ShareKeystoreEncryptor {
  encrypt(share: { secretKey: Uint8Array; password: string; description: string }): Promise<ShareKeystore>;
  close(): Promise<void>;
}

export function createShareKeystoreEncryptor(
  options: ShareKeystoreEncryptorOptions = {},
): ShareKeystoreEncryptor {
  const kdf = options.kdf ?? DEPOSIT_CLI_SCRYPT;
  const pool = new WorkerPool<ShareKeystoreTask, ShareKeystore>({
    workerUrl: new URL("./share-keystore-worker.ts", import.meta.url),
    size: options.concurrency ?? Math.min(4, availableParallelism()),
    name: "key share encryption",
  });
  return {
    encrypt: (share) => {
      // The worker gets its own copy, transferred: the caller wipes its bytes when it likes.
      const secretKey = new Uint8Array(share.secretKey);
      return pool.run({ secretKey, password: share.password, kdf, description: share.description }, [
        secretKey.buffer,
      ]);
    },
    close: () => pool.close(),
  };
}
