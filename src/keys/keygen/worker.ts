import { parentPort, workerData } from "node:worker_threads";
import { deriveValidatorKey } from "../../crypto/bls-keys.ts";
import { createKeystore, serializeKeystore } from "../../crypto/keystore.ts";
import { toHex } from "../../lib/hex.ts";
import { buildDepositDatum } from "../deposit-datum.ts";
import type { KeygenTask, KeygenWorkerData, KeygenWorkerMessage } from "./messages.ts";

/**
 * Key-generation worker: derives the key of one index, signs its deposit and encrypts it into a
 * keystore. Secret keys never leave this thread; only the encrypted keystore text does.
 */
const data = workerData as KeygenWorkerData;
const port = parentPort;
if (!port) throw new Error("keygen worker must run in a worker thread");

const post = (message: KeygenWorkerMessage) => port.postMessage(message);

port.on("message", (task: KeygenTask) => {
  void handle(task);
});

async function handle(task: KeygenTask): Promise<void> {
  try {
    const key = deriveValidatorKey(data.seed, task.index);
    post({ type: "derived", index: task.index });
    const depositDatum = buildDepositDatum({
      secretKey: key.secretKey,
      publicKey: key.publicKey,
      withdrawalCredentials: data.withdrawalCredentials,
      amountGwei: data.amountGwei,
      genesisForkVersion: data.genesisForkVersion,
      networkName: data.networkName,
    });
    post({ type: "deposit", index: task.index });
    const secret = key.secretKey.toBytes();
    const keystore = await createKeystore({
      secretKey: secret,
      publicKey: key.publicKey,
      path: key.path,
      password: task.password,
      kdf: data.kdf,
    });
    secret.fill(0);
    post({
      type: "done",
      index: task.index,
      path: key.path,
      publicKey: toHex(key.publicKey),
      depositDatum,
      keystoreText: serializeKeystore(keystore),
    });
  } catch (error) {
    post({ type: "failed", index: task.index, message: (error as Error).message });
  }
}
