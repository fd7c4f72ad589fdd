import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { InterruptedError, OperatorError } from "../../lib/errors.ts";
import type { KeygenWorkerData, KeygenWorkerMessage } from "./messages.ts";

export type KeygenStage = "derived" | "deposit" | "done";

export interface GeneratedKey {
  index: number;
  path: string;
  publicKey: string;
  depositDatum: Extract<KeygenWorkerMessage, { type: "done" }>["depositDatum"];
  keystoreText: string;
}

export interface GenerateKeysParameters extends KeygenWorkerData {
  fromIndex: number;
  count: number;
  /** Worker threads; defaults to every core. */
  concurrency?: number;
  passwordFor: (index: number) => string;
  /** Called in completion order, one call at a time (the next waits for the previous). */
  onKey: (key: GeneratedKey) => Promise<void>;
  onProgress?: (stage: KeygenStage) => void;
  signal?: AbortSignal;
}

/** Tasks kept queued per worker so that no core waits for the main thread between keys. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Generates keys `fromIndex .. fromIndex+count-1` on a pool of worker threads. The KDF of each
 * keystore dominates (hundreds of ms of scrypt), so the pool keeps every core busy and the main
 * thread only writes files. Memory is bounded by the number of workers, not by `count`.
 */
export async function generateKeys(params: GenerateKeysParameters): Promise<void> {
  const { fromIndex, count, signal } = params;
  if (count <= 0) return;
  if (signal?.aborted) throw new InterruptedError();
  const workerCount = Math.max(1, Math.min(params.concurrency ?? availableParallelism(), count));
  const workerData: KeygenWorkerData = {
    seed: params.seed,
    withdrawalCredentials: params.withdrawalCredentials,
    amountGwei: params.amountGwei,
    genesisForkVersion: params.genesisForkVersion,
    networkName: params.networkName,
    kdf: params.kdf,
  };
  const workers: Worker[] = [];
  let nextIndex = fromIndex;
  const endIndex = fromIndex + count;
  let completed = 0;
  let writeChain = Promise.resolve();

  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      const onAbort = () => fail(new InterruptedError());
      signal?.addEventListener("abort", onAbort, { once: true });

      const dispatch = (worker: Worker) => {
        if (nextIndex >= endIndex || settled) return;
        const index = nextIndex++;
        worker.postMessage({ type: "task", index, password: params.passwordFor(index) });
      };

      for (let w = 0; w < workerCount; w++) {
        const worker = new Worker(new URL("./worker.ts", import.meta.url), { workerData });
        workers.push(worker);
        worker.on("message", (message: KeygenWorkerMessage) => {
          if (settled) return;
          if (message.type === "failed") {
            fail(
              new OperatorError(`key generation failed for index ${message.index}`, {
                details: message.message,
              }),
            );
            return;
          }
          params.onProgress?.(message.type);
          if (message.type !== "done") return;
          dispatch(worker);
          const { type: _type, ...key } = message;
          writeChain = writeChain.then(() => (settled ? undefined : params.onKey(key)));
          writeChain.then(
            () => {
              completed++;
              if (completed === count && !settled) {
                settled = true;
                signal?.removeEventListener("abort", onAbort);
                resolve();
              }
            },
            (error: unknown) => fail(error),
          );
        });
        worker.on("error", (error) =>
          fail(new OperatorError("key generation worker crashed", { cause: error })),
        );
        worker.on("exit", (code) => {
          if (code !== 0) fail(new OperatorError(`key generation worker exited with code ${code}`));
        });
        for (let i = 0; i < IN_FLIGHT_PER_WORKER; i++) dispatch(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
    await writeChain.catch(() => {});
  }
}
