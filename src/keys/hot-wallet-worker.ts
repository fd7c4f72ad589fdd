import { parentPort, workerData } from "node:worker_threads";
import { decryptV3Keyfile, KeyfilePasswordError } from "./hot-wallet-keyfile.ts";

/**
 * One-shot worker: decrypts the hot wallet keyfile and posts the key back, then exits, taking
 * scrypt's heap with it. The keyfile text and password come in `workerData`.
 */
export interface HotWalletWorkerInput {
  keyfileText: string;
  password: string;
}

export type HotWalletWorkerReply =
  | { ok: true; privateKey: Uint8Array; address: `0x${string}` }
  | { ok: false; wrongPassword: boolean; message: string };

const input = workerData as HotWalletWorkerInput;
decryptV3Keyfile(input.keyfileText, input.password).then(
  (key) => parentPort?.postMessage({ ok: true, ...key } satisfies HotWalletWorkerReply),
  (error: unknown) =>
    parentPort?.postMessage({
      ok: false,
      wrongPassword: error instanceof KeyfilePasswordError,
      message: error instanceof Error ? error.message : String(error),
    } satisfies HotWalletWorkerReply),
);
