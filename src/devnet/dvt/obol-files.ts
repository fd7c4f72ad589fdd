/**
 * What charon leaves on disk for a distributed validator cluster, written from the validators'
 * shares (dvt-keys.ts): `cluster-lock.json` (lock format v1.8.0: each validator's
 * `distributed_public_key` and `public_shares[i]` for node i; v1.0.0 / v1.1.0 name the shares
 * `threshold_verifiers`) and, per node i, `node<i>/validator_keys/keystore-N.json` (EIP-2335) +
 * `keystore-N.txt` (its password), both 0600. Node i's keystores hold share index i + 1.
 *
 * The devnet's keys are throwaway, so the keystores use a cheap PBKDF2 by default: four nodes
 * decrypting every share with the deposit CLI's scrypt would cost seconds per validator.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createKeystore, type KdfParams, serializeKeystore } from "../../crypto/keystore.ts";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { makeDirs } from "../../lib/fs.ts";
import { parseHex } from "../../lib/hex.ts";
import type { DvtValidatorShares } from "./dvt-keys.ts";

/** A devnet keystore's KDF: the keys never guard anything of value. */
export const DEVNET_OBOL_KDF: KdfParams = { function: "pbkdf2", c: 16 };

export interface ObolClusterFiles {
  dir: string;
  clusterLockFile: string;
  /** Node i's validator_keys directory (0-based). */
  keystoresDir(node: number): string;
}

export interface WriteObolFilesParameters {
  dir: string;
  /** Each validator's shares, share j at x = j + 1 (node j). */
  validators: readonly DvtValidatorShares[];
  threshold: number;
  /** cluster_definition.name (default "devnet cluster"). */
  name?: string;
  /** cluster_definition.version (default v1.8.0). */
  lockVersion?: string;
  kdf?: KdfParams;
  /** Each keystore's password (default: 16 random bytes as hex). */
  password?: (node: number, validator: number) => string;
}

/** Writes cluster-lock.json and every node's keystores; returns where they are. */
export async function writeObolFiles(params: WriteObolFilesParameters): Promise<ObolClusterFiles> {
  const size = params.validators[0]?.shares.length ?? 0;
  for (const validator of params.validators) {
    validator.shares.forEach((share, node) => {
      if (share.shareIndex !== node + 1) {
        throw new Error(`Obol node ${node} must hold share index ${node + 1}, not ${share.shareIndex}`);
      }
    });
    if (validator.shares.length !== size) throw new Error("every validator needs a share per node");
  }
  const version = params.lockVersion ?? "v1.8.0";
  const old = version === "v1.0.0" || version === "v1.1.0";
  const lock = {
    cluster_definition: {
      name: params.name ?? "devnet cluster",
      version,
      num_validators: params.validators.length,
      threshold: params.threshold,
    },
    distributed_validators: params.validators.map((v) => ({
      distributed_public_key: v.publicKey,
      ...(old
        ? { threshold_verifiers: v.shares.map((s) => s.publicKey) }
        : { public_shares: v.shares.map((s) => s.publicKey) }),
    })),
  };
  await makeDirs(params.dir, { mode: 0o700 });
  const clusterLockFile = join(params.dir, "cluster-lock.json");
  await writeFileAtomic(clusterLockFile, `${JSON.stringify(lock, null, 1)}\n`);
  const keystoresDir = (node: number) => join(params.dir, `node${node}`, "validator_keys");
  const password = params.password ?? (() => randomBytes(16).toString("hex"));
  for (let node = 0; node < size; node++) {
    await makeDirs(keystoresDir(node), { mode: 0o700 });
    for (const [n, validator] of params.validators.entries()) {
      const share = validator.shares[node];
      if (!share) throw new Error(`no share for node ${node}`);
      const secret = password(node, n);
      const keystore = await createKeystore({
        secretKey: share.secretKey,
        publicKey: parseHex(share.publicKey, 48) as Uint8Array,
        path: "",
        password: secret,
        kdf: params.kdf ?? DEVNET_OBOL_KDF,
      });
      const file = join(keystoresDir(node), `keystore-${n}`);
      await writeFileAtomic(`${file}.json`, serializeKeystore(keystore), { mode: 0o600 });
      await writeFileAtomic(`${file}.txt`, secret, { mode: 0o600 });
    }
  }
  return { dir: params.dir, clusterLockFile, keystoresDir };
}
