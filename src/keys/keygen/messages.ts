import type { KdfParams } from "../../crypto/keystore.ts";
import type { DepositDatumJson } from "../deposit-datum.ts";

/** What every key-generation worker is started with. */
export interface KeygenWorkerData {
  seed: Uint8Array;
  withdrawalCredentials: Uint8Array;
  amountGwei: number;
  genesisForkVersion: Uint8Array;
  networkName: string;
  kdf: KdfParams;
}

export interface KeygenTask {
  type: "task";
  index: number;
  password: string;
}

export type KeygenWorkerMessage =
  | { type: "derived"; index: number }
  | { type: "deposit"; index: number }
  | {
      type: "done";
      index: number;
      path: string;
      publicKey: string;
      depositDatum: DepositDatumJson;
      keystoreText: string;
    }
  | { type: "failed"; index: number; message: string };
