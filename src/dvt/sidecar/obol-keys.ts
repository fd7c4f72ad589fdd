import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { SecretKey } from "@chainsafe/blst";
import { decryptKeystore, isKeystore } from "../../crypto/keystore.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { type ClusterLock, readClusterLock } from "./cluster-lock.ts";
import { ObolClusterError } from "./errors.ts";
import { ShareKeys } from "./share-keys.ts";

/**
 * An Obol node's key shares: charon's validator_keys/keystore-N.json (EIP-2335) each with the
 * password in keystore-N.txt, matched against the cluster-lock's public_shares[node index]. A
 * keystore whose share is not in the lock where it should be stops the sidecar with one line
 * naming the file and the validator: signing with keys the relayer cannot check helps nobody.
 */

export interface LoadObolKeysParameters {
  keystoresDir: string;
  clusterLockFile: string;
  /** 0-based, charon's node index; the share index is nodeIndex + 1. */
  nodeIndex: number;
}

export interface ObolKeys {
  keys: ShareKeys;
  lock: ClusterLock;
  /** Validators of the lock no keystore was found for (the sidecar cannot sign for them). */
  missing: string[];
}

const KEYSTORE_FILE = /^keystore.*\.json$/;
const NUMBERED = /^keystore-(\d+)\.json$/;

async function keystoreFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    throw new ObolClusterError(
      `keystores directory ${dir} cannot be read (${(cause as NodeJS.ErrnoException).code ?? "error"}): check --obol-keystores-dir (charon's validator_keys)`,
      { cause },
    );
  }
  const files = names.filter((name) => KEYSTORE_FILE.test(name)).sort();
  if (files.length === 0) {
    throw new ObolClusterError(
      `keystores directory ${dir} has no keystore*.json: check --obol-keystores-dir`,
    );
  }
  return files;
}

async function decryptShare(dir: string, name: string): Promise<SecretKey> {
  const file = join(dir, name);
  const passwordFile = join(dir, name.replace(/\.json$/, ".txt"));
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (cause) {
    throw new ObolClusterError(`keystore ${file} is not readable JSON`, { cause });
  }
  if (!isKeystore(json)) throw new ObolClusterError(`keystore ${file} is not an EIP-2335 keystore`);
  let password: string;
  try {
    password = (await readFile(passwordFile, "utf8")).trim();
  } catch (cause) {
    throw new ObolClusterError(
      `keystore ${file} has no password file ${passwordFile}: charon writes keystore-N.txt beside each keystore-N.json`,
      { cause },
    );
  }
  let secret: Uint8Array;
  try {
    secret = await decryptKeystore(json, password);
  } catch (cause) {
    throw new ObolClusterError(`keystore ${file} does not decrypt with ${passwordFile}`, { cause });
  }
  try {
    return SecretKey.fromBytes(secret);
  } catch (cause) {
    throw new ObolClusterError(`keystore ${file} does not hold a BLS secret key`, { cause });
  } finally {
    secret.fill(0);
  }
}

export async function loadObolKeys(params: LoadObolKeysParameters): Promise<ObolKeys> {
  const { keystoresDir, clusterLockFile, nodeIndex } = params;
  const lock = await readClusterLock(clusterLockFile);
  const nodes = lock.validators[0]?.publicShares.length ?? 0;
  if (!Number.isSafeInteger(nodeIndex) || nodeIndex < 0 || nodeIndex >= nodes) {
    throw new ObolClusterError(
      `--obol-node-index ${nodeIndex} is not a node of cluster-lock ${clusterLockFile}: its cluster has nodes 0 to ${nodes - 1}`,
    );
  }
  const keys = new ShareKeys(nodeIndex + 1);
  // Node `nodeIndex`'s share public key → the validator it belongs to.
  const byShare = new Map(lock.validators.map((v, i) => [v.publicShares[nodeIndex] as string, i]));
  for (const name of await keystoreFiles(keystoresDir)) {
    const secretKey = await decryptShare(keystoresDir, name);
    const publicKeyShare = toPrefixedHex(secretKey.toPublicKey().toBytes(true));
    const file = join(keystoresDir, name);
    // charon writes keystore-N.json for distributed_validators[N].
    const numbered = NUMBERED.exec(name);
    const expected = numbered ? lock.validators[Number(numbered[1])] : undefined;
    if (expected && expected.publicShares[nodeIndex] !== publicKeyShare) {
      throw new ObolClusterError(
        `cluster-lock ${clusterLockFile} does not match keystore ${file}: validator ${numbered?.[1]} (${expected.publicKey}) lists another public share for node ${nodeIndex}; check --obol-node-index and that the lock is this cluster's`,
      );
    }
    const index = byShare.get(publicKeyShare);
    const validator = index === undefined ? undefined : lock.validators[index];
    if (!validator) {
      throw new ObolClusterError(
        `cluster-lock ${clusterLockFile} does not match keystore ${file}: its share ${publicKeyShare} is no validator's public share for node ${nodeIndex}; check --obol-node-index and that the lock is this cluster's`,
      );
    }
    keys.add({
      publicKey: validator.publicKey,
      secretKey,
      publicKeyShare,
      publicKeyShares: validator.publicShares.map((share, i) => ({
        shareIndex: i + 1,
        publicKeyShare: share,
      })),
    });
  }
  const missing = lock.validators.filter((v) => !keys.get(v.publicKey)).map((v) => v.publicKey);
  return { keys, lock, missing };
}
