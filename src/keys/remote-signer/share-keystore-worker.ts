import { SecretKey } from "@chainsafe/blst";
import { createKeystore, serializeKeystore } from "../../crypto/keystore.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { serveWorkerTasks } from "../sources/worker-pool.ts";
import type { ShareKeystore, ShareKeystoreTask } from "./share-keystores.ts";

/**
 * Share keystore worker: encrypts one key share into an EIP-2335 keystore (scrypt n=2^18: ~0.8 s
 * of CPU off the event loop) and wipes the share bytes it was handed.
 */
serveWorkerTasks<ShareKeystoreTask, ShareKeystore>(async (task) => {
  try {
    const publicKey = SecretKey.fromBytes(task.secretKey).toPublicKey().toBytes(true);
    const keystore = await createKeystore({
      secretKey: task.secretKey,
      publicKey,
      path: "",
      password: task.password,
      kdf: task.kdf,
    });
    keystore.description = task.description;
    return { result: { publicKey: toPrefixedHex(publicKey), keystore: serializeKeystore(keystore) } };
  } finally {
    task.secretKey.fill(0);
  }
});
